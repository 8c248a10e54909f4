/**
 * The step evaluator: evaluates an expression at one timestamp. Range queries call it once per
 * step; subqueries call it for their inner steps. Selector data is loaded once per query.
 */
import { formatFloat } from '../../exposition/writer-common.js';
import { Labels } from '../../model/labels.js';
import type { Querier } from '../../storage/interface.js';
import type {
  AggregateExpr,
  Call,
  AtModifier,
  DurationExpr,
  Expr,
  MatrixSelector,
  PositionRange,
  SubqueryExpr,
  VectorSelector,
} from '../ast.js';
import { lineCol } from '../parse-error.js';
import { evalDuration } from '../duration-expr.js';
import { aggregateColumns, aggregatesColumns } from './aggregate-columns.js';
import { evalAggregate } from './aggregations.js';
import { evalBinary } from './binary.js';
import { QueryError, QueryTimeoutError, TooManySamplesError, abortedError } from './errors.js';
import { applyFunction, functionArgs } from './functions.js';
import type { LoadedSeries } from './selectors.js';
import { instantVector, loadSeries, rangeVector, smoothedInstantVector } from './selectors.js';
import type { StepColumns, StepGrid } from './step-columns.js';
import { callColumns, columnAt, columnKernel, selectorColumns, selectorHasColumns } from './step-columns.js';
import type { RangeSeries, StepValue, Vector } from './value.js';

/** Query-wide settings the evaluator needs. Times in milliseconds. */
export interface EvalSettings {
  start: number;
  end: number;
  interval: number;
  /** The step of a subquery written without one (`x[10m:]`), ms. */
  noStepSubqueryInterval: number;
  lookbackDelta: number;
  maxSamples: number;
  signal?: AbortSignal;
  /**
   * When evaluation must stop, on the `performance.now()` clock. Checked synchronously at every
   * step, subquery steps included, so a timeout needs no turn of the event loop to be noticed.
   */
  deadline?: number;
  /** The query text, for annotation positions. */
  query?: string;
}

/** A matrix value with the window it covers, (start, end]. */
export interface WindowedMatrix {
  type: 'matrix';
  series: RangeSeries[];
  start: number;
  end: number;
  /**
   * Set for the experimental `anchored`/`smoothed` selectors: the series then also hold the
   * samples up to a lookback delta before `start` (and, when smoothed, after `end`).
   */
  extended?: 'anchored' | 'smoothed';
}

/** Evaluates expressions at single timestamps against one querier. */
export class Evaluator {
  readonly #loaded = new Map<VectorSelector, LoadedSeries[]>();
  /**
   * Each subquery's inner results by inner step time. An inner step depends only on its own time,
   * and inner steps sit on multiples of the subquery step, so consecutive outer steps of a range
   * query share all but a few: each is evaluated once, as Prometheus does, not once per outer step.
   */
  readonly #subqueryCache = new Map<SubqueryExpr, Map<number, StepValue>>();
  readonly #positions = new Map<number, string>();
  readonly #bounds = new Map<VectorSelector, [number, number]>();
  /** Nodes computed for a whole grid of steps at once (see `planColumns`), and their columns. */
  readonly #grids = new Map<Call | VectorSelector, StepGrid>();
  readonly #columns = new Map<Call | VectorSelector, StepColumns>();
  #samples = 0;
  /** Warning annotations, rendered as the API does ("PromQL warning: … (line:col)"). */
  readonly warnings = new Set<string>();
  /** Info annotations. */
  readonly infos = new Set<string>();

  constructor(
    readonly settings: EvalSettings,
    private readonly querier: Querier,
  ) {}

  /** Resets the per-step sample count; `held` is what the caller keeps (the result so far). */
  beginStep(held: number): void {
    this.checkpoint();
    this.#samples = held;
  }

