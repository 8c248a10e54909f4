/**
 * API errors: the `errorType` values of Prometheus' API and the HTTP status each maps to. Handlers
 * throw an `ApiError`; the envelope writer turns it into `{"status":"error",…}`.
 */

/** The `errorType` of an error response, as Prometheus names them. */
export type ApiErrorType =
  | 'timeout'
  | 'canceled'
  | 'execution'
  | 'bad_data'
  | 'internal'
  | 'unavailable'
  | 'not_found'
  | 'not_acceptable';

/**
 * The HTTP status of each error type, as Prometheus' `respondError` sets it. `unavailable` has no
 * case of its own there and falls to 500, like `internal`; `canceled` uses nginx's 499.
 */
const STATUS: Readonly<Record<ApiErrorType, number>> = {
  bad_data: 400,
  execution: 422,
  canceled: 499,
  timeout: 503,
  internal: 500,
  not_found: 404,
  not_acceptable: 406,
  unavailable: 500,
};

/** An error answered with Prometheus' JSON error envelope. */
export class ApiError extends Error {
  readonly code = 'ERR_WEB_API';
  constructor(
    readonly type: ApiErrorType,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The HTTP status this error is answered with. */
  get status(): number {
    return STATUS[this.type];
  }
}

/** A bad parameter: `invalid parameter "name": <reason>` (Prometheus' `invalidParamError`). */
export function invalidParam(name: string, reason: string): ApiError {
  return new ApiError('bad_data', `invalid parameter "${name}": ${reason}`);
}

/** A plain `bad_data` error. */
export function badData(message: string): ApiError {
  return new ApiError('bad_data', message);
}
