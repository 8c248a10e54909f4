/** A querier over several sources (blocks oldest first, then the head) answering as one. */
import type { Matcher } from '../../model/matcher.js';
import type { Querier, SelectHints, SeriesSet } from '../../storage/interface.js';
import { compareBytewise } from '../index/compare.js';
import { mergeSeriesSets } from './series-set.js';

export class MergeQuerier implements Querier {
  /** `onClose` runs once, after the parts are closed (the DB releases its blocks there). */
  constructor(
    private readonly queriers: readonly Querier[],
    private readonly onClose?: () => void,
  ) {}

  select(sorted: boolean, hints: SelectHints | undefined, ...matchers: Matcher[]): SeriesSet {
    if (this.queriers.length === 1) return this.queriers[0].select(sorted, hints, ...matchers);
    // Merging needs each part sorted, whatever the caller asked for.
    return mergeSeriesSets(this.queriers.map((q) => q.select(true, hints, ...matchers)));
  }

  labelNames(...matchers: Matcher[]): string[] {
    return union(this.queriers.map((q) => q.labelNames(...matchers)));
  }

  labelValues(name: string, ...matchers: Matcher[]): string[] {
    return union(this.queriers.map((q) => q.labelValues(name, ...matchers)));
  }

  close(): void {
    for (const q of this.queriers) q.close();
    this.onClose?.();
  }
}

function union(lists: string[][]): string[] {
  if (lists.length === 1) return lists[0];
  return [...new Set(lists.flat())].sort(compareBytewise);
}