  /** Throws Prometheus' timeout or cancellation error once the signal aborts or the deadline passes. */
  checkpoint(): void {
    const { signal, deadline } = this.settings;
    if (signal?.aborted === true) throw abortedError(signal, 'expression evaluation');
    if (deadline !== undefined && performance.now() > deadline)
      throw new QueryTimeoutError('expression evaluation');
  }

  /** Counts samples held in memory and enforces the max-samples limit. */
  addSamples(n: number): void {
    this.#samples += n;
    if (this.#samples > this.settings.maxSamples) throw new TooManySamplesError();
  }

  /** Records an annotation about the expression at `pos`. */
  annotate(kind: 'warning' | 'info', message: string, pos: PositionRange): void {
    // lineCol scans the query text: once per position, as a step may annotate many series.
    let at = this.#positions.get(pos.start);
    if (at === undefined) {
      const { line, col } = lineCol(this.settings.query ?? '', pos.start);
      at = `${line}:${col}`;
      this.#positions.set(pos.start, at);
    }
    (kind === 'warning' ? this.warnings : this.infos).add(`PromQL ${kind}: ${message} (${at})`);
  }

  /** Warns, with Prometheus' text, when a quantile φ is outside [0, 1] or NaN. */
  validateQuantile(q: number, pos: PositionRange): void {
    if (!(q >= 0 && q <= 1))
      this.annotate('warning', `quantile value should be between 0 and 1, got ${formatFloat(q)}`, pos);
  }

  /** The query step in ms: 0 for instant queries. */
  queryStep(): number {
    return this.settings.start === this.settings.end ? 0 : this.settings.interval;
  }

  /** A duration from its expression where one was given (`foo[step()*2]`), else `fixed`, in ms. */
  duration(expr: DurationExpr | undefined, fixed: number): number {
    if (expr === undefined) return fixed;
    const ctx = { step: this.queryStep() / 1000, range: (this.settings.end - this.settings.start) / 1000 };
    const v = evalDuration(expr, ctx);
    return v === undefined ? fixed : Math.round(v * 1000);
  }

  /** The timestamp a selector or subquery reads at, given the step time. */
  refTime(t: number, at: AtModifier, offset: number): number {
    let ref = t;
    if (at === 'start') ref = this.settings.start;
    else if (at === 'end') ref = this.settings.end;
    else if (typeof at === 'number') ref = at;
    return ref - offset;
  }

  /** The samples of every series `vs` selects, loaded once per query (within its planned bounds). */
  series(vs: VectorSelector): LoadedSeries[] {
    let s = this.#loaded.get(vs);
    if (s === undefined) {
      const [mint, maxt] = this.#bounds.get(vs) ?? [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER];
      s = loadSeries(this.querier, vs, mint, maxt);
      this.#loaded.set(vs, s);
    }
    return s;
  }

  /**
   * Works out, for each selector in `root`, the time range its samples can be read from, as
   * Prometheus' `getTimeRangesForSelector` does: the query's start minus every range, lookback and
   * offset on the way down, to its end plus any negative offsets. Without it a 1 h query decodes
   * every sample of a 24 h block. Selectors under `@` or `anchored`/`smoothed` load everything.
   */
  planSelectors(root: Expr): void {
    const walk = (e: Expr, back: number, fwd: number, pinned: boolean): void => {
      switch (e.type) {
        case 'VectorSelector':
          return this.#plan(e, this.settings.lookbackDelta, back, fwd, pinned);
        case 'MatrixSelector':
          return this.#plan(e.vectorSelector, this.duration(e.rangeExpr, e.range), back, fwd, pinned);
        case 'SubqueryExpr': {
          const off = this.duration(e.offsetExpr, e.offset);
          const range = this.duration(e.rangeExpr, e.range);
          return walk(
            e.expr,
            back + range + Math.max(off, 0),
            fwd + Math.max(-off, 0),
            pinned || e.at !== null,
          );
        }
        case 'ParenExpr':
        case 'UnaryExpr':
          return walk(e.expr, back, fwd, pinned);
        case 'BinaryExpr':
          walk(e.lhs, back, fwd, pinned);
          return walk(e.rhs, back, fwd, pinned);
        case 'AggregateExpr':
          if (e.param !== null) walk(e.param, back, fwd, pinned);
          return walk(e.expr, back, fwd, pinned);
        case 'Call':
          for (const a of e.args) walk(a, back, fwd, pinned);
          return;
        case 'NumberLiteral':
        case 'StringLiteral':
          return;
      }
    };
    walk(root, 0, 0, false);
  }

  /**
   * Finds the nodes that `step-columns.ts` can compute for all steps at once (plain instant
   * selectors, window functions of a plain matrix selector) and the grid of times each is
   * evaluated at: the query's steps, or a subquery's inner steps. Under an `@` the times are not a
   * grid, so nothing there is planned.
   */
  planColumns(root: Expr): void {
    const { start, end, interval } = this.settings;
    const walk = (e: Expr, grid: StepGrid | undefined): void => {
      switch (e.type) {
        case 'SubqueryExpr':
          return walk(e.expr, e.at === null && grid !== undefined ? this.#innerGrid(e, grid) : undefined);
        case 'ParenExpr':
        case 'UnaryExpr':
          return walk(e.expr, grid);
        case 'BinaryExpr':
          walk(e.lhs, grid);
          return walk(e.rhs, grid);
        case 'AggregateExpr':
          if (e.param !== null) walk(e.param, grid);
          return walk(e.expr, grid);
        case 'Call':
          if (grid !== undefined && columnKernel(e) !== undefined) this.#grids.set(e, grid);
          for (const a of e.args) walk(a, grid);
          return;
        case 'VectorSelector':
          if (grid !== undefined && selectorHasColumns(e)) this.#grids.set(e, grid);
          return;
        default:
          return;
      }
    };
    walk(root, { start, step: interval, steps: Math.floor((end - start) / interval) + 1 });
  }

  /** The inner steps of subquery `e` over all the outer times of `outer` (as `#subquery` steps). */
  #innerGrid(e: SubqueryExpr, outer: StepGrid): StepGrid | undefined {
    const off = this.duration(e.offsetExpr, e.offset);
    const ownStep = this.duration(e.stepExpr, e.step);
    const step = ownStep > 0 ? ownStep : this.settings.noStepSubqueryInterval;
    const mint = outer.start - off - this.duration(e.rangeExpr, e.range);
    let first = mint - (mint % step);
    if (first <= mint) first += step;
    const last = outer.start + (outer.steps - 1) * outer.step - off;
    if (last < first) return undefined;
    return { start: first, step, steps: Math.floor((last - first) / step) + 1 };
  }

  /** Computes the columns `planColumns` found, pausing every few hundred series. */
  *prepareColumns(): Generator<void, void> {
    for (const [e, grid] of this.#grids) {
      let c: StepColumns | undefined;
      if (e.type === 'VectorSelector') c = yield* selectorColumns(this, this.querier, e, grid);
      else {
        const kernel = columnKernel(e);
        if (kernel !== undefined) c = yield* callColumns(this, this.querier, e, kernel, grid);
      }
      if (c !== undefined) this.#columns.set(e, c);
    }
  }

  /** The columns of `e` (maybe in parentheses) and the step `t` is, when it has them. */
  #columnsAt(e: Expr, t: number): { c: StepColumns; k: number } | undefined {
    while (e.type === 'ParenExpr') e = e.expr;
    if (e.type !== 'Call' && e.type !== 'VectorSelector') return undefined;
    const c = this.#columns.get(e);
    if (c === undefined) return undefined;
    const k = (t - c.grid.start) / c.grid.step;
    return Number.isInteger(k) && k >= 0 && k < c.grid.steps ? { c, k } : undefined;
  }

