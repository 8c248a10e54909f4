/**
 * Reads the head: series chosen through the postings index, their chunks within the window
 * snapshotted at `select` time so samples committed later are not seen half-way. A series with
 * out-of-order chunks there merges them with its in-order ones (in-order wins at equal times).
 */
import { Labels } from '../../model/labels.js';
import type { Matcher } from '../../model/matcher.js';
import { matchesAll } from '../../model/matcher.js';
import type { Querier, SelectHints, SeriesSet } from '../../storage/interface.js';
import { postingsForMatchers } from '../index/postings-for-matchers.js';
import { ChunkSeries, OverlappingChunkSeries } from '../querier/chunk-iterator.js';
import { ListSeriesSet } from '../querier/series-set.js';
import type { Head } from './head.js';
import type { MemSeries } from './series.js';

export class HeadQuerier implements Querier {
  constructor(
    private readonly head: Head,
    private readonly mint: number,
    private readonly maxt: number,
  ) {}

  select(sorted: boolean, hints: SelectHints | undefined, ...matchers: Matcher[]): SeriesSet {
    const mint = Math.max(this.mint, hints?.start ?? -Infinity);
    const maxt = Math.min(this.maxt, hints?.end ?? Infinity);
    const out: (ChunkSeries | OverlappingChunkSeries)[] = [];
    for (const ref of postingsForMatchers(this.head.postings, matchers)) {
      const s = this.head.series(ref);
      if (s === undefined) continue;
      const chunks = s.chunksIn(mint, maxt);
      const ooo = s.ooo === undefined ? [] : s.oooChunksIn(mint, maxt);
      const deleted = this.head.tombstones(ref);
      // Unshared: the engine's `labels.key` must not stay on the series for the head's lifetime.
      const labels = s.labels.unshared();
      if (ooo.length > 0) {
        out.push(new OverlappingChunkSeries(labels, [chunks, ...ooo.map((c) => [c])], mint, maxt, deleted));
      } else if (chunks.length > 0) {
        out.push(new ChunkSeries(labels, chunks, mint, maxt, deleted));
      }
    }
    if (sorted) out.sort((a, b) => Labels.compare(a.labels, b.labels));
    return new ListSeriesSet(out);
  }

  labelNames(...matchers: Matcher[]): string[] {
    if (matchers.length === 0) return this.head.postings.labelNames().filter((n) => n !== '');
    const names = new Set<string>();
    for (const s of this.#matching(matchers)) s.labels.forEach((n) => names.add(n));
    return [...names].sort();
  }

  labelValues(name: string, ...matchers: Matcher[]): string[] {
    if (matchers.length === 0) return this.head.postings.labelValues(name);
    const values = new Set<string>();
    for (const s of this.#matching(matchers)) {
      const v = s.labels.get(name);
      if (v !== '') values.add(v);
    }
    return [...values].sort();
  }

  *#matching(matchers: Matcher[]): Generator<MemSeries> {
    for (const ref of postingsForMatchers(this.head.postings, matchers)) {
      const s = this.head.series(ref);
      if (s !== undefined && matchesAll(s.labels, matchers) && s.hasDataIn(this.mint, this.maxt)) yield s;
    }
  }

  close(): void {}
}
