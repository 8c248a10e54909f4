/** The PromQL engine: parses a query and evaluates it as an instant or range query. */
import { Labels } from '../../model/labels.js';
import type { Queryable } from '../../storage/interface.js';
import type { Expr } from '../ast.js';
import { valueTypeOf } from '../ast.js';
import { parseExpr } from '../parser.js';
import { QueryError, RangeQueryTypeError } from './errors.js';
import { matrixFromColumns } from './column-matrix.js';
import { Evaluator, drain, finalizeNames, stepSeries } from './evaluator.js';
import type { EvalSettings } from './evaluator.js';
import { QueryGate } from './query-gate.js';
import type { QueryResult, StepValue } from './value.js';

/** Engine options. */
export interface EngineOptions {
  /** How far back an instant selector looks for a sample, ms. */
  lookbackDelta: number;
  /** The most samples a query may hold in memory at once. */
  maxSamples: number;
  /** The most queries the async entry points evaluate at once (`--query.max-concurrency`). */
  maxConcurrency: number;
  /**
   * How long the async entry points evaluate before giving the event loop a turn, ms. Scrapes and
   * HTTP requests wait at most about this long behind a running query.
   */
  yieldInterval: number;
  /**
   * The step of a subquery written without one (`x[10m:]`), ms: Prometheus' global evaluation
   * interval (1m by default), for instant and range queries alike, not the range query's step.
   */
  noStepSubqueryInterval: number;
}

/** The defaults: 5m lookback, Prometheus' 50,000,000 samples and 20 concurrent queries. */
export function defaultEngineOptions(): EngineOptions {
  return {
    lookbackDelta: 5 * 60 * 1000,
    maxSamples: 50_000_000,
    maxConcurrency: 20,
    yieldInterval: 10,
    noStepSubqueryInterval: 60_000,
  };
}

/** A query's outcome: the value and the annotations gathered. */
export interface QueryOutcome {
  result: QueryResult;
  warnings: string[];
  infos: string[];
}

/** Per-query options. */
export interface QueryOptions {
  /**
   * Stops the query: "query timed out in …" when aborted with a `TimeoutError` reason (as
   * `AbortSignal.timeout()` does), "query was canceled in …" otherwise. The async entry points
   * notice it between steps; the sync ones only at their start.
   */
  signal?: AbortSignal;
  /**
   * The evaluation time limit, ms (`--query.timeout`). Unlike a timer on `signal`, it is checked
   * synchronously at each step and subquery step, so even a long single step stops in time.
   */
  timeout?: number;
  lookbackDelta?: number;
}

/** A query prepared for evaluation: a generator that pauses between steps. */
type Run = Generator<void, QueryOutcome>;

/** Query options with the deadline fixed when the query arrived (the async path's queue counts). */
interface RunOptions extends QueryOptions {
  deadline?: number;
}

/**
 * Evaluates PromQL over a `Queryable`. Stateless between queries apart from the concurrency gate;
 * safe to share. `instantQuery`/`rangeQuery` run to the end synchronously (tests, promqltest);
 * servers use `instantQueryAsync`/`rangeQueryAsync`, which wait for a slot in the gate and yield
 * to the event loop every `yieldInterval` ms.
 */
export class Engine {
  readonly options: EngineOptions;
  /**
   * The gate the async entry points pass through (they acquire and release it themselves, so a
   * caller must not hold a slot while calling them). Exposed for its `active`/`waiting` counts.
   */
  readonly gate: QueryGate;

  constructor(options: Partial<EngineOptions> = {}) {
    // An option given as undefined (an unset flag) keeps its default rather than erasing it.
    const given = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
    this.options = { ...defaultEngineOptions(), ...given };
    this.gate = new QueryGate(this.options.maxConcurrency);
  }