  /**
   * The columns of `e` (maybe in parentheses) when they cover every step of the query, so that a
   * range query's answer can be read from them whole (`matrixFromColumns`).
   */
  queryColumns(e: Expr): StepColumns | undefined {
    const { start, end, interval } = this.settings;
    const at = this.#columnsAt(e, start);
    if (at === undefined || at.k !== 0 || at.c.grid.step !== interval) return undefined;
    return at.c.grid.steps === Math.floor((end - start) / interval) + 1 ? at.c : undefined;
  }

  /** The value of `e` at `t` from its columns, when it has them. */
  #fromColumns(e: Call | VectorSelector, t: number): StepValue | undefined {
    const at = this.#columnsAt(e, t);
    if (at === undefined) return undefined;
    this.addSamples(at.c.samples[at.k]);
    return { type: 'vector', samples: columnAt(at.c, at.k) };
  }

  #plan(vs: VectorSelector, window: number, back: number, fwd: number, pinned: boolean): void {
    if (pinned || vs.at !== null || vs.anchored === true || vs.smoothed === true) return;
    const off = this.duration(vs.offsetExpr, vs.offset);
    // One millisecond of slack either side: windows are left-open, a sample on the edge is harmless.
    const mint = this.settings.start - back - window - Math.max(off, 0) - 1;
    const maxt = this.settings.end + fwd + Math.max(-off, 0) + 1;
    this.#bounds.set(vs, [mint, maxt]);
  }

  /** Evaluates `e` at time `t`, without pausing. */
  eval(e: Expr, t: number): StepValue {
    switch (e.type) {
      case 'NumberLiteral':
        return { type: 'scalar', v: e.val };
      case 'StringLiteral':
        return { type: 'string', s: e.val };
      case 'ParenExpr':
        return this.eval(e.expr, t);
      case 'UnaryExpr':
        return unary(e.op, this.eval(e.expr, t));
      case 'VectorSelector': {
        const fromColumns = this.#fromColumns(e, t);
        if (fromColumns !== undefined) return fromColumns;
        const samples = (e.smoothed === true ? smoothedInstantVector : instantVector)(
          this.series(e),
          this.refTime(t, e.at, this.duration(e.offsetExpr, e.offset)),
          this.settings.lookbackDelta,
        );
        this.addSamples(samples.length);
        return { type: 'vector', samples };
      }
      case 'MatrixSelector':
        return this.#matrix(e, t);
      case 'SubqueryExpr':
        return drain(this.#subquery(e, t));
      case 'BinaryExpr':
        return evalBinary(e, this.eval(e.lhs, t), this.eval(e.rhs, t));
      case 'AggregateExpr': {
        const param = e.param === null ? null : this.eval(e.param, t);
        const at = aggregatesColumns(e) ? this.#columnsAt(e.expr, t) : undefined;
        if (at === undefined) return this.#aggregate(e, param, this.eval(e.expr, t));
        this.addSamples(at.c.samples[at.k]);
        return aggregateColumns(e, at.c, at.k, param, this);
      }
      case 'Call':
        return (
          this.#fromColumns(e, t) ??
          applyFunction(
            this,
            e,
            functionArgs(e).map((a) => this.eval(a, t)),
            t,
          )
        );
    }
  }

  /**
   * Evaluates `e` at time `t`, pausing after each inner step of every subquery in it, so the
   * async entry points can give the event loop a turn even within one long step. Subtrees
   * without a subquery are evaluated by `eval`, with no generator per node.
   */
  *evalSteps(e: Expr, t: number): Generator<void, StepValue> {
    if (!hasSubquery(e)) return this.eval(e, t);
    switch (e.type) {
      case 'ParenExpr':
        return yield* this.evalSteps(e.expr, t);
      case 'UnaryExpr':
        return unary(e.op, yield* this.evalSteps(e.expr, t));
      case 'SubqueryExpr':
        return yield* this.#subquery(e, t);
      case 'BinaryExpr': {
        const lhs = yield* this.evalSteps(e.lhs, t);
        return evalBinary(e, lhs, yield* this.evalSteps(e.rhs, t));
      }
      case 'AggregateExpr': {
        const param = e.param === null ? null : yield* this.evalSteps(e.param, t);
        return this.#aggregate(e, param, yield* this.evalSteps(e.expr, t));
      }
      case 'Call': {
        const args: StepValue[] = [];
        for (const a of functionArgs(e)) args.push(yield* this.evalSteps(a, t));
        return applyFunction(this, e, args, t);
      }
      default:
        return this.eval(e, t);
    }
  }

  #matrix(e: MatrixSelector, t: number): WindowedMatrix {
    const vs = e.vectorSelector;
    const ref = this.refTime(t, vs.at, this.duration(vs.offsetExpr, vs.offset));
    const range = this.duration(e.rangeExpr, e.range);
    const extended = vs.anchored === true ? 'anchored' : vs.smoothed === true ? 'smoothed' : undefined;
    // Extended selectors read a lookback delta further back (and, smoothed, ahead).
    const back = extended === undefined ? 0 : this.settings.lookbackDelta;
    const ahead = extended === 'smoothed' ? this.settings.lookbackDelta : 0;
    const series = rangeVector(this.series(vs), ref + ahead, range + back + ahead);
    let n = 0;
    for (const s of series) n += s.ts.length;
    this.addSamples(n);
    return { type: 'matrix', series, start: ref - range, end: ref, extended };
  }

  #aggregate(e: AggregateExpr, param: StepValue | null, v: StepValue): StepValue {
    if (v.type !== 'vector') throw new QueryError('aggregation over a non-vector');
    return evalAggregate(e, v.samples, param, this);
  }

  *#innerStep(e: Expr, t: number): Generator<void, StepValue> {
    this.checkpoint();
    return yield* this.evalSteps(e, t);
  }

  *#cachedInnerStep(e: Expr, x: number, cache: Map<number, StepValue>): Generator<void, StepValue> {
    const hit = cache.get(x);
    if (hit !== undefined) return hit;
    const v = yield* this.#innerStep(e, x);
    cache.set(x, v);
    return v;
  }

  *#subquery(e: SubqueryExpr, t: number): Generator<void, WindowedMatrix> {
    const ref = this.refTime(t, e.at, this.duration(e.offsetExpr, e.offset));
    const mint = ref - this.duration(e.rangeExpr, e.range);
    const ownStep = this.duration(e.stepExpr, e.step);
    const step = ownStep > 0 ? ownStep : this.settings.noStepSubqueryInterval;
    let first = mint - (mint % step);
    if (first <= mint) first += step;
    let cache = this.#subqueryCache.get(e);
    if (cache === undefined) {
      cache = new Map();
      this.#subqueryCache.set(e, cache);
    }
    // Steps before this window are not needed again: a range query's outer steps move forward.
    for (const x of cache.keys()) if (x <= mint) cache.delete(x);
    const memo = cache;
    const inner = (x: number): Generator<void, StepValue> => this.#cachedInnerStep(e.expr, x, memo);
    const series = yield* stepSeries(inner, first, ref, step);
    return { type: 'matrix', series, start: mint, end: ref };
  }
}

