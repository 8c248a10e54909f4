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
    readonly parts: Series[],
  ) {}
  iterator(): SampleIterator {
    return new MergedSampleIterator(this.parts.map((p) => p.iterator()));
  }
}

/**
 * Merges sets each sorted by `Labels.compare` into one sorted set. Sets are drained eagerly: the
 * sources are in memory or decode lazily per series, so only the series objects are held. The
 * sorted lists are merged pairwise (linear in the series, where sorting them all was not), and a
 * single non-empty one (blocks with an empty head) is taken as it is.
 */
export function mergeSeriesSets(sets: readonly SeriesSet[]): SeriesSet {
  if (sets.length === 1) return sets[0];
  let lists: Series[][] = [];
  const warnings: string[] = [];
  let error: Error | undefined;
  for (const set of sets) {
    const list: Series[] = [];
    while (set.next()) list.push(set.at());
    error ??= set.err();
    warnings.push(...set.warnings());
    if (list.length > 0) lists.push(list);
  }
  while (lists.length > 1) {
    const next: Series[][] = [];
    for (let i = 0; i < lists.length; i += 2)
      next.push(i + 1 < lists.length ? mergeSorted(lists[i], lists[i + 1]) : lists[i]);
    lists = next;
  }
  return new ListSeriesSet(lists[0] ?? [], warnings, error);
}

/**
 * Two sorted lists as one; a label set in both becomes one `MergedSeries`, parts in source order
 * (`a` is the older source).
 */
function mergeSorted(a: Series[], b: Series[]): Series[] {
  const out: Series[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const c = Labels.compare(a[i].labels, b[j].labels);
    if (c < 0) out.push(a[i++]);
    else if (c > 0) out.push(b[j++]);
    else out.push(new MergedSeries(a[i].labels, [...parts(a[i++]), ...parts(b[j++])]));
  }
  while (i < a.length) out.push(a[i++]);
  while (j < b.length) out.push(b[j++]);
  return out;
}

/** The per-source parts of a series, so merges of merges stay one level deep. */
function parts(s: Series): Series[] {
  return s instanceof MergedSeries ? s.parts : [s];
}
