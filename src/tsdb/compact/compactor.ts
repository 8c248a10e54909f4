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
import { BlockSeriesCursor } from '../block/series-cursor.js';
import { BlockStreamWriter } from '../block/stream-writer.js';
import { compareLabelsBytewise } from '../index/compare.js';
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
  const inputs: BlockSeriesCursor[] = [];
  const slicer = new Slicer(opts.sliceMs, opts.signal);
  let writer: BlockStreamWriter | undefined;
  try {
    for (const i of order) inputs.push(await BlockSeriesCursor.open(dirs[i], { window: opts.chunkWindow }));
    writer = await BlockStreamWriter.create(destDir, { ulid: opts.ulid });
    const merger = new SeriesMerger();
    const load: ChunkLoader = (source, ref) => inputs[source].chunks.chunk(ref);
    const gathered: SourceChunk[] = [];
    for (;;) {
      let min: Labels | undefined;
      for (const inp of inputs) {
        const cur = inp.current;
        if (cur !== undefined && (min === undefined || compareLabelsBytewise(cur.labels, min) < 0))
          min = cur.labels;
      }
      if (min === undefined) break;
      gathered.length = 0;
      for (let s = 0; s < inputs.length; s++) {
        const inp = inputs[s];
        const cur = inp.current;
        if (cur === undefined || !cur.labels.equals(min)) continue;
        for (const c of cur.chunks)
          gathered.push({ mint: c.mint, maxt: c.maxt, ref: c.ref, source: s, stones: cur.stones });
        inp.advance();
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
    await Promise.all(inputs.map((i) => i.close()));
  }
}
