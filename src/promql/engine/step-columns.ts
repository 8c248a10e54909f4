/**
 * Range functions over a plain matrix selector (`rate(x[5m])`, `max_over_time(x[1h])`) computed
 * for every step of a query at once, series by series, as Prometheus' evaluator does: one window
 * slides forward along each series' samples, where evaluating step by step would binary-search
 * both window ends and build a view per series and step. The step evaluator then reads one
 * column per step (`columnAt`).
 */
import type { Labels } from '../../model/labels.js';
import type { Querier } from '../../storage/interface.js';
import type { Call, MatrixSelector } from '../ast.js';
import type { Evaluator } from './evaluator.js';
import type { KernelFunction } from './functions-range.js';
import { WINDOW_KERNELS, annotateNonCounters } from './functions-range.js';
import { SampleBuffer } from './selectors.js';
import type { Vector } from './value.js';

/** Evaluation times start, start + step, …: `steps` of them, ms. */
export interface StepGrid {
  readonly start: number;
  readonly step: number;
  readonly steps: number;
}

/** A function's values at every time of a grid. */
export interface StepColumns {
  readonly grid: StepGrid;
  /** The series, in the selector's order. */
  readonly labels: Labels[];
  readonly dropName: boolean;
  /** Series r at step k is `values[k * labels.length + r]`, present where `has` is 1. */
  readonly values: Float64Array;
  readonly has: Uint8Array;
  /** The samples the selector's windows hold at each step, for the max-samples limit. */
  readonly samples: Float64Array;
}

/**
 * The kernel for `call` when it can be computed by columns: a window function of one plain matrix
 * selector (no `@`, not `anchored`/`smoothed`), else undefined.
 */
export function columnKernel(call: Call): KernelFunction | undefined {
  const k = WINDOW_KERNELS.get(call.func);
  if (k === undefined || call.args.length !== 1) return undefined;
  const arg = call.args[0];
  if (arg.type !== 'MatrixSelector') return undefined;
  const vs = arg.vectorSelector;
  if (vs.at !== null || vs.anchored === true || vs.smoothed === true) return undefined;
  return k;
}

/** Computes `call` (accepted by `columnKernel`) at every time of `grid`, reading through `q`. */
export function computeColumns(
  ev: Evaluator,
  q: Querier,
  call: Call,
  { kernel, keepName }: KernelFunction,
  grid: StepGrid,
): StepColumns {
  const m = call.args[0] as MatrixSelector;
  const vs = m.vectorSelector;
  const offset = ev.duration(vs.offsetExpr, vs.offset);
  const range = ev.duration(m.rangeExpr, m.range);
  const { start, step, steps } = grid;
  const mint = start - offset - range;
  const maxt = start + (steps - 1) * step - offset;
  // Selected series are few enough to hold as a list; their samples are read one series at a time.
  const set = q.select(true, { start: mint, end: maxt }, ...vs.matchers);
  const series = [];
  while (set.next()) series.push(set.at());
  const err = set.err();
  if (err !== undefined) throw err;

  const rows = series.length;
  const values = new Float64Array(rows * steps);
  const has = new Uint8Array(rows * steps);
  const samples = new Float64Array(steps);
  const labels: Labels[] = [];
  const seen: Labels[] = [];
  const buf = new SampleBuffer();
  for (let r = 0; r < rows; r++) {
    if (r % 256 === 0) ev.checkpoint();
    labels.push(series[r].labels);
    // Windows never hold staleness markers: dropping them up front leaves the same windows.
    const n = buf.read(series[r].iterator(), mint, maxt, true);
    const { ts, vs: xs } = buf;
    let lo = 0;
    let hi = 0;
    let any = false;
    for (let k = 0; k < steps; k++) {
      const end = start + k * step - offset;
      const from = end - range;
      while (lo < n && ts[lo] <= from) lo++;
      if (hi < lo) hi = lo;
      while (hi < n && ts[hi] <= end) hi++;
      if (hi === lo) continue;
      any = true;
      samples[k] += hi - lo;
      const v = kernel(ts, xs, lo, hi, from, end);
      if (v === undefined) continue;
      values[k * rows + r] = v;
      has[k * rows + r] = 1;
    }
    if (any) seen.push(series[r].labels);
  }
  if (call.func === 'rate' || call.func === 'increase') annotateNonCounters(ev, seen, m.pos);
  return { grid, labels, dropName: !keepName, values, has, samples };
}

/** The instant vector at step `k` of the grid. */
export function columnAt(c: StepColumns, k: number): Vector {
  const rows = c.labels.length;
  const base = k * rows;
  const out: Vector = [];
  for (let r = 0; r < rows; r++)
    if (c.has[base + r] === 1) out.push({ labels: c.labels[r], v: c.values[base + r], dropName: c.dropName });
  return out;
}
