/**
 * The per-target scrape cache (Prometheus' `scrapeCache`): raw series text → series ref and final
 * labels, or "dropped", so a known series costs one map lookup and no label parsing, relabeling
 * or hashing. It also remembers which series the previous scrape had, for staleness markers.
 *
 * Entries are found by a hash of the text's bytes in the payload (`SeriesText.hash`), so a known
 * series needs no key string; a hash match is confirmed against the entry's text, kept in one
 * byte arena per target, and entries whose texts share a hash are chained. Before hashing, the
 * cache tries the series that followed the previous one in the last scrape: a target lists its
 * series in the same order each time, so most lookups are one comparison.
 */
import { SeriesText } from '../exposition/series-text.js';
import type { Labels } from '../model/labels.js';
import type { SeriesRef } from '../storage/interface.js';

/** The arena's least size, a dozen series' texts. */
const MIN_ARENA = 1024;
/**
 * How much an arena grows when full: by a quarter, so a target's texts leave at most a fifth of it
 * unused (thousands of targets each hold one); the copies this costs on a first scrape are cheap
 * beside parsing its labels.
 */
const ARENA_GROWTH = 1.25;

/** One cached series. `labels` undefined: metric relabeling dropped it. */
export class CacheEntry {
  ref: SeriesRef = 0;
  /** The scrape (iteration) that last saw this series. */
  lastIter = 0;
  /** The scrape that last put it in the staleness set (once per scrape, duplicates aside). */
  trackedIter = 0;
  /** The next entry whose text has the same hash. */
  next: CacheEntry | undefined = undefined;
  /** The entry looked up right after this one in the last scrape that had both. */
  after: CacheEntry | undefined = undefined;
  /** Where the series text sits in its cache's arena, and its length in bytes. */
  textAt = 0;
  textLength = 0;

  constructor(readonly labels: Labels | undefined) {}
}

/** Cache entries of one target; used by one scrape loop at a time. */
export class ScrapeCache {
  /** The latest entry of each hash; older ones hang off its `next`. */
  readonly #byHash = new Map<number, CacheEntry>();
  #size = 0;
  /** The entries' texts, back to back; rebuilt without the evicted ones on eviction. */
  #arena: Uint8Array = new Uint8Array(MIN_ARENA);
  #arenaView: DataView = new DataView(this.#arena.buffer);
  #arenaUsed = 0;
  /** The first entry the last scrape looked up, and the latest one of the scrape in progress. */
  #first: CacheEntry | undefined;
  #last: CacheEntry | undefined;
  /** The current scrape; starts at 1 so 0 means "never". */
  iter = 1;
  /** Series of the previous successful scrape that may go stale (no explicit timestamp). */
  #prev: CacheEntry[] = [];
  /** Series of the scrape in progress; swapped with `#prev`, both reused. */
  #cur: CacheEntry[] = [];

  /** The entry for `text`. */
  find(text: SeriesText): CacheEntry | undefined {
    const guess = this.#last === undefined ? this.#first : this.#last.after;
    const e =
      guess !== undefined && guess.textLength === text.length && text.equals(this.#arenaView, guess.textAt)
        ? guess
        : this.#lookup(text, text.hash());
    if (e !== undefined) this.#follow(e);
    return e;
  }

  /** The entry for the series text `key` (latin1: one char per byte), for cold callers and tests. */
  get(key: string): CacheEntry | undefined {
    const text = SeriesText.of(key);
    return this.#lookup(text, text.hash());
  }

  /**
   * Adds an entry for `text`, copying the text; `labels` undefined caches a dropped series. The
   * text must not be cached already.
   */
  add(text: SeriesText, labels: Labels | undefined): CacheEntry {
    const hash = text.hash();
    const e = new CacheEntry(labels);
    const n = text.length;
    if (this.#arenaUsed + n > this.#arena.length) this.#growArena(this.#arenaUsed + n);
    text.copyTo(this.#arena, this.#arenaUsed);
    e.textAt = this.#arenaUsed;
    e.textLength = n;
    this.#arenaUsed += n;
    e.next = this.#byHash.get(hash);
    this.#byHash.set(hash, e);
    this.#size++;
    this.#follow(e);
    return e;
  }

  #lookup(text: SeriesText, hash: number): CacheEntry | undefined {
    const n = text.length;
    let e = this.#byHash.get(hash);
    while (e !== undefined && (e.textLength !== n || !text.equals(this.#arenaView, e.textAt))) e = e.next;
    return e;
  }

  /** Notes that this scrape looked `e` up after the previous entry, for the next scrape's guess. */
  #follow(e: CacheEntry): void {
    if (this.#last === undefined) this.#first = e;
    else this.#last.after = e;
    this.#last = e;
  }

  get size(): number {
    return this.#size;
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
    this.#last = undefined;
    let flushed = false;
    if (success && this.#size > 2 * seen + 100) {
      this.#evictOlderThan(this.iter);
      flushed = true;
    }
    this.iter++;
    return flushed;
  }

  #growArena(need: number): void {
    const grown = new Uint8Array(Math.max(need, Math.ceil(this.#arena.length * ARENA_GROWTH)));
    grown.set(this.#arena.subarray(0, this.#arenaUsed));
    this.#setArena(grown, this.#arenaUsed);
  }

  #setArena(arena: Uint8Array, used: number): void {
    this.#arena = arena;
    this.#arenaView = new DataView(arena.buffer, arena.byteOffset, arena.byteLength);
    this.#arenaUsed = used;
  }

  /**
   * Drops the entries last seen before scrape `iter`, keeping the others' chains in order, and
   * copies the remaining texts into a new arena sized for them.
   */
  #evictOlderThan(iter: number): void {
    const old = this.#arena;
    let liveBytes = 0;
    for (const [hash, first] of this.#byHash) {
      let head: CacheEntry | undefined;
      let tail: CacheEntry | undefined;
      for (let e: CacheEntry | undefined = first; e !== undefined;) {
        const next: CacheEntry | undefined = e.next;
        if (e.lastIter < iter) this.#size--;
        else {
          e.next = undefined;
          if (tail === undefined) head = e;
          else tail.next = e;
          tail = e;
          liveBytes += e.textLength;
        }
        e = next;
      }
      if (head === undefined) this.#byHash.delete(hash);
      else if (head !== first) this.#byHash.set(hash, head);
    }
    // No guess may lead to an evicted entry: it is no longer in the map.
    if (this.#first !== undefined && this.#first.lastIter < iter) this.#first = undefined;
    const arena = new Uint8Array(Math.max(MIN_ARENA, Math.ceil(liveBytes * ARENA_GROWTH)));
    let used = 0;
    for (const first of this.#byHash.values()) {
      for (let e: CacheEntry | undefined = first; e !== undefined; e = e.next) {
        if (e.after !== undefined && e.after.lastIter < iter) e.after = undefined;
        arena.set(old.subarray(e.textAt, e.textAt + e.textLength), used);
        e.textAt = used;
        used += e.textLength;
      }
    }
    this.#setArena(arena, used);
  }
}
