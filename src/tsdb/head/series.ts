/**
 * One series in the head: its labels, the chunks cut so far and the open chunk being appended to.
 * Chunks never cross a multiple of the chunk range (the block range), so a block is cut from the
 * head by taking whole chunks, without re-encoding.
 */
import type { Labels } from '../../model/labels.js';
import { sameFloatBits } from '../../model/value.js';
import type { BufferPool } from '../chunkenc/bstream.js';
import type { XorAppender } from '../chunkenc/xor.js';
import { XorChunk } from '../chunkenc/xor.js';
import type { HeadChunkStore } from './chunk-store.js';
import { OooSeries } from './ooo-series.js';
import type { OooInsert } from './ooo-series.js';

/** Samples per chunk Prometheus aims for. */
export const TARGET_SAMPLES_PER_CHUNK = 120;
/** A chunk is cut at twice the target whatever its time span, as Prometheus does. */
const MAX_SAMPLES_PER_CHUNK = 2 * TARGET_SAMPLES_PER_CHUNK;

/** Numbers per full chunk in `MemSeries`' list: mint, maxt, ref. */
const CLOSED_STRIDE = 3;

/** A chunk that no longer grows, kept out of the heap: its span and its reference in the store. */
export interface MmappedChunk {
  readonly mint: number;
  readonly maxt: number;
  readonly ref: number;
}

/**
 * Full chunks as flat (mint, maxt, ref) triples in time order, as `MemSeries` keeps them: how
 * start-up hands a series the chunks found in `chunks_head/` (an object each cost a million series
 * three million objects to build and collect).
 */
export type ChunkTriples = readonly number[];

/** A chunk with its span, decoded on demand (for queries and block writing). */
export interface HeadChunkView {
  readonly mint: number;
  readonly maxt: number;
  /** The XOR bytes; for the open chunk, a copy of its samples so far. */
  data(): Uint8Array;
}

/** What all series of a head share (one field a series rather than three). */
export interface SeriesContext {
  /** Width of a chunk range, ms: chunks never cross a multiple of it. */
  readonly chunkRange: number;
  /** Where full chunks go. */
  readonly store: HeadChunkStore;
  /** Where open chunks get their buffers. */
  readonly buffers: BufferPool;
  /** Where series keep their timestamps and last value. */
  readonly numbers: SeriesNumbers;
}

// A series' numbers in `SeriesNumbers.values`, from its offset.
const HEAD_MINT = 0;
const NEXT_AT = 1;
/** Where a series' last timestamp is in `SeriesNumbers.values`, from `MemSeries.numbersAt`. */
export const LAST_T = 2;
/** Where a series' last value is, likewise. */
export const LAST_V = 3;
const NUMBERS_PER_SERIES = 4;

/**
 * The numbers of a head's series that change as samples come (timestamps and the last value),
 * four a series in one shared array. As fields of each series they were four heap numbers a
 * series: 64 bytes, and four more objects for every garbage collection to copy or mark.
 */
export class SeriesNumbers {
  /** Replaced by a larger copy as series are added: read it through this field each time. */
  values = new Float64Array(NUMBERS_PER_SERIES * 1024);
  #used = 0;
  readonly #free: number[] = [];

  /** The offset of a new series' numbers: no open chunk and no sample yet. */
  alloc(): number {
    let at = this.#free.pop();
    if (at === undefined) {
      if (this.#used + NUMBERS_PER_SERIES > this.values.length) {
        const grown = new Float64Array(this.values.length * 2);
        grown.set(this.values);
        this.values = grown;
      }
      at = this.#used;
      this.#used += NUMBERS_PER_SERIES;
    }
    const v = this.values;
    v[at + HEAD_MINT] = 0;
    v[at + NEXT_AT] = 0;
    v[at + LAST_T] = -Infinity;
    v[at + LAST_V] = 0;
    return at;
  }

  /** Takes back the numbers of a series removed from the head, for a later series. */
  free(at: number): void {
    this.#free.push(at);
  }
}

/** Why `checkAppend` refused a sample (or `ok`, or `duplicate-same` to skip it silently). */
export type AppendCheck = 'ok' | 'duplicate-same' | 'out-of-order' | 'duplicate';

