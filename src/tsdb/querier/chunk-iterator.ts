/**
 * Sample iterators over encoded chunks: one series' chunks within a time window, minus deleted
 * intervals, decoded lazily one chunk at a time; and a merge of several iterators of the same
 * series (head and blocks, overlapping blocks) that yields each timestamp once.
 */
import type { Labels } from '../../model/labels.js';
import type { SampleIterator, SampleSink, Series } from '../../storage/interface.js';
import { ValueType } from '../../storage/interface.js';
import { XorDecoder } from '../chunkenc/xor-decode.js';

/** A chunk known by its time span, its bytes read only when the iterator reaches it. */
export interface ChunkHandle {
  readonly mint: number;
  readonly maxt: number;
  /**
   * The chunk's XOR bytes; may read from disk. Valid until the next `data()` of a handle from the
   * same source (a block's reads share a window): decode them at once. Throws `CorruptionError` on
   * a bad chunk.
   */
  data(): Uint8Array;
}

/** A deleted interval, inclusive at both ends. */
export interface Interval {
  readonly mint: number;
  readonly maxt: number;
}

/**
 * Decoders of finished iterators, for the next ones: a query opens an iterator per series, and
 * each would otherwise allocate its own sample arrays.
 */
const FREE_DECODERS: XorDecoder[] = [];
const MAX_FREE_DECODERS = 16;

/**
 * Iterates a series' chunks (time-ordered, not overlapping) within [mint, maxt]. Each chunk it
 * reaches is decoded whole into arrays (`XorDecoder`), then its samples are stepped through.
 */
export class ChunkSeriesIterator implements SampleIterator {
  readonly #chunks: readonly ChunkHandle[];
  readonly #mint: number;
  readonly #maxt: number;
  readonly #deleted: readonly Interval[];
  #dec: XorDecoder | undefined;
  /** Samples decoded from the current chunk, and the index of the current one. */
  #n = 0;
  #i = 0;
  #t = 0;
  #v = 0;
  #ci = -1;
  #inChunk = false;
  #done = false;
  #err: Error | undefined;

  constructor(chunks: readonly ChunkHandle[], mint: number, maxt: number, deleted: readonly Interval[] = []) {
    this.#chunks = chunks;
    this.#mint = mint;
    this.#maxt = maxt;
    this.#deleted = deleted;
  }

