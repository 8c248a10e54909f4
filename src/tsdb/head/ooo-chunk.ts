/**
 * The out-of-order head chunk of one series (Prometheus' `OOOChunk`): up to `capMax` samples kept
 * sorted by time in plain arrays, because out-of-order samples arrive in any order and an XOR chunk
 * can only be appended to. It is encoded to XOR when it is cut (full) or read.
 */
import { XorChunk } from '../chunkenc/xor.js';

/** Prometheus' default `out_of_order_cap_max`: samples per out-of-order head chunk. */
export const DEFAULT_OOO_CAP_MAX = 32;

export class OooChunk {
  /** Sorted timestamps and their values; typed arrays keep NaN payloads bit-exact. */
  readonly #t: Float64Array;
  readonly #v: Float64Array;
  #n = 0;

  constructor(capMax: number) {
    this.#t = new Float64Array(capMax);
    this.#v = new Float64Array(capMax);
  }

  /** Samples held. */
  get numSamples(): number {
    return this.#n;
  }

  /** Whether no more samples fit. */
  get full(): boolean {
    return this.#n === this.#t.length;
  }

  /** First and last timestamp (only meaningful when not empty). */
  get mint(): number {
    return this.#t[0];
  }
  get maxt(): number {
    return this.#t[this.#n - 1];
  }

  /**
   * Inserts a sample in time order. A sample whose timestamp is already held is dropped and false
   * returned: the first value written wins, as in Prometheus (whatever the value).
   */
  insert(t: number, v: number): boolean {
    const ts = this.#t;
    const n = this.#n;
    // Most out-of-order samples still come after the chunk's newest: check the end first.
    let i = n;
    if (n > 0 && t <= ts[n - 1]) {
      let lo = 0;
      let hi = n;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (ts[mid] < t) lo = mid + 1;
        else hi = mid;
      }
      i = lo;
      if (ts[i] === t) return false;
      ts.copyWithin(i + 1, i, n);
      this.#v.copyWithin(i + 1, i, n);
    }
    ts[i] = t;
    this.#v[i] = v;
    this.#n = n + 1;
    return true;
  }

  /** The samples as an XOR chunk. */
  toXor(): XorChunk {
    const c = new XorChunk();
    const app = c.appender();
    for (let i = 0; i < this.#n; i++) app.append(this.#t[i], this.#v[i]);
    return c;
  }
}
