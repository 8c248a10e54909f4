/**
 * Vector and matrix selectors: the samples of each selected series are loaded once per query
 * into typed arrays; each step then finds its sample or window by binary search.
 */
import type { Labels } from '../../model/labels.js';
import { isStaleNaN } from '../../model/value.js';
import type { Querier, SampleIterator, SampleSink } from '../../storage/interface.js';
import { ValueType } from '../../storage/interface.js';
import type { VectorSelector } from '../ast.js';
import type { RangeSeries, Vector } from './value.js';

/** One selected series with all its samples in the query's time range. */
export interface LoadedSeries {
  labels: Labels;
  ts: Float64Array;
  vs: Float64Array;
}

/** First index with ts[i] > t (upper bound). */
export function upperBound(ts: Float64Array, t: number): number {
  let lo = 0;
  let hi = ts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ts[mid] <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Growable scratch arrays that one series' samples are read into, reused from series to series. */
export class SampleBuffer implements SampleSink {
  ts = new Float64Array(64);
  vs = new Float64Array(64);
  /** Samples pushed by the `readRange` in progress, and whether it drops staleness markers. */
  #n = 0;
  #dropStale = false;

  /**
   * Reads the samples of `it` in [mint, maxt] into `ts`/`vs` and returns how many; with
   * `dropStale`, staleness markers are left out. Throws the iterator's error.
   */
  read(it: SampleIterator, mint: number, maxt: number, dropStale = false): number {
    let n = 0;
    if (it.readRange !== undefined) {
      this.#n = 0;
      this.#dropStale = dropStale;
      it.readRange(mint, maxt, this);
      n = this.#n;
    } else {
      for (let k = it.seek(mint); k === ValueType.Float; k = it.next()) {
        const t = it.t();
        if (t > maxt) break;
        const v = it.v();
        if (dropStale && isStaleNaN(v)) continue;
        if (n === this.ts.length) this.#grow();
        this.ts[n] = t;
        this.vs[n] = v;
        n++;
      }
    }
    const err = it.err();
    if (err !== undefined) throw err;
    return n;
  }

  /**
   * Appends a run of samples (`SampleSink`, for `readRange`), without staleness markers when the
   * read asked so. A plain loop: runs are a chunk long, where views for `set` would cost more.
   */
  push(ts: Float64Array, vs: Float64Array, from: number, to: number): void {
    let n = this.#n;
    while (n + to - from > this.ts.length) this.#grow();
    const outT = this.ts;
    const outV = this.vs;
    const drop = this.#dropStale;
    for (let i = from; i < to; i++) {
      const v = vs[i];
      if (drop && v !== v && isStaleNaN(v)) continue;
      outT[n] = ts[i];
      outV[n++] = v;
    }
    this.#n = n;
  }

  #grow(): void {
    const ts = new Float64Array(this.ts.length * 2);
    const vs = new Float64Array(this.vs.length * 2);
    ts.set(this.ts);
    vs.set(this.vs);
    this.ts = ts;
    this.vs = vs;
  }
}

/** Reads every series a selector matches between mint and maxt into typed arrays. */
export function loadSeries(q: Querier, vs: VectorSelector, mint: number, maxt: number): LoadedSeries[] {
  const set = q.select(true, { start: mint, end: maxt }, ...vs.matchers);
  const out: LoadedSeries[] = [];
  const buf = new SampleBuffer();
  while (set.next()) {
    const s = set.at();
    const n = buf.read(s.iterator(), mint, maxt);
    out.push({ labels: s.labels, ts: buf.ts.slice(0, n), vs: buf.vs.slice(0, n) });
  }
  const err = set.err();
  if (err !== undefined) throw err;
  return out;
}

/**
 * The instant vector at reference time `ref`: per series the newest sample in (ref - lookback, ref],
 * unless that sample is a staleness marker.
 */
export function instantVector(series: readonly LoadedSeries[], ref: number, lookback: number): Vector {
  const out: Vector = [];
  for (const s of series) {
    const i = upperBound(s.ts, ref) - 1;
    if (i < 0 || s.ts[i] <= ref - lookback) continue;
    const v = s.vs[i];
    if (isStaleNaN(v)) continue;
    out.push({ labels: s.labels, v, t: s.ts[i] });
  }
  return out;
}

/**
 * The range vector over the left-open window (ref - range, ref], without staleness markers. Series
 * with no sample in the window are left out.
 */
export function rangeVector(series: readonly LoadedSeries[], ref: number, range: number): RangeSeries[] {
  const out: RangeSeries[] = [];
  for (const s of series) {
    const lo = upperBound(s.ts, ref - range);
    const hi = upperBound(s.ts, ref);
    if (hi <= lo) continue;
    let stale = false;
    for (let i = lo; i < hi; i++) if (isStaleNaN(s.vs[i])) stale = true;
    if (!stale) {
      out.push({ labels: s.labels, ts: s.ts.subarray(lo, hi), vs: s.vs.subarray(lo, hi) });
      continue;
    }
    const ts: number[] = [];
    const vs = new Float64Array(hi - lo);
    for (let i = lo; i < hi; i++) {
      if (isStaleNaN(s.vs[i])) continue;
      vs[ts.length] = s.vs[i];
      ts.push(s.ts[i]);
    }
    if (ts.length > 0) out.push({ labels: s.labels, ts: Float64Array.from(ts), vs: vs.slice(0, ts.length) });
  }
  return out;
}

/**
 * The experimental `smoothed` instant selector: per series the value at `ref` interpolated
 * linearly between the samples just before and just after it (both within the lookback delta);
 * the sample itself when one sits at `ref`, the nearest one when there is a sample on one side
 * only.
 */
export function smoothedInstantVector(
  series: readonly LoadedSeries[],
  ref: number,
  lookback: number,
): Vector {
  const out: Vector = [];
  for (const w of rangeVector(series, ref + lookback, 2 * lookback)) {
    const i = upperBound(w.ts, ref) - 1; // The sample at or before ref.
    let v: number;
    if (i < 0) v = w.vs[0];
    else if (w.ts[i] === ref || i === w.ts.length - 1) v = w.vs[i];
    else v = interpolate(w.ts[i], w.vs[i], w.ts[i + 1], w.vs[i + 1], ref, false);
    out.push({ labels: w.labels, v, t: ref });
  }
  return out;
}

/**
 * The value at `t` on the line through (t1, v1) and (t2, v2). For a counter that reset between
 * them the line starts from 0 instead of v1, as Prometheus models a reset.
 */
export function interpolate(
  t1: number,
  v1: number,
  t2: number,
  v2: number,
  t: number,
  isCounter: boolean,
): number {
  const y1 = isCounter && v2 < v1 ? 0 : v1;
  return y1 + ((v2 - y1) * (t - t1)) / (t2 - t1);
}