  next(): ValueType {
    if (this.#done) return ValueType.None;
    for (;;) {
      if (!this.#inChunk && !this.#openChunk(this.#mint)) return this.#finish();
      const dec = this.#dec as XorDecoder;
      const i = ++this.#i;
      if (i >= this.#n) {
        if (dec.err !== undefined) {
          this.#err = dec.err;
          return this.#finish();
        }
        this.#inChunk = false;
        continue;
      }
      const t = dec.ts[i];
      if (t < this.#mint) continue;
      if (t > this.#maxt) return this.#finish();
      if (this.#deleted.length > 0 && isDeleted(this.#deleted, t)) continue;
      this.#t = t;
      this.#v = dec.vs[i];
      return ValueType.Float;
    }
  }

  seek(t: number): ValueType {
    if (this.#done) return ValueType.None;
    if (this.#inChunk && this.#i >= 0 && this.#t >= t) return ValueType.Float;
    // Skip whole chunks that end before t without decoding them.
    if (this.#inChunk && this.#chunks[this.#ci].maxt < t) this.#inChunk = false;
    if (!this.#inChunk && !this.#openChunk(Math.max(t, this.#mint))) return this.#finish();
    while (this.next() === ValueType.Float) if (this.#t >= t) return ValueType.Float;
    return ValueType.None;
  }

  readRange(mint: number, maxt: number, sink: SampleSink): void {
    const lo = Math.max(mint, this.#mint);
    const hi = Math.min(maxt, this.#maxt);
    // The whole decoded run between the bounds at once; sample by sample only around deletions.
    while (this.#openChunk(lo)) {
      const dec = this.#dec as XorDecoder;
      const ts = dec.ts;
      const n = this.#n;
      let from = 0;
      while (from < n && ts[from] < lo) from++;
      let to = from;
      while (to < n && ts[to] <= hi) to++;
      if (this.#deleted.length === 0) {
        if (to > from) sink.push(ts, dec.vs, from, to);
      } else {
        for (let i = from; i < to; i++) if (!isDeleted(this.#deleted, ts[i])) sink.push(ts, dec.vs, i, i + 1);
      }
      if (dec.err !== undefined && to === n) {
        this.#err = dec.err;
        break;
      }
      if (to < n) break; // past hi
    }
    this.#finish();
  }

  t(): number {
    return this.#t;
  }

  v(): number {
    return this.#v;
  }

  err(): Error | undefined {
    return this.#err;
  }

  /** Moves to the next chunk that may hold samples at or after `from`; false when none is left. */
  #openChunk(from: number): boolean {
    for (;;) {
      this.#ci++;
      if (this.#ci >= this.#chunks.length) return false;
      const c = this.#chunks[this.#ci];
      if (c.mint > this.#maxt) return false;
      if (c.maxt < from) continue;
      const dec = (this.#dec ??= FREE_DECODERS.pop() ?? new XorDecoder());
      try {
        this.#n = dec.decode(c.data());
      } catch (err) {
        this.#err = err instanceof Error ? err : new Error(String(err));
        return false;
      }
      this.#i = -1;
      this.#inChunk = true;
      return true;
    }
  }

  #finish(): ValueType {
    this.#done = true;
    this.#inChunk = false;
    if (this.#dec !== undefined && FREE_DECODERS.length < MAX_FREE_DECODERS) FREE_DECODERS.push(this.#dec);
    this.#dec = undefined;
    return ValueType.None;
  }
}

function isDeleted(deleted: readonly Interval[], t: number): boolean {
  for (const d of deleted) if (t >= d.mint && t <= d.maxt) return true;
  return false;
}

/**
 * Merges iterators over the same series from several sources in time order. At equal timestamps
 * the earliest source wins (blocks are passed oldest first and the head last, so a sample written
 * twice keeps one value).
 */
export class MergedSampleIterator implements SampleIterator {
  readonly #its: SampleIterator[];
  readonly #live: boolean[];
  #started = false;
  #t = 0;
  #v = 0;
  #err: Error | undefined;

  constructor(its: SampleIterator[]) {
    this.#its = its;
    this.#live = its.map(() => true);
  }

  next(): ValueType {
    if (!this.#started) {
      this.#started = true;
      for (let i = 0; i < this.#its.length; i++) this.#live[i] = this.#its[i].next() !== ValueType.None;
    } else {
      this.#advancePast(this.#t);
    }
    return this.#pick();
  }

  seek(t: number): ValueType {
    if (this.#started && this.#pickable() && this.#t >= t) return ValueType.Float;
    this.#started = true;
    for (let i = 0; i < this.#its.length; i++) {
      if (this.#live[i]) this.#live[i] = this.#its[i].seek(t) !== ValueType.None;
    }
    return this.#pick();
  }

  t(): number {
    return this.#t;
  }

  v(): number {
    return this.#v;
  }

  err(): Error | undefined {
    return this.#err;
  }

  #pickable(): boolean {
    return this.#live.some((l) => l);
  }

  #advancePast(t: number): void {
    for (let i = 0; i < this.#its.length; i++) {
      if (this.#live[i] && this.#its[i].t() <= t) this.#live[i] = this.#its[i].next() !== ValueType.None;
    }
  }

  #pick(): ValueType {
    let best = -1;
    for (let i = 0; i < this.#its.length; i++) {
      if (!this.#live[i]) {
        this.#err ??= this.#its[i].err();
        continue;
      }
      if (best < 0 || this.#its[i].t() < this.#its[best].t()) best = i;
    }
    if (best < 0) return ValueType.None;
    this.#t = this.#its[best].t();
    this.#v = this.#its[best].v();
    return ValueType.Float;
  }
}

/** A series whose samples live in chunks (head or block), iterated within [mint, maxt]. */
export class ChunkSeries implements Series {
  constructor(
    readonly labels: Labels,
    private readonly chunks: readonly ChunkHandle[],
    private readonly mint: number,
    private readonly maxt: number,
    private readonly deleted: readonly Interval[],
  ) {}
  iterator(): SampleIterator {
    return new ChunkSeriesIterator(this.chunks, this.mint, this.maxt, this.deleted);
  }
}

/**
 * A series whose chunks come in groups that may overlap one another (the head's in-order chunks
 * and each out-of-order chunk): each group is iterated on its own and the groups merged, the
 * first group winning at equal timestamps.
 */
export class OverlappingChunkSeries implements Series {
  constructor(
    readonly labels: Labels,
    private readonly groups: readonly (readonly ChunkHandle[])[],
    private readonly mint: number,
    private readonly maxt: number,
    private readonly deleted: readonly Interval[],
  ) {}
  iterator(): SampleIterator {
    return new MergedSampleIterator(
      this.groups.map((g) => new ChunkSeriesIterator(g, this.mint, this.maxt, this.deleted)),
    );
  }
}
