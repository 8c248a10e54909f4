/**
 * One series in the head: its labels, the chunks cut so far and the open chunk being appended to.
 * Chunks never cross a multiple of the chunk range (the block range), so a block is cut from the
 * head by taking whole chunks, without re-encoding.
 */
import type { Labels } from '../../model/labels.js';
import { sameFloatBits } from '../../model/value.js';
import type { XorAppender } from '../chunkenc/xor.js';
import { XorChunk } from '../chunkenc/xor.js';

/** Samples per chunk Prometheus aims for. */
export const TARGET_SAMPLES_PER_CHUNK = 120;
/** A chunk is cut at twice the target whatever its time span, as Prometheus does. */
const MAX_SAMPLES_PER_CHUNK = 2 * TARGET_SAMPLES_PER_CHUNK;

/** A chunk that no longer grows. */
export interface ClosedChunk {
  readonly mint: number;
  readonly maxt: number;
  readonly chunk: XorChunk;
}

/** Why `checkAppend` refused a sample (or `ok`, or `duplicate-same` to skip it silently). */
export type AppendCheck = 'ok' | 'duplicate-same' | 'out-of-order' | 'duplicate';

/** A series in the head. Not safe for concurrent use; the head serialises appends. */
export class MemSeries {
  /**
   * Closed chunks in time order. Replaced rather than pushed to, so the array is exactly as long as
   * it needs to be (a pushed one has room for 17: ~100 bytes a series wasted).
   */
  closed: readonly ClosedChunk[] = [];
  /** The open chunk, or undefined before the first sample and right after truncation. */
  head: XorChunk | undefined;
  #app: XorAppender | undefined;
  /** Samples in the open chunk: `XorChunk.numSamples()` allocates a view, too dear per append. */
  #headSamples = 0;
  /** First timestamp of the open chunk. */
  headMint = 0;
  /** Timestamp at which the open chunk is cut (the chunk range end or Prometheus' estimate). */
  #nextAt = 0;
  /** Last appended timestamp (-Infinity before any). */
  lastT = -Infinity;
  /** Last appended value (an object field keeps NaN payloads). */
  lastV = 0;
  /** Whether a WAL series record for this series was written (or replayed). */
  logged = false;
  /** The open transaction that last added a sample (0: none), and that sample. */
  txnId = 0;
  txnLastT = -Infinity;
  txnLastV = 0;

  constructor(
    readonly ref: number,
    readonly labels: Labels,
    private readonly chunkRange: number,
  ) {}

  /** Whether a sample may be appended after what this series holds, by Prometheus' rules. */
  checkAppend(t: number, v: number): AppendCheck {
    if (t > this.lastT) return 'ok';
    if (t < this.lastT) return 'out-of-order';
    return sameFloatBits(v, this.lastV) ? 'duplicate-same' : 'duplicate';
  }

  /** Appends a sample that `checkAppend` accepted with 'ok'; true when it started a new chunk. */
  append(t: number, v: number): boolean {
    let cut = false;
    if (this.head === undefined || t >= this.#nextAt || this.#headSamples >= MAX_SAMPLES_PER_CHUNK) {
      this.#cut(t);
      cut = true;
    } else if (this.#headSamples === TARGET_SAMPLES_PER_CHUNK / 4) {
      // A quarter full: estimate the end so the chunk holds about the target, as Prometheus does.
      this.#nextAt = computeChunkEndTime(this.headMint, this.lastT, this.#nextAt);
    }
    this.#app!.append(t, v);
    this.#headSamples++;
    this.lastT = t;
    this.lastV = v;
    return cut;
  }

  #cut(t: number): void {
    if (this.head !== undefined && this.head.numSamples() > 0) {
      this.closed = this.closed.concat({ mint: this.headMint, maxt: this.lastT, chunk: this.head });
    }
    this.head = new XorChunk();
    this.#app = this.head.appender();
    this.#headSamples = 0;
    this.headMint = t;
    this.#nextAt = rangeEnd(t, this.chunkRange);
  }

  /** Earliest timestamp held, or undefined when empty. */
  minTime(): number | undefined {
    if (this.closed.length > 0) return this.closed[0].mint;
    return this.head !== undefined && this.head.numSamples() > 0 ? this.headMint : undefined;
  }

  /**
   * Drops closed chunks that end before `mint` and, when the open chunk ends before it too, the
   * open chunk. Returns whether the series is now empty.
   */
  truncateBefore(mint: number): boolean {
    let drop = 0;
    while (drop < this.closed.length && this.closed[drop].maxt < mint) drop++;
    if (drop > 0) this.closed = this.closed.slice(drop);
    if (this.closed.length === 0 && this.head !== undefined && this.lastT < mint) {
      this.head = undefined;
      this.#app = undefined;
    }
    return this.closed.length === 0 && this.head === undefined;
  }

  /** All chunks overlapping [mint, maxt], the open one last with its current sample count. */
  chunksIn(mint: number, maxt: number): ClosedChunk[] {
    const out: ClosedChunk[] = [];
    for (const c of this.closed) if (c.maxt >= mint && c.mint <= maxt) out.push(c);
    if (
      this.head !== undefined &&
      this.head.numSamples() > 0 &&
      this.lastT >= mint &&
      this.headMint <= maxt
    ) {
      out.push({ mint: this.headMint, maxt: this.lastT, chunk: this.head });
    }
    return out;
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
