/**
 * rate, increase, delta, changes and resets over the experimental `anchored` and `smoothed`
 * range selectors (`--enable-feature=promql-extended-range-selectors` in Prometheus): no
 * extrapolation; the window's ends are the sample at or before its start (anchored) or values
 * interpolated at its boundaries (smoothed).
 */
import type { WindowedMatrix } from './evaluator.js';
import { interpolate } from './selectors.js';
import type { RangeSeries } from './value.js';

/** The smallest i in [0, n) with pred(i), or n (Go's sort.Search). */
function search(n: number, pred: (i: number) => boolean): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (pred(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Adds back each value a counter dropped from, from `left` through `points` to `right`. */
function counterResetCorrection(
  left: number,
  right: number,
  vs: Float64Array,
  from: number,
  to: number,
): number {
  let correction = 0;
  let prev = left;
  for (let i = from; i <= to; i++) {
    if (vs[i] < prev) correction += prev;
    prev = vs[i];
  }
  if (right < prev) correction += prev;
  return correction;
}

/** rate/increase/delta over an extended window; undefined leaves the series out. */
export function extendedRate(
  s: RangeSeries,
  m: WindowedMatrix,
  isCounter: boolean,
  isRate: boolean,
): number | undefined {
  const { ts, vs } = s;
  const smoothed = m.extended === 'smoothed';
  let last = ts.length - 1;
  if (last < 0) return undefined;
  // The sample at or before the window's start (or the first one), and with smoothing the first
  // sample at or after its end (or the last one).
  let first = Math.max(0, search(last, (i) => ts[i] > m.start) - 1);
  if (smoothed) last = search(last, (i) => ts[i] >= m.end);
  if (ts[last] <= m.start) return undefined;
  if (smoothed && ts[first] > m.end) return undefined;
  const left =
    smoothed && ts[first] < m.start
      ? interpolate(ts[first], vs[first], ts[first + 1], vs[first + 1], m.start, isCounter)
      : vs[first];
  const right =
    smoothed && last > 0 && ts[last] > m.end
      ? interpolate(ts[last - 1], vs[last - 1], ts[last], vs[last], m.end, isCounter)
      : vs[last];
  let result = right - left;
  if (isCounter) {
    // Resets at the boundaries are already in left and right; only those inside remain.
    if (ts[first] <= m.start) first++;
    if (ts[last] >= m.end) last--;
    result += counterResetCorrection(left, right, vs, first, last);
  }
  return isRate ? result / ((m.end - m.start) / 1000) : result;
}

/**
 * For `anchored` windows: the samples from the last one at or before the window's start (the
 * anchor), or all when there is none; undefined when no sample lies inside the window.
 */
export function anchoredSamples(s: RangeSeries, m: WindowedMatrix): RangeSeries | undefined {
  const after = search(s.ts.length, (i) => s.ts[i] > m.start);
  if (after === s.ts.length) return undefined;
  const from = Math.max(0, after - 1);
  return { labels: s.labels, ts: s.ts.subarray(from), vs: s.vs.subarray(from) };
}
