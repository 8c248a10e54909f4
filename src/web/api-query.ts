/**
 * `/api/v1/query`, `/query_range`, `/format_query`, `/parse_query` and `/query_exemplars`, with
 * Prometheus' parameter checks and messages.
 */
import type { Expr } from '../promql/ast.js';
import { ParseError } from '../promql/parse-error.js';
import { parseExpr } from '../promql/parser.js';
import { formatExpr } from '../promql/printer.js';
import { QueryCanceledError, QueryError, QueryTimeoutError } from '../promql/engine/errors.js';
import type { QueryOutcome } from '../promql/engine/engine.js';
import type { ApiDeps, ApiHandler, ApiRequest, ApiResponse } from './api-core.js';
import { astToJson, hasSelectors } from './ast-json.js';
import { queryDeadline } from './deadline.js';
import type { QueryDeadline } from './deadline.js';
import { encodeQueryResult } from './encode-result.js';
import { ApiError, badData, invalidParam } from './errors.js';
import type { WebRequest } from './http-types.js';
import { jsonString, jsonValue } from './json-values.js';
import { MAX_TIME, MIN_TIME, limitParam, parseDuration, parseTime, timeParam } from './params.js';
import type { Form } from './params.js';
import { measuredStats } from './query-stats.js';
import type { QueryStats } from './query-stats.js';
import type { EngineQueryOptions } from './sources.js';

/** Prometheus refuses range queries with more points per series than this. */
const MAX_POINTS = 11_000;

/** What a query endpoint parsed before running the engine. */
interface QuerySpec {
  query: string;
  start: number;
  end: number;
  /** 0 for an instant query. */
  step: number;
  limit: number;
  timeout: number;
  engineOptions: EngineQueryOptions;
}

/** `lookback_delta`: a duration; a bad one is `bad_data` without the parameter prefix. */
function lookbackParam(form: Form): number | undefined {
  const s = form.get('lookback_delta');
  if (s === '') return undefined;
  try {
    return parseDuration(s);
  } catch (e) {
    throw badData(`error parsing lookback delta duration: ${(e as Error).message}`);
  }
}

/** `timeout`: the request's timeout, capped by `--query.timeout`. */
function timeoutParam(form: Form, cap: number): number {
  const s = form.get('timeout');
  if (s === '') return cap;
  let t: number;
  try {
    t = parseDuration(s);
  } catch (e) {
    throw invalidParam('timeout', (e as Error).message);
  }
  return Math.min(t, cap);
}

/** Maps an engine failure to the API error Prometheus answers with. */
function engineError(e: unknown, d: QueryDeadline): ApiError {
  if (e instanceof ParseError) return invalidParam('query', e.message);
  if (e instanceof QueryTimeoutError) return new ApiError('timeout', e.message);
  if (e instanceof QueryCanceledError) {
    // The deadline aborts the signal too: tell a timeout from a client that went away.
    return d.cause() === 'canceled'
      ? new ApiError('canceled', e.message)
      : new ApiError('timeout', `query timed out in ${e.stage}`);
  }
  if (e instanceof QueryError) return new ApiError('execution', e.message);
  return new ApiError('execution', e instanceof Error ? e.message : String(e));
}

/** The client address as the query log records it. */
function clientIp(req: WebRequest): string {
  const a = req.socket.remoteAddress ?? '';
  return a.startsWith('::ffff:') ? a.slice(7) : a;
}

/** Runs a parsed query through the engine, logs it, and encodes the answer. */
async function runQuery(deps: ApiDeps, r: ApiRequest, spec: QuerySpec): Promise<ApiResponse> {
  const { sources, options, queryLog } = deps;
  const deadline = queryDeadline(spec.timeout, options.now);
  const onClosed = (): void => deadline.cancel();
  r.closed.addEventListener('abort', onClosed);
  const began = performance.now();
  let outcome: QueryOutcome | undefined;
  let failure: ApiError | undefined;
  const engineOptions = { ...spec.engineOptions, signal: deadline.signal };
  try {
    outcome =
      spec.step === 0
        ? await sources.engine.instantQuery(sources.queryable, spec.query, spec.start, engineOptions)
        : await sources.engine.rangeQuery(
            sources.queryable,
            spec.query,
            spec.start,
            spec.end,
            spec.step,
            engineOptions,
          );
  } catch (e) {
    failure = engineError(e, deadline);
  } finally {
    deadline.dispose();
    r.closed.removeEventListener('abort', onClosed);
  }
  const stats = measuredStats(0, (performance.now() - began) / 1000);
  // A query that never parsed is not logged (Prometheus logs what the engine executed).
  if (
    queryLog?.enabled === true &&
    !(failure !== undefined && failure.message.startsWith('invalid parameter "query"'))
  ) {
    queryLog.log({
      query: spec.query,
      start: spec.start,
      end: spec.end,
      step: spec.step,
      stats,
      error: failure?.message,
      httpRequest: { clientIP: clientIp(r.req), method: r.req.method ?? 'GET', path: r.path },
      ts: options.now(),
    });
  }
  if (failure !== undefined || outcome === undefined) throw failure ?? new ApiError('internal', 'no result');
  const encoded = encodeQueryResult(outcome.result, spec.limit);
  const warnings = [...outcome.warnings];
  if (encoded.truncated) warnings.push('results truncated due to limit');
  const statsField = r.form.get('stats') !== '' ? `,"stats":${encodeStats(stats)}` : '';
  return { data: ['{', ...encoded.fields, `${statsField}}`], warnings, infos: outcome.infos };
}

