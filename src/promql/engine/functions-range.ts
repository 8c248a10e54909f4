/** Functions over range vectors: rate/increase/delta, irate/idelta and the *_over_time family. */
import type { Labels } from '../../model/labels.js';
import type { PositionRange } from '../ast.js';
import type { Evaluator, WindowedMatrix } from './evaluator.js';
import type { FunctionImpl } from './functions.js';
import { QueryError } from './errors.js';
import { matrixArg, scalarArg } from './function-args.js';
import { mean } from './aggregations.js';
import { kahanInc } from './kahan.js';
import { anchoredSamples, extendedRate } from './functions-extended.js';
import { quantile } from './quantile.js';
import type { RangeSeries, Vector } from './value.js';

/** Computes one value per series of the window, or undefined to leave the series out. */
type WindowFn = (s: RangeSeries, m: WindowedMatrix, extra: number, t: number) => number | undefined;

function overWindow(f: WindowFn, keepName = false, extraArg = -1, check?: FunctionImpl): FunctionImpl {
  return (ctx) => {
    const { args } = ctx;
    check?.(ctx);
    const extra = extraArg >= 0 ? scalarArg(args[extraArg]) : 0;
    const m = matrixArg(args[extraArg === 0 ? 1 : 0]);
    const out: Vector = [];
    for (const s of m.series) {
      const v = f(s, m, extra, ctx.t);
      if (v === undefined) continue;
      out.push({ labels: s.labels, v, dropName: !keepName });
    }
    return { type: 'vector', samples: out };
  };
}

/**
 * A window function over the samples `lo` … `hi - 1` of `ts`/`vs` (staleness markers already left
 * out) in the window (`bounds[0]`, `bounds[1]`]: writes the value to `out[at]` and returns true, or
 * returns false to leave the series out. Index-based, so a range query can slide one window along
 * a series without a view per step. The bounds and the value travel in typed arrays because V8
 * boxes a double passed to or returned from a call it does not inline: two heap numbers per
 * series and step for the bounds and one for the value (a tenth of a dashboard's CPU).
 */
export type WindowKernel = (
  ts: Float64Array,
  vs: Float64Array,
  lo: number,
  hi: number,
  bounds: Float64Array,
  out: Float64Array,
  at: number,
  drops?: Int32Array,
) => boolean;

/** The window and the value of the step path's whole-window calls of a kernel. */
const KERNEL_BOUNDS = new Float64Array(2);
const KERNEL_OUT = new Float64Array(1);

/** `kernel` over the whole of `s`'s window (start, end]: its value, or undefined. */
function kernelValue(kernel: WindowKernel, s: RangeSeries, start: number, end: number): number | undefined {
  KERNEL_BOUNDS[0] = start;
  KERNEL_BOUNDS[1] = end;
  return kernel(s.ts, s.vs, 0, s.ts.length, KERNEL_BOUNDS, KERNEL_OUT, 0) ? KERNEL_OUT[0] : undefined;
}

/**
 * For a kernel that scans for counter resets: `drops[i]` counts the samples up to `i` lower than
 * the one before, so a window without any (`drops[hi - 1] === drops[lo]`) skips its scan. The scan
 * itself stays, in order, where there are resets: its sum is Prometheus' to the last bit.
 */
export function countDrops(vs: Float64Array, n: number, out: Int32Array): void {
  let c = 0;
  if (n > 0) out[0] = 0;
  for (let i = 1; i < n; i++) {
    if (vs[i] < vs[i - 1]) c++;
    out[i] = c;
  }
}

/** Prometheus' extrapolated rate over the window (start, end]. */
function extrapolatedRateKernel(isCounter: boolean, isRate: boolean): WindowKernel {
  return (ts, vs, lo, hi, bounds, out, at, drops) => {
    const n = hi - lo;
    if (n < 2) return false;
    const start = bounds[0];
    const end = bounds[1];
    const first = vs[lo];
    const last = vs[hi - 1];
    let result = last - first;
    if (isCounter && (drops === undefined || drops[hi - 1] !== drops[lo])) {
      let prev = first;
      for (let i = lo + 1; i < hi; i++) {
        if (vs[i] < prev) result += prev;
        prev = vs[i];
      }
    }
    const sampled = (ts[hi - 1] - ts[lo]) / 1000;
    const avg = sampled / (n - 1);
    const threshold = avg * 1.1;
    let toStart = (ts[lo] - start) / 1000;
    let toEnd = (end - ts[hi - 1]) / 1000;
    if (toStart >= threshold) toStart = avg / 2;
    if (isCounter && result > 0 && first >= 0) {
      const toZero = sampled * (first / result);
      if (toZero < toStart) toStart = toZero;
    }
    if (toEnd >= threshold) toEnd = avg / 2;
    let factor = (sampled + toStart + toEnd) / sampled;
    if (isRate) factor /= (end - start) / 1000;
    out[at] = result * factor;
    return true;
  };
}

