/** Errors the PromQL engine raises, each with a stable `code`. */
import type { Expr } from '../ast.js';
import { ParseError } from '../parse-error.js';

/** A query failed during evaluation; the message is Prometheus' text where one exists. */
export class QueryError extends Error {
  readonly code: string;
  constructor(message: string, code = 'ERR_QUERY_EXECUTION') {
    super(message);
    this.code = code;
  }
}

/** Too many samples would be held in memory at once. */
export class TooManySamplesError extends QueryError {
  constructor() {
    super(
      'query processing would load too many samples into memory in query execution',
      'ERR_TOO_MANY_SAMPLES',
    );
  }
}

/**
 * Where a query was when it was stopped, as Prometheus names it: waiting for a slot
 * (`query queue`) or running (`expression evaluation`).
 */
export type QueryStage = 'query queue' | 'expression evaluation';

/** The query ran out of time: "query timed out in expression evaluation". */
export class QueryTimeoutError extends QueryError {
  constructor(readonly stage: QueryStage) {
    super(`query timed out in ${stage}`, 'ERR_QUERY_TIMEOUT');
  }
}

/** The query was cancelled by its caller: "query was canceled in expression evaluation". */
export class QueryCanceledError extends QueryError {
  constructor(readonly stage: QueryStage) {
    super(`query was canceled in ${stage}`, 'ERR_QUERY_CANCELED');
  }
}

/**
 * The error for an aborted signal: a timeout when the reason is a `TimeoutError` (what
 * `AbortSignal.timeout()` gives), a cancellation otherwise.
 */
export function abortedError(signal: AbortSignal, stage: QueryStage): QueryError {
  const reason: unknown = signal.reason;
  const timedOut = reason instanceof Error && reason.name === 'TimeoutError';
  return timedOut ? new QueryTimeoutError(stage) : new QueryCanceledError(stage);
}

/**
 * A range query whose expression is neither an instant vector nor a scalar. Prometheus rejects it
 * when the query is created, as a bad `query` parameter (`bad_data`), so it is a `ParseError`
 * without the position prefix: the API answers `invalid parameter "query": invalid expression type…`.
 */
export class RangeQueryTypeError extends ParseError {
  constructor(typeName: string, e: Expr, query: string) {
    super(
      `invalid expression type "${typeName}" for range query, must be Scalar or instant Vector`,
      e.pos,
      query,
    );
    this.message = this.detail;
    this.name = 'RangeQueryTypeError';
  }
}