function encodeStats(s: QueryStats): string {
  return jsonValue(s);
}

/** GET/POST `/api/v1/query`. */
export function queryHandler(deps: ApiDeps): ApiHandler {
  return (r) => {
    const f = r.form;
    const limit = limitParam(f);
    const t = timeParam(f, 'time', deps.options.now());
    const timeout = timeoutParam(f, deps.options.queryTimeout);
    const lookbackDelta = lookbackParam(f);
    const query = f.get('query');
    return runQuery(deps, r, {
      query,
      start: t,
      end: t,
      step: 0,
      limit,
      timeout,
      engineOptions: { lookbackDelta },
    });
  };
}

/** GET/POST `/api/v1/query_range`. */
export function queryRangeHandler(deps: ApiDeps): ApiHandler {
  return (r) => {
    const f = r.form;
    const limit = limitParam(f);
    const start = requiredTime(f, 'start');
    const end = requiredTime(f, 'end');
    if (end < start) throw invalidParam('end', 'end timestamp must not be before start time');
    let step: number;
    try {
      step = parseDuration(f.get('step'));
    } catch (e) {
      throw invalidParam('step', (e as Error).message);
    }
    if (step <= 0)
      throw invalidParam(
        'step',
        'zero or negative query resolution step widths are not accepted. Try a positive integer',
      );
    // For safety, limit the number of returned points per series (a week at 60s, a year at 1h).
    if (Math.floor((end - start) / step) > MAX_POINTS)
      throw badData(
        'exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)',
      );
    const timeout = timeoutParam(f, deps.options.queryTimeout);
    const lookbackDelta = lookbackParam(f);
    return runQuery(deps, r, {
      query: f.get('query'),
      start,
      end,
      step,
      limit,
      timeout,
      engineOptions: { lookbackDelta },
    });
  };
}

/** `start` and `end` of a range query are required: `parseTime` of `''` fails. */
function requiredTime(f: Form, name: string): number {
  try {
    return parseTime(f.get(name));
  } catch (e) {
    throw invalidParam(name, (e as Error).message);
  }
}

/** The `query` parameter parsed; a syntax error is `invalid parameter "query": …`. */
function queryExpr(f: Form): Expr {
  try {
    return parseExpr(f.get('query'));
  } catch (e) {
    if (e instanceof ParseError) throw invalidParam('query', e.message);
    throw e;
  }
}

/** GET/POST `/api/v1/format_query`: the canonical text of the expression. */
export const formatQueryHandler: ApiHandler = (r) => ({ data: jsonString(formatExpr(queryExpr(r.form))) });

/** GET/POST `/api/v1/parse_query`: the AST as Prometheus' UI reads it. */
export const parseQueryHandler: ApiHandler = (r) => ({ data: jsonValue(astToJson(queryExpr(r.form))) });

/**
 * GET/POST `/api/v1/query_exemplars`: Vigil keeps no exemplars yet, so a valid query has none
 * (and one without selectors has no data at all, 204, as in Prometheus).
 */
export const queryExemplarsHandler: ApiHandler = (r) => {
  const start = timeParam(r.form, 'start', MIN_TIME);
  const end = timeParam(r.form, 'end', MAX_TIME);
  if (end < start) throw badData('end timestamp must not be before start timestamp');
  let expr;
  try {
    expr = parseExpr(r.form.get('query'));
  } catch (e) {
    if (e instanceof ParseError) throw badData(e.message);
    throw e;
  }
  return hasSelectors(expr) ? { data: '[]' } : {};
};
