/**
 * The API's handler shape and the wrapper every `/api/v1` endpoint goes through (Prometheus'
 * `apiFunc` and `wrap`): CORS, the readiness gate, the form, the JSON envelope, and the mapping
 * of errors to `errorType` and HTTP status.
 */
import type { Logger } from '../util/logger.js';
import type { CorsPolicy } from './cors.js';
import { ApiError } from './errors.js';
import type { WebRequest, WebResponse } from './http-types.js';
import type { WebOptions } from './options.js';
import { readForm } from './params.js';
import type { Form } from './params.js';
import type { QueryLog } from './query-log.js';
import { JSON_CONTENT_TYPE, errorEnvelope, send, sendText, successEnvelope } from './respond.js';
import type { RouteParams } from './router.js';
import type { WebSources } from './sources.js';

/** One API request as a handler sees it. */
export interface ApiRequest {
  readonly req: WebRequest;
  readonly form: Form;
  readonly params: RouteParams;
  /** The request path below the route prefix (`/api/v1/query`), for the query log. */
  readonly path: string;
  /** Aborts when the client disconnects before the answer is sent. */
  readonly closed: AbortSignal;
}

/**
 * What a handler answers: encoded JSON `data`, whole or in pieces to concatenate (none means 204
 * No Content), and annotations.
 */
export interface ApiResponse {
  readonly data?: string | readonly string[];
  readonly warnings?: readonly string[];
  readonly infos?: readonly string[];
}

/** An endpoint: throws `ApiError` for error answers. */
export type ApiHandler = (r: ApiRequest) => ApiResponse | Promise<ApiResponse>;

/** What endpoints are built from. */
export interface ApiDeps {
  readonly sources: WebSources;
  readonly options: WebOptions;
  readonly queryLog: QueryLog | undefined;
  /** When the server started, for runtime info. */
  readonly startTime: Date;
}

/** The raw HTTP handler the router holds. */
export type HttpHandler = (
  req: WebRequest,
  res: WebResponse,
  params: RouteParams,
  path: string,
) => Promise<void>;

/** Wrapper options: the CORS policy, the readiness test, the logger. */
export interface WrapOptions {
  readonly cors: CorsPolicy;
  /** Whether the server is ready; `undefined` means the endpoint answers even while not ready. */
  readonly ready: (() => boolean) | undefined;
  readonly logger: Logger;
}

/** Prometheus' answer while not ready (its `testReady` wrapper). */
export function sendNotReady(req: WebRequest, res: WebResponse): Promise<void> {
  return sendText(req, res, 503, 'Service Unavailable');
}

/** Turns an `ApiHandler` into an HTTP handler with the envelope, CORS and readiness gate. */
export function wrapApi(handler: ApiHandler, o: WrapOptions): HttpHandler {
  return async (req, res, params, path) => {
    if (o.ready !== undefined && !o.ready()) return sendNotReady(req, res);
    o.cors.apply(req, res);
    const closed = new AbortController();
    const onClose = (): void => {
      if (!res.writableFinished) closed.abort();
    };
    res.once('close', onClose);
    let answer: ApiResponse;
    try {
      const form = await readForm(req, new URL(req.url ?? '/', 'http://x').search);
      answer = await handler({ req, form, params, path, closed: closed.signal });
    } catch (e) {
      const err =
        e instanceof ApiError ? e : new ApiError('internal', e instanceof Error ? e.message : String(e));
      if (err.type === 'internal') o.logger.error('API request failed', { path, err });
      return send(req, res, err.status, JSON_CONTENT_TYPE, errorEnvelope(err));
    } finally {
      res.off('close', onClose);
    }
    if (answer.data === undefined) {
      res.statusCode = 204;
      res.end();
      return;
    }
    return send(
      req,
      res,
      200,
      JSON_CONTENT_TYPE,
      successEnvelope(answer.data, answer.warnings, answer.infos),
    );
  };
}
