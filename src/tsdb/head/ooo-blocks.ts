/**
 * What out-of-order compaction writes (Prometheus' `OOOCompactionHead`): every series' cut
 * out-of-order chunks up to a chunk reference, taken at one instant, and for each block window
 * their samples merged (the first written wins at equal times), tombstones applied, re-encoded
 * into chunks of at most 120 samples.
 */
import type { Labels } from '../../model/labels.js';
import { ValueType } from '../../storage/interface.js';
import type { BlockChunk, BlockChunkSeries } from '../block/writer.js';
import { XorChunk } from '../chunkenc/xor.js';
import { compareLabelsBytewise } from '../index/compare.js';
import type { Interval } from '../querier/chunk-iterator.js';
import { OverlappingChunkSeries } from '../querier/chunk-iterator.js';
import type { Head } from './head.js';
import type { HeadChunkView } from './series.js';
import { TARGET_SAMPLES_PER_CHUNK } from './series.js';

/** One series' out-of-order chunks to compact. */
export interface OooCompactionSeries {
  readonly labels: Labels;
  readonly chunks: readonly HeadChunkView[];
  readonly deleted: readonly Interval[];
}

/** The set to compact: cut chunks with references up to `lastRef`, series in label byte order. */
export interface OooCompactionSet {
  readonly series: readonly OooCompactionSeries[];
  readonly mint: number;
  readonly maxt: number;
}

/**
 * Takes the out-of-order chunks to compact now (synchronously, so chunks cut later are left out).
 * Call `head.cutOooHeads()` first so the open chunks are among them.
 */
export function oooCompactionSet(head: Head, lastRef: number): OooCompactionSet {
  const series: OooCompactionSeries[] = [];
  let mint = Infinity;
  let maxt = -Infinity;
  const seen = new Set<Labels>();
  for (const s of head.allSeries()) {
    if (s.ooo === undefined || seen.has(s.labels)) continue;
    seen.add(s.labels); // a ref alias (two WAL refs, one label set) is the same series
    const chunks: HeadChunkView[] = [];
    for (const c of s.ooo.mmapped) {
      if (c.ref > lastRef) continue;
      const store = s.ooo.store;
      chunks.push({ mint: c.mint, maxt: c.maxt, data: () => store.get(c.ref) });
      if (c.mint < mint) mint = c.mint;
      if (c.maxt > maxt) maxt = c.maxt;
    }
    if (chunks.length > 0) series.push({ labels: s.labels, chunks, deleted: head.tombstones(s.ref) });
  }
  series.sort((a, b) => compareLabelsBytewise(a.labels, b.labels));
  return { series, mint, maxt };
}

/** The series of the block [mint, maxt) (maxt exclusive) from `set`. */
export function* oooBlockSeries(
  set: OooCompactionSet,
  mint: number,
  maxt: number,
): Generator<BlockChunkSeries> {
  for (const s of set.series) {
    const groups = s.chunks.filter((c) => c.maxt >= mint && c.mint < maxt).map((c) => [c]);
    if (groups.length === 0) continue;
    const it = new OverlappingChunkSeries(s.labels, groups, mint, maxt - 1, s.deleted).iterator();
    const chunks: BlockChunk[] = [];
    let cur: { chunk: XorChunk; app: ReturnType<XorChunk['appender']>; mint: number; n: number } | undefined;
    let last = 0;
    while (it.next() === ValueType.Float) {
      const t = it.t();
      if (cur === undefined || cur.n === TARGET_SAMPLES_PER_CHUNK) {
        if (cur !== undefined) chunks.push({ mint: cur.mint, maxt: last, chunk: cur.chunk });
        const chunk = new XorChunk();
        cur = { chunk, app: chunk.appender(), mint: t, n: 0 };
      }
      cur.app.append(t, it.v());
      cur.n++;
      last = t;
    }
    const err = it.err();
    if (err !== undefined) throw err;
    if (cur !== undefined) chunks.push({ mint: cur.mint, maxt: last, chunk: cur.chunk });
    if (chunks.length > 0) yield { labels: s.labels, chunks };
  }
}