const SUBQUERY_INSIDE = new WeakMap<Expr, boolean>();

/** Whether `e` contains a subquery (cached per node, as the AST does not change). */
function hasSubquery(e: Expr): boolean {
  let r = SUBQUERY_INSIDE.get(e);
  if (r !== undefined) return r;
  switch (e.type) {
    case 'SubqueryExpr':
      r = true;
      break;
    case 'ParenExpr':
    case 'UnaryExpr':
      r = hasSubquery(e.expr);
      break;
    case 'BinaryExpr':
      r = hasSubquery(e.lhs) || hasSubquery(e.rhs);
      break;
    case 'AggregateExpr':
      r = hasSubquery(e.expr) || (e.param !== null && hasSubquery(e.param));
      break;
    case 'Call':
      r = e.args.some(hasSubquery);
      break;
    default:
      r = false;
  }
  SUBQUERY_INSIDE.set(e, r);
  return r;
}

/** Unary plus and minus; minus drops the metric name. */
function unary(op: '+' | '-', v: StepValue): StepValue {
  if (op === '+') return v;
  if (v.type === 'scalar') return { type: 'scalar', v: -v.v };
  if (v.type === 'vector')
    return { type: 'vector', samples: v.samples.map((s) => ({ labels: s.labels, v: -s.v, dropName: true })) };
  throw new QueryError('unary minus on a non-numeric value');
}