/** A series in the head. Not safe for concurrent use; the head serialises appends. */
export class MemSeries {
  /**
   * Full chunks in time order, moved to the chunk store, as flat (mint, maxt, ref) triples: V8
   * keeps a number array's doubles unboxed, where an object a chunk cost ~100 bytes. Replaced
   * rather than pushed to, so the array is exactly as long as it needs to be.
   */
  #closed: number[] = [];
  /** The open chunk, or undefined before the first sample and right after truncation. */
  head: XorChunk | undefined;
  #app: XorAppender | undefined;
  /** Samples in the open chunk: `XorChunk.numSamples()` allocates a view, too dear per append. */
  #headSamples = 0;
  /** Where this series' numbers are in `ctx.numbers` (see `SeriesNumbers`). */
  readonly #at: number;
  /** Whether a WAL series record for this series was written (or replayed). */
  logged = false;
  /**
   * The open transaction that last added a sample (0: none), and that sample's index in its batch
   * (a small integer, where the sample itself would be two boxed doubles a series).
   */
  txnId = 0;
  txnIndex = 0;
  /** Out-of-order samples and chunks, from the first out-of-order sample on. */
  ooo: OooSeries | undefined;

  constructor(
    readonly ref: number,
    readonly labels: Labels,
    private readonly ctx: SeriesContext,
  ) {
    this.#at = ctx.numbers.alloc();
  }

  /**
   * Where this series' numbers start in `SeriesNumbers.values` (see `LAST_T`, `LAST_V`). Hot paths
   * read them there: a getter returning a double that V8 does not inline boxes it, 16 bytes a call.
   */
  get numbersAt(): number {
    return this.#at;
  }