/** Prometheus' extrapolated rate, or its extended-selector form for `anchored`/`smoothed`. */
function extrapolatedRate(isCounter: boolean, isRate: boolean): WindowFn {
  const kernel = extrapolatedRateKernel(isCounter, isRate);
  return (s, m) => {
    if (m.extended !== undefined) return extendedRate(s, m, isCounter, isRate);
    return kernelValue(kernel, s, m.start, m.end);
  };
}

/** Runs `f` from the anchor sample on for an `anchored` window (changes, resets). */
function anchorable(f: WindowFn): WindowFn {
  return (s, m, extra, t) => {
    if (m.extended !== 'anchored') return f(s, m, extra, t);
    const a = anchoredSamples(s, m);
    return a === undefined ? undefined : f(a, m, extra, t);
  };
}

function instantDeltaKernel(isRate: boolean): WindowKernel {
  return (ts, vs, lo, hi, _bounds, out, at) => {
    if (hi - lo < 2) return false;
    const a = vs[hi - 2];
    const b = vs[hi - 1];
    let r = isRate && b < a ? b : b - a;
    if (isRate) {
      const dt = ts[hi - 1] - ts[hi - 2];
      if (dt === 0) return false;
      r /= dt / 1000;
    }
    out[at] = r;
    return true;
  };
}

function kahanSum(vs: Float64Array, lo: number, hi: number): number {
  let sum = 0;
  let c = 0;
  for (let i = lo; i < hi; i++) [sum, c] = kahanInc(vs[i], sum, c);
  return Number.isFinite(sum) ? sum + c : sum;
}

/** The minimum (max false) or maximum of vs[lo…hi); NaN only if all are NaN. */
function extreme(vs: Float64Array, lo: number, hi: number, max: boolean): number {
  let v = vs[lo];
  for (let i = lo; i < hi; i++) {
    const x = vs[i];
    if ((max ? x > v : x < v) || Number.isNaN(v)) v = x;
  }
  return v;
}

function variance(vs: Float64Array): number {
  let count = 0;
  let mean = 0;
  let m2 = 0;
  for (const v of vs) {
    count++;
    const d = v - mean;
    mean += d / count;
    m2 += d * (v - mean);
  }
  return m2 / count;
}

/** Least-squares slope and intercept at `at` (ms), as Prometheus' linearRegression. */
function linearRegression(s: RangeSeries, at: number): [number, number] {
  const n = s.ts.length;
  let constY = true;
  for (let i = 1; i < n; i++) if (s.vs[i] !== s.vs[0]) constY = false;
  if (constY) return [0, s.vs[0]];
  let sumX = 0;
  let cX = 0;
  let sumY = 0;
  let cY = 0;
  let sumXY = 0;
  let cXY = 0;
  let sumX2 = 0;
  let cX2 = 0;
  for (let i = 0; i < n; i++) {
    const x = (s.ts[i] - at) / 1000;
    const y = s.vs[i];
    [sumX, cX] = kahanInc(x, sumX, cX);
    [sumY, cY] = kahanInc(y, sumY, cY);
    [sumXY, cXY] = kahanInc(x * y, sumXY, cXY);
    [sumX2, cX2] = kahanInc(x * x, sumX2, cX2);
  }
  sumX += cX;
  sumY += cY;
  sumXY += cXY;
  sumX2 += cX2;
  const covXY = sumXY - (sumX * sumY) / n;
  const varX = sumX2 - (sumX * sumX) / n;
  const slope = covXY / varX;
  const intercept = sumY / n - (slope * sumX) / n;
  return [slope, intercept];
}

const COUNTER_SUFFIXES = ['_total', '_sum', '_count', '_bucket'];

/**
 * rate/increase on a metric whose name does not look like a counter's: an info annotation. Series
 * of one metric come together: each name is checked once, not once per series.
 */