/** Runs a generator to its end without pausing. */
export function drain<T>(g: Generator<void, T>): T {
  for (;;) {
    const r = g.next();
    if (r.done === true) return r.value;
  }
}

/**
 * Evaluates at start, start+step, … ≤ end and gathers the points per series; pauses after each
 * step (and wherever `evalAt` pauses), so a caller can give the event loop a turn in between. A
 * generator costs little next to a step's evaluation.
 */
export function* stepSeries(
  evalAt: (t: number) => Generator<void, StepValue>,
  start: number,
  end: number,
  step: number,
): Generator<void, RangeSeries[]> {
  const acc = new Map<string, { labels: Labels; ts: number[]; vs: number[] }>();
  const order: string[] = [];
  for (let t = start; t <= end; t += step) {
    const v = yield* evalAt(t);
    let samples: Vector;
    if (v.type === 'scalar') samples = [{ labels: Labels.EMPTY, v: v.v }];
    else if (v.type === 'vector') samples = v.samples;
    else
      throw new QueryError(
        `invalid expression type "${v.type === 'matrix' ? 'range vector' : 'string'}" for range query, must be Scalar or instant Vector`,
      );
    for (const s of finalizeNames(samples)) {
      const k = s.labels.key;
      let a = acc.get(k);
      if (a === undefined) {
        a = { labels: s.labels, ts: [], vs: [] };
        acc.set(k, a);
        order.push(k);
      }
      a.ts.push(t);
      a.vs.push(s.v);
    }
    yield;
  }
  const out: RangeSeries[] = [];
  for (const k of order) {
    const a = acc.get(k);
    if (a !== undefined)
      out.push({ labels: a.labels, ts: Float64Array.from(a.ts), vs: Float64Array.from(a.vs) });
  }
  return out;
}