  /** First timestamp of the open chunk. */
  get headMint(): number {
    return this.ctx.numbers.values[this.#at + HEAD_MINT];
  }

  /** Last appended timestamp (-Infinity before any). */
  get lastT(): number {
    return this.ctx.numbers.values[this.#at + LAST_T];
  }

  /** Last appended value (bit-exact: a Float64Array keeps NaN payloads such as staleness markers). */
  get lastV(): number {
    return this.ctx.numbers.values[this.#at + LAST_V];
  }

  /** Gives the series' numbers back; called once the head has removed it. */
  dispose(): void {
    this.ctx.numbers.free(this.#at);
  }

  /**
   * Restores state at start-up: full chunks found in the store (their samples are not replayed
   * again), then optionally the open chunk from a snapshot with its last sample.
   */
  restore(
    closed: ChunkTriples,
    open?: { mint: number; maxt: number; bytes: Uint8Array; lastV: number },
  ): void {
    const n = this.ctx.numbers.values;
    const at = this.#at;
    if (closed.length > 0) {
      this.#closed = this.#closed.concat(closed); // exactly sized, unlike a pushed array
      n[at + LAST_T] = closed[closed.length - CLOSED_STRIDE + 1];
    }
    if (open !== undefined) {
      this.head?.release();
      this.head = new XorChunk(open.bytes, this.ctx.buffers);
      // Resumed on the first append: decoding every open chunk here would slow start-up.
      this.#app = undefined;
      this.#headSamples = this.head.numSamples();
      n[at + HEAD_MINT] = open.mint;
      n[at + NEXT_AT] = rangeEnd(open.mint, this.ctx.chunkRange);
      n[at + LAST_T] = open.maxt;
      n[at + LAST_V] = open.lastV;
    }
  }

  /** Whether a sample may be appended after what this series holds, by Prometheus' rules. */
  checkAppend(t: number, v: number): AppendCheck {
    if (t > this.lastT) return 'ok';
    if (t < this.lastT) return 'out-of-order';
    return sameFloatBits(v, this.lastV) ? 'duplicate-same' : 'duplicate';
  }

  /** Appends a sample that `checkAppend` accepted with 'ok'; true when it started a new chunk. */
  append(t: number, v: number): boolean {
    let cut = false;
    const at = this.#at;
    // Only creating a series replaces the array, never an append: one read serves the whole call.
    const n = this.ctx.numbers.values;
    if (this.head === undefined || t >= n[at + NEXT_AT] || this.#headSamples >= MAX_SAMPLES_PER_CHUNK) {
      this.#cut(t);
      cut = true;
    } else if (this.#headSamples === TARGET_SAMPLES_PER_CHUNK / 4) {
      // A quarter full: estimate the end so the chunk holds about the target, as Prometheus does.
      n[at + NEXT_AT] = computeChunkEndTime(n[at + HEAD_MINT], n[at + LAST_T], n[at + NEXT_AT]);
    }
    (this.#app ??= this.head!.appender()).append(t, v);
    this.#headSamples++;
    n[at + LAST_T] = t;
    n[at + LAST_V] = v;
    return cut;
  }

  #cut(t: number): void {
    if (this.head !== undefined && this.head.numSamples() > 0) {
      // The store copies the bytes, so the open chunk's buffer is reused for the next one.
      const ref = this.ctx.store.put(this.ref, this.headMint, this.lastT, this.head);
      this.#closed = this.#closed.concat([this.headMint, this.lastT, ref]);
      this.head.reset();
    } else if (this.head === undefined) {
      this.head = new XorChunk(undefined, this.ctx.buffers);
    }
    this.#app = this.head.appender();
    this.#headSamples = 0;
    const n = this.ctx.numbers.values;
    n[this.#at + HEAD_MINT] = t;
    n[this.#at + NEXT_AT] = rangeEnd(t, this.ctx.chunkRange);
  }

  /** The full chunks as (mint, maxt, ref) triples, oldest first; not to be changed. */
  get closedChunks(): ChunkTriples {
    return this.#closed;
  }

  /** Number of full chunks in the store. */
  get closedCount(): number {
    return this.#closed.length / CLOSED_STRIDE;
  }

  /** Inserts an out-of-order sample (see `OooSeries.insert`). */
  insertOoo(t: number, v: number, capMax: number): OooInsert {
    this.ooo ??= new OooSeries(this.ref, this.ctx.store);
    return this.ooo.insert(t, v, capMax);
  }

  /** Restores out-of-order chunks found in the store at start-up. */
  restoreOoo(chunks: readonly MmappedChunk[]): void {
    this.ooo ??= new OooSeries(this.ref, this.ctx.store);
    this.ooo.restore(chunks);
  }

  /** The out-of-order chunks overlapping [mint, maxt] (they may overlap each other). */
  oooChunksIn(mint: number, maxt: number): HeadChunkView[] {
    const out: HeadChunkView[] = [];
    this.ooo?.chunksIn(mint, maxt, out);
    return out;
  }

  /** Earliest in-order timestamp held, or undefined when empty. */
  minTime(): number | undefined {
    if (this.#closed.length > 0) return this.#closed[0];
    return this.head !== undefined && this.head.numSamples() > 0 ? this.headMint : undefined;
  }

  /**
   * Drops closed chunks that end before `mint` and, when the open chunk ends before it too, the
   * open chunk. Returns whether the series is now empty (out-of-order data counts: it leaves only
   * by out-of-order compaction).
   */
  truncateBefore(mint: number): boolean {
    const closed = this.#closed;
    let drop = 0;
    while (drop < closed.length && closed[drop + 1] < mint) drop += CLOSED_STRIDE;
    if (drop > 0) this.#closed = closed.slice(drop);
    if (this.#closed.length === 0 && this.head !== undefined && this.lastT < mint) {
      this.head.release();
      this.head = undefined;
      this.#app = undefined;
    }
    return this.empty;
  }

  /** Whether the series holds no chunk at all, in order or not. */
  get empty(): boolean {
    return this.#closed.length === 0 && this.head === undefined && (this.ooo === undefined || this.ooo.empty);
  }

  /**
   * All in-order chunks overlapping [mint, maxt] in time order. The open one comes last as a copy of its
   * bytes now, so samples appended later are not seen half-way.
   */
  chunksIn(mint: number, maxt: number): HeadChunkView[] {
    const out: HeadChunkView[] = [];
    const store = this.ctx.store;
    const closed = this.#closed;
    for (let i = 0; i < closed.length; i += CLOSED_STRIDE) {
      const cMint = closed[i];
      const cMaxt = closed[i + 1];
      const ref = closed[i + 2];
      if (cMaxt >= mint && cMint <= maxt) out.push({ mint: cMint, maxt: cMaxt, data: () => store.get(ref) });
    }
    if (this.#openIn(mint, maxt)) {
      const bytes = this.head!.bytes().slice();
      out.push({ mint: this.headMint, maxt: this.lastT, data: () => bytes });
    }
    return out;
  }

  /** Whether any chunk, in order or not, overlaps [mint, maxt]. */
  hasDataIn(mint: number, maxt: number): boolean {
    const closed = this.#closed;
    for (let i = 0; i < closed.length; i += CLOSED_STRIDE)
      if (closed[i + 1] >= mint && closed[i] <= maxt) return true;
    if (this.#openIn(mint, maxt)) return true;
    if (this.ooo === undefined) return false;
    const r = this.ooo.timeRange();
    return r.maxt >= mint && r.mint <= maxt;
  }

  #openIn(mint: number, maxt: number): boolean {
    return (
      this.head !== undefined && this.head.numSamples() > 0 && this.lastT >= mint && this.headMint <= maxt
    );
  }
}

/** The end (exclusive) of the chunk-range slot holding `t`. */
export function rangeEnd(t: number, range: number): number {
  return (Math.floor(t / range) + 1) * range;
}

/**
 * Prometheus' `computeChunkEndTime`: given a chunk started at `start` that reached a quarter of
 * its target at `cur`, the end that spreads the slot up to `max` into chunks of about the target.
 */
function computeChunkEndTime(start: number, cur: number, max: number): number {
  const n = (max - start) / ((cur - start + 1) * 4);
  if (n <= 1) return max;
  return Math.trunc(start + (max - start) / Math.floor(n));
}
