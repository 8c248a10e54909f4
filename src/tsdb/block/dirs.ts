/** Finding the block directories of a data directory, and their size on disk. */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { META_FILENAME, readMetaFile } from './meta.js';
import type { BlockMeta } from './meta.js';
import { ulidTime } from './ulid.js';
import { CHUNKS_DIRNAME, INDEX_FILENAME } from './writer.js';
import { TOMBSTONES_FILENAME } from '../tombstones/tombstones.js';

/** A block directory and its meta.json. */
export interface DirMeta {
  /** Path of the block directory. */
  readonly dir: string;
  readonly meta: BlockMeta;
}

/**
 * The blocks of `dataDir`: directories named by a ULID (so `.tmp-for-creation` and
 * `.tmp-for-deletion` leftovers are ignored) that hold a meta.json, sorted by `minTime` then
 * ULID, as Prometheus orders them. A missing `dataDir` has no blocks.
 */
export async function listBlockDirs(dataDir: string): Promise<DirMeta[]> {
  let names: string[];
  try {
    names = await readdir(dataDir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const out: DirMeta[] = [];
  for (const name of names.sort()) {
    if (ulidTime(name) === undefined) continue;
    const dir = join(dataDir, name);
    let meta: BlockMeta;
    try {
      meta = await readMetaFile(join(dir, META_FILENAME));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw new Error(`read block ${dir}`, { cause: err });
    }
    out.push({ dir, meta });
  }
  return out.sort((a, b) => a.meta.minTime - b.meta.minTime || (a.meta.ulid < b.meta.ulid ? -1 : 1));
}

/** Bytes of a block as Prometheus counts them: chunk segments, index, tombstones and meta.json. */
export async function blockSize(dir: string): Promise<number> {
  let total = 0;
  const size = async (p: string): Promise<number> => {
    try {
      return (await stat(p)).size;
    } catch {
      return 0;
    }
  };
  let segments: string[] = [];
  try {
    segments = (await readdir(join(dir, CHUNKS_DIRNAME))).filter((n) => /^\d+$/.test(n));
  } catch {
    // a block without chunks
  }
  for (const s of segments) total += await size(join(dir, CHUNKS_DIRNAME, s));
  for (const f of [INDEX_FILENAME, TOMBSTONES_FILENAME, META_FILENAME]) total += await size(join(dir, f));
  return total;
}