export function annotateNonCounters(ev: Evaluator, labels: Iterable<Labels>, pos: PositionRange): void {
  let last = '';
  for (const l of labels) {
    const name = l.metricName();
    if (name === last) continue;
    last = name;
    if (name !== '' && !COUNTER_SUFFIXES.some((x) => name.endsWith(x)))
      ev.annotate(
        'info',
        `metric might not be a counter, name does not end in _total/_sum/_count/_bucket: ${JSON.stringify(name)}`,
        pos,
      );
  }
}

const counterInfo: FunctionImpl = ({ args, call, ev }) => {
  const m = matrixArg(args[0]);
  annotateNonCounters(
    ev,
    m.series.map((s) => s.labels),
    call.args[0].pos,
  );
  return m;
};

/** quantile_over_time with φ outside [0, 1]: a warning annotation. */
const quantileWarning: FunctionImpl = ({ args, call, ev }) => {
  ev.validateQuantile(scalarArg(args[0]), call.args[0].pos);
  return args[0];
};

/** Median absolute deviation of the window's values; a NaN sample makes it NaN, as in Prometheus. */
function mad(vs: Float64Array): number {
  if (vs.some(Number.isNaN)) return NaN;
  const med = quantile(0.5, vs.slice());
  return quantile(
    0.5,
    vs.map((v) => Math.abs(v - med)),
  );
}

/** Index of the extreme value (the last one on ties); NaN only if all are NaN. */
function extremeIndex(vs: Float64Array, max: boolean): number {
  let best = -1;
  for (let i = 0; i < vs.length; i++) {
    const v = vs[i];
    if (Number.isNaN(v)) continue;
    if (best < 0 || (max ? v >= vs[best] : v <= vs[best])) best = i;
  }
  return best < 0 ? vs.length - 1 : best;
}

/** Holt's double exponential smoothing, as Prometheus' double_exponential_smoothing. */
const doubleExponentialSmoothing: FunctionImpl = ({ args }) => {
  const sf = scalarArg(args[1]);
  const tf = scalarArg(args[2]);
  if (!(sf > 0 && sf < 1)) throw new QueryError(`invalid smoothing factor. Expected: 0 < sf < 1, got: ${sf}`);
  if (!(tf > 0 && tf < 1)) throw new QueryError(`invalid trend factor. Expected: 0 < tf < 1, got: ${tf}`);
  const out: Vector = [];
  for (const s of matrixArg(args[0]).series) {
    const n = s.vs.length;
    if (n < 2) continue;
    let s0 = 0;
    let s1 = s.vs[0];
    let b = s.vs[1] - s.vs[0];
    for (let i = 1; i < n; i++) {
      const x = sf * s.vs[i];
      if (i > 1) b = tf * (s1 - s0) + (1 - tf) * b;
      const y = (1 - sf) * (s1 + b);
      s0 = s1;
      s1 = x + y;
    }
    out.push({ labels: s.labels, v: s1, dropName: true });
  }
  return { type: 'vector', samples: out };
};

/** Writes `v` to `out[at]`: the body of the kernels that always have a value. */
function put(out: Float64Array, at: number, v: number): true {
  out[at] = v;
  return true;
}

/** A window kernel and whether its result keeps the metric name. */
export interface KernelFunction {
  kernel: WindowKernel;
  keepName: boolean;
  /** The kernel takes `drops` (see `countDrops`). */
  drops?: boolean;
}

/**
 * The range functions whose value depends only on the window's samples and bounds: the engine
 * slides one window along each series for them over a whole range query (see `step-columns.ts`).
 */
