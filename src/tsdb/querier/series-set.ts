/**
 * Series sets: a plain list, and the merge of several sorted sets (head and blocks) in which series
 * with the same labels become one series whose samples are merged.
 */
import { Labels } from '../../model/labels.js';
import type { SampleIterator, Series, SeriesSet } from '../../storage/interface.js';
import { MergedSampleIterator } from './chunk-iterator.js';

/** A series set over an array. */
export class ListSeriesSet implements SeriesSet {
  #i = -1;
  constructor(
    private readonly series: readonly Series[],
    private readonly warns: string[] = [],
    private readonly error?: Error,
  ) {}
  next(): boolean {
    return ++this.#i < this.series.length;
  }
  at(): Series {
    return this.series[this.#i];
  }
  err(): Error | undefined {
    return this.error;
  }
  warnings(): string[] {
    return this.warns;
  }
}

/** A series present in several sources: its samples are merged, each timestamp once. */
class MergedSeries implements Series {
  constructor(
    readonly labels: Labels,
    private readonly parts: Series[],
  ) {}
  iterator(): SampleIterator {
    return new MergedSampleIterator(this.parts.map((p) => p.iterator()));
  }
}

/**
 * Merges sets each sorted by `Labels.compare` into one sorted set. Sets are drained eagerly: the
 * sources are in memory or decode lazily per series, so only the series objects are held.
 */
export function mergeSeriesSets(sets: readonly SeriesSet[]): SeriesSet {
  if (sets.length === 1) return sets[0];
  const all: Series[] = [];
  const warnings: string[] = [];
  let error: Error | undefined;
  for (const set of sets) {
    while (set.next()) all.push(set.at());
    error ??= set.err();
    warnings.push(...set.warnings());
  }
  // A stable sort keeps each label set's parts in source order (oldest first).
  all.sort((a, b) => Labels.compare(a.labels, b.labels));
  const merged: Series[] = [];
  for (let i = 0; i < all.length;) {
    let j = i + 1;
    while (j < all.length && all[j].labels.equals(all[i].labels)) j++;
    merged.push(j === i + 1 ? all[i] : new MergedSeries(all[i].labels, all.slice(i, j)));
    i = j;
  }
  return new ListSeriesSet(merged, warnings, error);
}
