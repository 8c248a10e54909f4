/**
 * The per-target scrape cache (Prometheus' `scrapeCache`): raw series text → series ref and final
 * labels, or "dropped", so a known series costs one map lookup and no label parsing, relabeling
 * or hashing. It also remembers which series the previous scrape had, for staleness markers.
 */
import type { Labels } from '../model/labels.js';
import type { SeriesRef } from '../storage/interface.js';

/** One cached series. `labels` undefined: metric relabeling dropped it. */
export class CacheEntry {
  ref: SeriesRef = 0;
  /** The scrape (iteration) that last saw this series. */
  lastIter = 0;
  /** The scrape that last put it in the staleness set (once per scrape, duplicates aside). */
  trackedIter = 0;
  constructor(readonly labels: Labels | undefined) {}
}

/** Cache entries of one target; used by one scrape loop at a time. */
export class ScrapeCache {
  readonly #entries = new Map<string, CacheEntry>();
  /** The current scrape; starts at 1 so 0 means "never". */
  iter = 1;
  /** Series of the previous successful scrape that may go stale (no explicit timestamp). */
  #prev: CacheEntry[] = [];
  /** Series of the scrape in progress; swapped with `#prev`, both reused. */
  #cur: CacheEntry[] = [];

  get(key: string): CacheEntry | undefined {
    return this.#entries.get(key);
  }

  /** Adds an entry for `key`; `labels` undefined caches a dropped series. */
  add(key: string, labels: Labels | undefined): CacheEntry {
    const e = new CacheEntry(labels);
    this.#entries.set(key, e);
    return e;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Records that `e` was scraped now and should be marked stale if it vanishes. */
  track(e: CacheEntry): void {
    if (e.trackedIter === this.iter) return;
    e.trackedIter = this.iter;
    this.#cur.push(e);
  }

  /** Calls `fn` for each series of the previous scrape not seen in this one. */
  forEachStale(fn: (e: CacheEntry) => void): void {
    for (const e of this.#prev) if (e.trackedIter !== this.iter && e.labels !== undefined) fn(e);
  }

  /** Calls `fn` for each series of the previous scrape: all go stale when a target fails or ends. */
  forEachPrev(fn: (e: CacheEntry) => void): void {
    for (const e of this.#prev) if (e.labels !== undefined) fn(e);
  }

  /**
   * Ends a scrape. After a success the current series become the previous ones; after a failure
   * nothing is previous (they were all marked stale). Entries unseen for a while are evicted when
   * the cache has grown well beyond what a scrape returns.
   */
  iterDone(success: boolean, seen: number): boolean {
    const prev = this.#prev;
    prev.length = 0;
    this.#prev = this.#cur;
    this.#cur = prev;
    if (!success) this.#prev.length = 0;
    let flushed = false;
    if (success && this.#entries.size > 2 * seen + 100) {
      const keepFrom = this.iter;
      for (const [k, e] of this.#entries) if (e.lastIter < keepFrom) this.#entries.delete(k);
      flushed = true;
    }
    this.iter++;
    return flushed;
  }
}