  #settings(start: number, end: number, interval: number, o: RunOptions, query?: string): EvalSettings {
    return {
      start,
      end,
      interval,
      noStepSubqueryInterval: this.options.noStepSubqueryInterval,
      lookbackDelta: o.lookbackDelta ?? this.options.lookbackDelta,
      maxSamples: this.options.maxSamples,
      signal: o.signal,
      deadline: o.deadline ?? (o.timeout === undefined ? undefined : performance.now() + o.timeout),
      query,
    };
  }

  /** Evaluates `query` at time `t` (ms). Throws `ParseError` or `QueryError`. */
  instantQuery(q: Queryable, query: string | Expr, t: number, o: QueryOptions = {}): QueryOutcome {
    return drain(this.#instant(q, query, t, o));
  }

  /** Evaluates `query` at start, start+step, … ≤ end (ms). */
  rangeQuery(
    q: Queryable,
    query: string | Expr,
    start: number,
    end: number,
    step: number,
    o: QueryOptions = {},
  ): QueryOutcome {
    return drain(this.#range(q, query, start, end, step, o));
  }

  /** `instantQuery` through the gate, yielding to the event loop between subquery steps. */
  instantQueryAsync(
    q: Queryable,
    query: string | Expr,
    t: number,
    o: QueryOptions = {},
  ): Promise<QueryOutcome> {
    return this.#runAsync((ro) => this.#instant(q, query, t, ro), o);
  }

  /** `rangeQuery` through the gate, yielding to the event loop between (subquery) steps. */
  rangeQueryAsync(
    q: Queryable,
    query: string | Expr,
    start: number,
    end: number,
    step: number,
    o: QueryOptions = {},
  ): Promise<QueryOutcome> {
    return this.#runAsync((ro) => this.#range(q, query, start, end, step, ro), o);
  }

  async #runAsync(prepare: (o: RunOptions) => Run, o: QueryOptions): Promise<QueryOutcome> {
    // As in Prometheus, the timeout runs from the query's arrival, so time in the queue counts.
    let deadline: number | undefined;
    let queueSignal = o.signal;
    let timer: NodeJS.Timeout | undefined;
    if (o.timeout !== undefined) {
      deadline = performance.now() + o.timeout;
      // A referenced timer (AbortSignal.timeout's is not), so a queued query's timeout always fires.
      const c = new AbortController();
      timer = setTimeout(() => c.abort(new DOMException('query timeout', 'TimeoutError')), o.timeout);
      queueSignal = o.signal === undefined ? c.signal : AbortSignal.any([o.signal, c.signal]);
    }
    let release: () => void;
    try {
      release = await this.gate.acquire(queueSignal);
    } finally {
      clearTimeout(timer);
    }
    try {
      const run = prepare({ ...o, deadline });
      let sliceStart = performance.now();
      for (;;) {
        const r = run.next();
        if (r.done === true) return r.value;
        if (performance.now() - sliceStart >= this.options.yieldInterval) {
          await new Promise(setImmediate);
          sliceStart = performance.now();
        }
      }
    } finally {
      release();
    }
  }

  *#instant(q: Queryable, query: string | Expr, t: number, o: RunOptions): Run {
    const e = typeof query === 'string' ? parseExpr(query) : query;
    const querier = q.querier(Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
    try {
      const ev = new Evaluator(
        this.#settings(t, t, 60_000, o, typeof query === 'string' ? query : undefined),
        querier,
      );
      ev.planSelectors(e);
      ev.planColumns(e);
      yield* ev.prepareColumns();
      ev.beginStep(0);
      const v = yield* ev.evalSteps(e, t);
      let result: QueryResult;
      switch (v.type) {
        case 'scalar':
          result = { type: 'scalar', t, v: v.v };
          break;
        case 'string':
          result = { type: 'string', t, s: v.s };
          break;
        case 'vector': {
          const samples = finalizeNames(v.samples);
          checkUniqueLabels(samples.map((s) => s.labels));
          result = { type: 'vector', t, samples };
          break;
        }
        case 'matrix':
          result = { type: 'matrix', series: v.series };
          break;
      }
      return { result, warnings: [...ev.warnings], infos: [...ev.infos] };
    } finally {
      querier.close();
    }
  }

  *#range(q: Queryable, query: string | Expr, start: number, end: number, step: number, o: RunOptions): Run {
    const e = typeof query === 'string' ? parseExpr(query) : query;
    // Checked before evaluation, as Prometheus' NewRangeQuery does, so it is a bad parameter.
    const type = valueTypeOf(e);
    if (type === 'matrix' || type === 'string')
      throw new RangeQueryTypeError(
        type === 'matrix' ? 'range vector' : 'string',
        e,
        typeof query === 'string' ? query : '',
      );
    if (step <= 0) throw new QueryError('zero or negative query resolution step widths are not accepted');
    const querier = q.querier(Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
    try {
      const ev = new Evaluator(
        this.#settings(start, end, step, o, typeof query === 'string' ? query : undefined),
        querier,
      );
      ev.planSelectors(e);
      ev.planColumns(e);
      yield* ev.prepareColumns();
      const columns = ev.queryColumns(e);
      if (columns !== undefined) {
        ev.checkpoint();
        const series = yield* matrixFromColumns(columns, ev.settings.maxSamples);
        return { result: { type: 'matrix', series }, warnings: [...ev.warnings], infos: [...ev.infos] };
      }
      let held = 0;
      const evalAt = function* (t: number): Generator<void, StepValue> {
        ev.beginStep(held);
        const v = yield* ev.evalSteps(e, t);
        if (v.type !== 'vector') {
          held++;
          return v;
        }
        const samples = finalizeNames(v.samples);
        checkUniqueLabels(samples.map((s) => s.labels));
        held += samples.length;
        return { type: 'vector', samples };
      };
      const series = yield* stepSeries(evalAt, start, end, step);
      series.sort((a, b) => Labels.compare(a.labels, b.labels));
      return { result: { type: 'matrix', series }, warnings: [...ev.warnings], infos: [...ev.infos] };
    } finally {
      querier.close();
    }
  }
}

function checkUniqueLabels(ls: Labels[]): void {
  const seen = new Set<string>();
  for (const l of ls) {
    if (seen.has(l.key)) throw new QueryError('vector cannot contain metrics with the same labelset');
    seen.add(l.key);
  }
}
