/**
 * Merges N blocks into one new block, series by series: each input block's index is walked in
 * label order, the series of all blocks are merged like sorted lists, and only the chunks of the
 * current series are in memory. Overlapping chunks are merged with duplicates removed and deleted
 * samples dropped (`series-merge.ts`). The new block is written to a temporary directory, fsynced
 * and renamed (`BlockStreamWriter`). Work is done in time slices (`Slicer`).
 */
import { join } from 'node:path';
import type { Labels } from '../../model/labels.js';
import { META_FILENAME, readMetaFile } from '../block/meta.js';
import type { BlockDesc, BlockMeta } from '../block/meta.js';
import { SequentialChunkReader } from '../block/sequential-chunk-reader.js';
import { BlockStreamWriter } from '../block/stream-writer.js';
import { CHUNKS_DIRNAME, INDEX_FILENAME } from '../block/writer.js';
import { compareLabelsBytewise } from '../index/compare.js';
import { IndexReader } from '../index/reader.js';
import { readTombstonesFile, TOMBSTONES_FILENAME } from '../tombstones/tombstones.js';
import type { Tombstone } from '../tombstones/tombstones.js';
import { SeriesMerger } from './series-merge.js';
import type { ChunkLoader, SourceChunk } from './series-merge.js';
import { Slicer } from './slicer.js';

/** Options of `compactBlocks`. */
export interface CompactOptions {
  /** Synchronous work between two yields to the event loop, in milliseconds. */
  sliceMs: number;
  /** Bytes read at once from each input block's chunk files. */
  chunkWindow: number;
  /** Aborts the compaction; the partial output is removed. */
  signal?: AbortSignal;
  /** The new block's ULID (default: a new one for the current time). */
  ulid?: string;
}

/** Defaults: 10 ms slices, 4 MiB chunk windows. */
export function defaultCompactOptions(): CompactOptions {
  return { sliceMs: 10, chunkWindow: 4 * 1024 * 1024 };
}

/** What a compaction did. */
export interface CompactResult {
  /** The new block's meta, or `undefined` when no sample survived (no block is written then). */
  meta: BlockMeta | undefined;
  /** The new block's directory, when one was written. */
  dir: string | undefined;
  /** Samples dropped because another block had one at the same timestamp. */
  duplicates: number;
  /** Times the work yielded to the event loop. */
  yields: number;
}

/** An opened input block: its index cursor, chunk reader and tombstones. */
interface Input {
  readonly meta: BlockMeta;
  readonly index: IndexReader;
  readonly chunks: SequentialChunkReader;
  readonly stones: Map<number, Tombstone[]>;
  readonly postings: number[];
  pos: number;
  cur: { ref: number; labels: Labels; chunks: { mint: number; maxt: number; ref: number }[] } | undefined;
}

/**
 * Compacts the blocks in `dirs` into one new block under `destDir` and returns its meta (level
 * one above the highest input, `sources` the union of the inputs', `parents` the inputs). The
 * inputs are left in place: deleting them is the caller's job, after it has switched to the new
 * block. Throws on corrupt input; a failed or aborted compaction leaves no block behind.
 */
export async function compactBlocks(
  destDir: string,
  dirs: readonly string[],
  options: Partial<CompactOptions> = {},
): Promise<CompactResult> {
  const opts = { ...defaultCompactOptions(), ...options };
  if (dirs.length === 0) throw new Error('compact: no blocks given');
  const metas: BlockMeta[] = [];
  for (const d of dirs) metas.push(await readMetaFile(join(d, META_FILENAME)));
  const order = dirs
    .map((_, i) => i)
    .sort((a, b) => metas[a].minTime - metas[b].minTime || (metas[a].ulid < metas[b].ulid ? -1 : 1));
  const inputs: Input[] = [];
  const slicer = new Slicer(opts.sliceMs, opts.signal);
  let writer: BlockStreamWriter | undefined;
  try {
    for (const i of order) inputs.push(await openInput(dirs[i], metas[i], opts.chunkWindow));
    writer = await BlockStreamWriter.create(destDir, { ulid: opts.ulid });
    const merger = new SeriesMerger();
    const load: ChunkLoader = (source, ref) => inputs[source].chunks.chunk(ref);
    const gathered: SourceChunk[] = [];
    for (;;) {
      let min: Labels | undefined;
      for (const inp of inputs) {
        if (inp.cur !== undefined && (min === undefined || compareLabelsBytewise(inp.cur.labels, min) < 0))
          min = inp.cur.labels;
      }
      if (min === undefined) break;
      gathered.length = 0;
      for (let s = 0; s < inputs.length; s++) {
        const inp = inputs[s];
        const cur = inp.cur;
        if (cur === undefined || !cur.labels.equals(min)) continue;
        const stones = inp.stones.get(cur.ref) ?? NO_STONES;
        for (const c of cur.chunks)
          gathered.push({ mint: c.mint, maxt: c.maxt, ref: c.ref, source: s, stones });
        advance(inp);
      }
      await writer.addSeries(min, await merger.merge(gathered, load));
      await slicer.maybeYield();
    }
    const minTime = Math.min(...metas.map((m) => m.minTime));
    const maxTime = Math.max(...metas.map((m) => m.maxTime));
    const sources = [...new Set(metas.flatMap((m) => m.compaction.sources))].sort();
    const parents: BlockDesc[] = order.map((i) => ({
      ulid: metas[i].ulid,
      minTime: metas[i].minTime,
      maxTime: metas[i].maxTime,
    }));
    const level = Math.max(...metas.map((m) => m.compaction.level)) + 1;
    const meta = await writer.finish({ minTime, maxTime, compaction: { level, sources, parents } });
    writer = undefined;
    return {
      meta,
      dir: meta === undefined ? undefined : join(destDir, meta.ulid),
      duplicates: merger.duplicates,
      yields: slicer.yields,
    };
  } catch (err) {
    await writer?.abort();
    throw new Error(`compact ${dirs.join(', ')}`, { cause: err });
  } finally {
    await Promise.all(inputs.map((i) => i.chunks.close()));
  }
}

const NO_STONES: readonly Tombstone[] = [];

async function openInput(dir: string, meta: BlockMeta, window: number): Promise<Input> {
  const index = await IndexReader.open(join(dir, INDEX_FILENAME));
  let stoneList: Tombstone[] = [];
  try {
    stoneList = await readTombstonesFile(join(dir, TOMBSTONES_FILENAME));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const stones = new Map<number, Tombstone[]>();
  for (const s of stoneList) {
    const list = stones.get(s.ref);
    if (list === undefined) stones.set(s.ref, [s]);
    else list.push(s);
  }
  const chunks = await SequentialChunkReader.open(join(dir, CHUNKS_DIRNAME), window);
  const inp: Input = { meta, index, chunks, stones, postings: index.allPostings(), pos: 0, cur: undefined };
  advance(inp);
  return inp;
}

function advance(inp: Input): void {
  if (inp.pos >= inp.postings.length) {
    inp.cur = undefined;
    return;
  }
  const ref = inp.postings[inp.pos++];
  const e = inp.index.series(ref);
  inp.cur = { ref, labels: e.labels, chunks: e.chunks };
}
