/** The PromQL engine: parses a query and evaluates it as an instant or range query. */
import { Labels } from '../../model/labels.js';
import type { Queryable } from '../../storage/interface.js';
import type { Expr } from '../ast.js';
import { parseExpr } from '../parser.js';
import { QueryError } from './errors.js';
import { Evaluator, collectSteps, finalizeNames } from './evaluator.js';
import type { EvalSettings } from './evaluator.js';
import type { QueryResult, StepValue } from './value.js';

/** Engine options. */
export interface EngineOptions {
  /** How far back an instant selector looks for a sample, ms. */
  lookbackDelta: number;
  /** The most samples a query may hold in memory at once. */
  maxSamples: number;
}

/** The defaults: 5m lookback and Prometheus' 50,000,000 samples. */
export function defaultEngineOptions(): EngineOptions {
  return { lookbackDelta: 5 * 60 * 1000, maxSamples: 50_000_000 };
}

/** A query's outcome: the value and the annotations gathered. */
export interface QueryOutcome {
  result: QueryResult;
  warnings: string[];
  infos: string[];
}

/** Per-query options. */
export interface QueryOptions {
  /** Aborts the query (timeout or cancellation). */
  signal?: AbortSignal;
  lookbackDelta?: number;
}

/** Evaluates PromQL over a `Queryable`. Stateless between queries; safe to share. */
export class Engine {
  readonly options: EngineOptions;

  constructor(options: Partial<EngineOptions> = {}) {
    this.options = { ...defaultEngineOptions(), ...options };
  }

  #settings(start: number, end: number, interval: number, o: QueryOptions, query?: string): EvalSettings {
    return {
      start,
      end,
      interval,
      lookbackDelta: o.lookbackDelta ?? this.options.lookbackDelta,
      maxSamples: this.options.maxSamples,
      signal: o.signal,
      query,
    };
  }

  /** Evaluates `query` at time `t` (ms). Throws `ParseError` or `QueryError`. */
  instantQuery(q: Queryable, query: string | Expr, t: number, o: QueryOptions = {}): QueryOutcome {
    const e = typeof query === 'string' ? parseExpr(query) : query;
    const querier = q.querier(Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
    try {
      const ev = new Evaluator(
        this.#settings(t, t, 60_000, o, typeof query === 'string' ? query : undefined),
        querier,
      );
      ev.beginStep(0);
      const v = ev.eval(e, t);
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

  /** Evaluates `query` at start, start+step, … ≤ end (ms). */
  rangeQuery(
    q: Queryable,
    query: string | Expr,
    start: number,
    end: number,
    step: number,
    o: QueryOptions = {},
  ): QueryOutcome {
    const e = typeof query === 'string' ? parseExpr(query) : query;
    if (step <= 0) throw new QueryError('zero or negative query resolution step widths are not accepted');
    const querier = q.querier(Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
    try {
      const ev = new Evaluator(
        this.#settings(start, end, step, o, typeof query === 'string' ? query : undefined),
        querier,
      );
      let held = 0;
      const evalAt = (t: number): StepValue => {
        ev.beginStep(held);
        const v = ev.eval(e, t);
        if (v.type === 'vector') {
          checkUniqueLabels(finalizeNames(v.samples).map((s) => s.labels));
          held += v.samples.length;
        } else held++;
        return v;
      };
      const series = collectSteps(evalAt, start, end, step);
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