export const WINDOW_KERNELS = new Map<string, KernelFunction>([
  ['rate', { kernel: extrapolatedRateKernel(true, true), keepName: false, drops: true }],
  ['increase', { kernel: extrapolatedRateKernel(true, false), keepName: false, drops: true }],
  ['delta', { kernel: extrapolatedRateKernel(false, false), keepName: false }],
  ['irate', { kernel: instantDeltaKernel(true), keepName: false }],
  ['idelta', { kernel: instantDeltaKernel(false), keepName: false }],
  [
    'sum_over_time',
    {
      kernel: (_ts, vs, lo, hi, _bounds, out, at) => put(out, at, kahanSum(vs, lo, hi)),
      keepName: false,
    },
  ],
  [
    'count_over_time',
    { kernel: (_ts, _vs, lo, hi, _bounds, out, at) => put(out, at, hi - lo), keepName: false },
  ],
  [
    'avg_over_time',
    {
      kernel: (_ts, vs, lo, hi, _bounds, out, at) => put(out, at, mean(vs.subarray(lo, hi))),
      keepName: false,
    },
  ],
  [
    'min_over_time',
    {
      kernel: (_ts, vs, lo, hi, _bounds, out, at) => put(out, at, extreme(vs, lo, hi, false)),
      keepName: false,
    },
  ],
  [
    'max_over_time',
    {
      kernel: (_ts, vs, lo, hi, _bounds, out, at) => put(out, at, extreme(vs, lo, hi, true)),
      keepName: false,
    },
  ],
  [
    'last_over_time',
    { kernel: (_ts, vs, _lo, hi, _bounds, out, at) => put(out, at, vs[hi - 1]), keepName: true },
  ],
  [
    'first_over_time',
    { kernel: (_ts, vs, lo, _hi, _bounds, out, at) => put(out, at, vs[lo]), keepName: true },
  ],
  [
    'present_over_time',
    { kernel: (_ts, _vs, _lo, _hi, _bounds, out, at) => put(out, at, 1), keepName: false },
  ],
  [
    'ts_of_first_over_time',
    { kernel: (ts, _vs, lo, _hi, _bounds, out, at) => put(out, at, ts[lo] / 1000), keepName: false },
  ],
  [
    'ts_of_last_over_time',
    { kernel: (ts, _vs, _lo, hi, _bounds, out, at) => put(out, at, ts[hi - 1] / 1000), keepName: false },
  ],
]);

/** A window kernel as a function over a whole (non-extended) window. */
function overKernel({ kernel, keepName }: KernelFunction): FunctionImpl {
  return overWindow((s, m) => kernelValue(kernel, s, m.start, m.end), keepName);
}

/** Kernels with an `anchored`/`smoothed` form or an annotation, listed on their own below. */
const EXTENDED_FORMS = new Set(['rate', 'increase', 'delta']);

/** The range-vector functions by name. */
export const RANGE_FUNCTIONS: [string, FunctionImpl][] = [
  ['rate', overWindow(extrapolatedRate(true, true), false, -1, counterInfo)],
  ['increase', overWindow(extrapolatedRate(true, false), false, -1, counterInfo)],
  ['delta', overWindow(extrapolatedRate(false, false))],
  ...[...WINDOW_KERNELS]
    .filter(([name]) => !EXTENDED_FORMS.has(name))
    .map(([name, k]): [string, FunctionImpl] => [name, overKernel(k)]),
  ['mad_over_time', overWindow((s) => mad(s.vs))],
  ['ts_of_min_over_time', overWindow((s) => s.ts[extremeIndex(s.vs, false)] / 1000)],
  ['ts_of_max_over_time', overWindow((s) => s.ts[extremeIndex(s.vs, true)] / 1000)],
  ['double_exponential_smoothing', doubleExponentialSmoothing],
  ['stdvar_over_time', overWindow((s) => variance(s.vs))],
  ['stddev_over_time', overWindow((s) => Math.sqrt(variance(s.vs)))],
  ['quantile_over_time', overWindow((s, _m, q) => quantile(q, s.vs.slice()), false, 0, quantileWarning)],
  [
    'changes',
    overWindow(
      anchorable((s) => {
        let c = 0;
        for (let i = 1; i < s.vs.length; i++) {
          const a = s.vs[i - 1];
          const b = s.vs[i];
          if (a !== b && !(Number.isNaN(a) && Number.isNaN(b))) c++;
        }
        return c;
      }),
    ),
  ],
  [
    'resets',
    overWindow(
      anchorable((s) => {
        let c = 0;
        for (let i = 1; i < s.vs.length; i++) if (s.vs[i] < s.vs[i - 1]) c++;
        return c;
      }),
    ),
  ],
  ['deriv', overWindow((s) => (s.ts.length < 2 ? undefined : linearRegression(s, s.ts[0])[0]))],
  [
    'predict_linear',
    overWindow(
      (s, _m, d, t) => {
        if (s.ts.length < 2) return undefined;
        // Prometheus predicts from the evaluation time, even with `@`.
        const [slope, intercept] = linearRegression(s, t);
        return slope * d + intercept;
      },
      false,
      1,
    ),
  ],
];