/** The labels that describe the metric rather than the series: its name, type and unit. */
const METADATA_LABELS = ['__name__', '__type__', '__unit__'];

/** `withoutMetadata` by labels: a series keeps its `Labels` object, so each is stripped once. */
const WITHOUT_METADATA = new WeakMap<Labels, Labels>();

/**
 * The labels without the metric name and, with it, `__type__` and `__unit__` (the type-and-unit
 * labels feature): once the name is dropped they no longer describe the value.
 */
export function withoutMetadata(l: Labels): Labels {
  let out = WITHOUT_METADATA.get(l);
  if (out === undefined) {
    out = stripMetadata(l);
    WITHOUT_METADATA.set(l, out);
  }
  return out;
}

/** `withoutMetadata` without the memo, for labels seen once (a memo entry would cost more). */
export function stripMetadata(l: Labels): Labels {
  return METADATA_LABELS.some((n) => l.has(n)) ? l.without(...METADATA_LABELS) : l;
}

/** Applies pending name drops (see `Sample.dropName`). */
export function finalizeNames(samples: Vector): Vector {
  if (!samples.some((s) => s.dropName === true)) return samples;
  return samples.map((s) =>
    s.dropName === true ? { labels: withoutMetadata(s.labels), v: s.v, t: s.t } : s,
  );
}
