/** Errors the PromQL engine raises, each with a stable `code`. */

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

/** The query was cancelled or timed out through its AbortSignal. */
export class QueryCancelledError extends QueryError {
  constructor(reason: string) {
    super(`query cancelled: ${reason}`, 'ERR_QUERY_CANCELLED');
  }
}
