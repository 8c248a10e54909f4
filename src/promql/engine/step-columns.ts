/**
 * Range functions over a plain matrix selector (`rate(x[5m])`, `max_over_time(x[1h])`) and plain
 * instant selectors computed for every step of a query at once, series by series, as Prometheus'
 * evaluator does: one window slides forward along each series' samples, where evaluating step by
 * step would binary-search both window ends and build a view per series and step. The step
 * evaluator then reads one column per step (`columnAt`).
 */
import type { Labels } from '../../model/labels.js';
import type { Querier } from '../../storage/interface.js';
import { isStaleNaN } from '../../model/value.js';
import type { Call, MatrixSelector, VectorSelector } from '../ast.js';
import type { Evaluator } from './evaluator.js';
import type { KernelFunction } from './functions-range.js';
import { WINDOW_KERNELS, annotateNonCounters, countDrops } from './functions-range.js';
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
  /** For an instant selector, the time of each cell's sample (for `timestamp()`). */
  readonly times: Float64Array | undefined;
  /** The series with data at some step. */
  readonly seen: Labels[];
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

/**
 * The most cells (series × steps) columns may take, about 290 MB with their presence flags
 * (450 MB for a selector's, which keep the sample times too). Beyond it the step-by-step path,
 * which holds only one step, evaluates the expression.
 */
export const MAX_COLUMN_CELLS = 32 * 1024 * 1024;

/** Fills one series' row of `c` from its samples `ts`/`vs` (n of them); true if any step had data. */
type RowFill = (c: StepColumns, r: number, ts: Float64Array, vs: Float64Array, n: number) => boolean;

/**
 * Columns for the series `vs` selects, read between mint and maxt one series at a time and turned
 * into a row by `fill`; undefined past `MAX_COLUMN_CELLS`. Pauses every few hundred series so the
 * async entry points can give the event loop a turn.
 */
function* columns(
  ev: Evaluator,
  q: Querier,
  vs: VectorSelector,
  grid: StepGrid,
  [mint, maxt]: [number, number],
  opts: { dropName: boolean; dropStale: boolean; times: boolean },
  fill: RowFill,
): Generator<void, StepColumns | undefined> {
  const set = q.select(true, { start: mint, end: maxt }, ...vs.matchers);
  const series = [];
  while (set.next()) series.push(set.at());
  const err = set.err();
  if (err !== undefined) throw err;
  const cells = series.length * grid.steps;
  if (cells > MAX_COLUMN_CELLS) return undefined;
  const c: StepColumns = {
    grid,
    labels: series.map((s) => s.labels),
    dropName: opts.dropName,
    values: new Float64Array(cells),
    has: new Uint8Array(cells),
    samples: new Float64Array(grid.steps),
    times: opts.times ? new Float64Array(cells) : undefined,
    seen: [],
  };
  const buf = new SampleBuffer();
  for (let r = 0; r < series.length; r++) {
    if (r % 256 === 255) {
      ev.checkpoint();
      yield;
    }
    const n = buf.read(series[r].iterator(), mint, maxt, opts.dropStale);
    if (fill(c, r, buf.ts, buf.vs, n)) c.seen.push(c.labels[r]);
  }
  return c;
}

/** Computes `call` (accepted by `columnKernel`) at every time of `grid`, reading through `q`. */
export function* callColumns(
  ev: Evaluator,
  q: Querier,
  call: Call,
  { kernel, keepName, drops: wantsDrops }: KernelFunction,
  grid: StepGrid,
): Generator<void, StepColumns | undefined> {
  const m = call.args[0] as MatrixSelector;
  const vs = m.vectorSelector;
  const offset = ev.duration(vs.offsetExpr, vs.offset);
  const range = ev.duration(m.rangeExpr, m.range);
  const { start, step, steps } = grid;
  const bounds: [number, number] = [start - offset - range, start + (steps - 1) * step - offset];
  // Windows never hold staleness markers: dropping them up front leaves the same windows.
  const opts = { dropName: !keepName, dropStale: true, times: false };
  let drops: Int32Array | undefined;
  // Each step's window (from, end], for the kernel (a typed array: see `WindowKernel`).
  const windowBounds = new Float64Array(2);
  const c = yield* columns(ev, q, vs, grid, bounds, opts, (c, r, ts, xs, n) => {
    const rows = c.labels.length;
    if (wantsDrops === true) {
      if (drops === undefined || drops.length < n) drops = new Int32Array(Math.max(n, 1024));
      countDrops(xs, n, drops);
    }
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
      c.samples[k] += hi - lo;
      windowBounds[0] = from;
      windowBounds[1] = end;
      if (kernel(ts, xs, lo, hi, windowBounds, c.values, k * rows + r, drops)) c.has[k * rows + r] = 1;
    }
    return any;
  });
  if (c !== undefined && (call.func === 'rate' || call.func === 'increase'))
    annotateNonCounters(ev, c.seen, m.pos);
  return c;
}

/** Whether an instant selector can have columns: no `@`, not `smoothed`. */
export function selectorHasColumns(vs: VectorSelector): boolean {
  return vs.at === null && vs.smoothed !== true;
}

/**
 * The instant selector `vs` at every time of `grid` (as `instantVector`): per series and step the
 * newest sample within the lookback delta, unless it is a staleness marker.
 */
export function* selectorColumns(
  ev: Evaluator,
  q: Querier,
  vs: VectorSelector,
  grid: StepGrid,
): Generator<void, StepColumns | undefined> {
  const offset = ev.duration(vs.offsetExpr, vs.offset);
  const lookback = ev.settings.lookbackDelta;
  const { start, step, steps } = grid;
  const bounds: [number, number] = [start - offset - lookback, start + (steps - 1) * step - offset];
  const opts = { dropName: false, dropStale: false, times: true };
  return yield* columns(ev, q, vs, grid, bounds, opts, (c, r, ts, xs, n) => {
    const rows = c.labels.length;
    const times = c.times as Float64Array;
    let i = -1; // The newest sample at or before the step's time.
    for (let k = 0; k < steps; k++) {
      const ref = start + k * step - offset;
      while (i + 1 < n && ts[i + 1] <= ref) i++;
      if (i < 0 || ts[i] <= ref - lookback || isStaleNaN(xs[i])) continue;
      c.samples[k]++;
      c.values[k * rows + r] = xs[i];
      times[k * rows + r] = ts[i];
      c.has[k * rows + r] = 1;
    }
    return true;
  });
}

/** The instant vector at step `k` of the grid. */
export function columnAt(c: StepColumns, k: number): Vector {
  const rows = c.labels.length;
  const base = k * rows;
  const out: Vector = [];
  const times = c.times;
  for (let r = 0; r < rows; r++) {
    if (c.has[base + r] === 0) continue;
    const v = c.values[base + r];
    if (times === undefined) out.push({ labels: c.labels[r], v, dropName: c.dropName });
    else out.push({ labels: c.labels[r], v, t: times[base + r] });
  }
  return out;
}
