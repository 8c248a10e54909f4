/**
 * Request parameters as Prometheus' API reads them: a form merged from the URL query and an
 * `application/x-www-form-urlencoded` body (body values first, as Go's `ParseForm`), and parsers
 * for times (RFC 3339 or Unix seconds), durations (`5m` or float seconds) and limits, with
 * Prometheus' error texts.
 */
import { parseDuration as parseModelDuration } from '../model/time.js';
import { ApiError, invalidParam } from './errors.js';
import type { WebRequest } from './http-types.js';

/** The widest time range a request may name, in milliseconds (what the engine can represent). */
export const MIN_TIME = Number.MIN_SAFE_INTEGER;
export const MAX_TIME = Number.MAX_SAFE_INTEGER;

/**
 * Prometheus' own boundary times as Go's client library sends them for "no start"/"no end"; Go's
 * time parser cannot read these years, so Prometheus recognises the two strings.
 */
const MIN_TIME_FORMATTED = '-292273086-05-16T16:47:06Z';
const MAX_TIME_FORMATTED = '292277025-08-18T07:12:54.999999999Z';

/** Go's `ParseForm` refuses url-encoded bodies above 10 MB. */
const MAX_FORM_BYTES = 10 << 20;

/** The parameters of one request: first value of a name, or all of them. */
export class Form {
  readonly #params: URLSearchParams;
  constructor(params: URLSearchParams) {
    this.#params = params;
  }
  /** The first value of `name`, or `''` (Go's `FormValue`). */
  get(name: string): string {
    return this.#params.get(name) ?? '';
  }
  /** Every value of `name`, body values before URL values. */
  all(name: string): string[] {
    return this.#params.getAll(name);
  }
}

/**
 * Reads the form of a request: the URL query, preceded by the body's fields when the request is a
 * POST, PUT or PATCH with an url-encoded body. Rejects with a `bad_data` error for a body above
 * 10 MB.
 */
export async function readForm(req: WebRequest, search: string): Promise<Form> {
  const query = new URLSearchParams(search);
  const method = req.method ?? 'GET';
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (
    !(method === 'POST' || method === 'PUT' || method === 'PATCH') ||
    type !== 'application/x-www-form-urlencoded'
  )
    return new Form(query);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > MAX_FORM_BYTES)
      throw new ApiError('bad_data', 'error parsing form values: http: POST too large');
    chunks.push(chunk);
  }
  const merged = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
  for (const [k, v] of query) merged.append(k, v);
  return new Form(merged);
}

const FLOAT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:(Z)|([+-])(\d{2}):(\d{2}))$/;

/**
 * Parses a time as Prometheus does: Unix seconds with an optional fraction (rounded to the
 * millisecond) or RFC 3339 with an optional fraction (truncated to the millisecond). Returns
 * milliseconds; throws an `Error` with Prometheus' text.
 */
export function parseTime(s: string): number {
  if (FLOAT.test(s)) {
    const t = Number(s);
    if (Number.isFinite(t)) {
      const whole = Math.trunc(t);
      const ms = whole * 1000 + Math.round((t - whole) * 1000);
      return Math.min(MAX_TIME, Math.max(MIN_TIME, ms));
    }
  }
  const m = RFC3339.exec(s);
  if (m !== null) {
    const [y, mo, d, h, mi, sec] = m.slice(1, 7).map(Number);
    const base = Date.UTC(y, mo - 1, d, h, mi, sec);
    const check = new Date(base);
    // Date.UTC rolls 31 February over into March; Go rejects it, and so do we.
    if (
      check.getUTCFullYear() === y &&
      check.getUTCMonth() === mo - 1 &&
      check.getUTCDate() === d &&
      h < 24 &&
      mi < 60 &&
      sec < 60
    ) {
      const ms = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, '0'));
      const offset =
        m[8] !== undefined ? 0 : (m[9] === '-' ? -1 : 1) * (Number(m[10]) * 60 + Number(m[11])) * 60_000;
      return base + ms - offset;
    }
  }
  if (s === MIN_TIME_FORMATTED) return MIN_TIME;
  if (s === MAX_TIME_FORMATTED) return MAX_TIME;
  throw new Error(`cannot parse ${goQuote(s)} to a valid timestamp`);
}

/**
 * Reads an optional time parameter (Prometheus' `parseTimeParam`): `fallback` when absent, else a
 * `bad_data` error `invalid parameter "start": Invalid time value for 'start': …` when malformed.
 */
export function timeParam(form: Form, name: string, fallback: number): number {
  const v = form.get(name);
  if (v === '') return fallback;
  try {
    return parseTime(v);
  } catch (e) {
    throw invalidParam(name, `Invalid time value for '${name}': ${(e as Error).message}`);
  }
}

/**
 * Parses a duration as Prometheus' API does: float seconds (`15`, `0.5`) or a Prometheus duration
 * (`1m30s`). Returns milliseconds (fractions of a millisecond are kept); throws an `Error`.
 */
export function parseDuration(s: string): number {
  if (FLOAT.test(s)) {
    const secs = Number(s);
    if (Math.abs(secs * 1e9) >= 2 ** 63)
      throw new Error(`cannot parse ${goQuote(s)} to a valid duration. It overflows int64`);
    return secs * 1000;
  }
  try {
    return parseModelDuration(s);
  } catch {
    throw new Error(`cannot parse ${goQuote(s)} to a valid duration`);
  }
}

/**
 * Reads the `limit` parameter (Prometheus' `parseLimitParam`): 0 (no limit) when absent; a
 * `bad_data` error when not an integer or negative.
 */
export function limitParam(form: Form, name = 'limit'): number {
  const s = form.get(name);
  if (s === '') return 0;
  const n = parseGoInt(s);
  if (n === undefined) throw invalidParam(name, `strconv.Atoi: parsing ${goQuote(s)}: invalid syntax`);
  if (n < 0) throw invalidParam(name, 'limit must be non-negative');
  return n;
}

/** Go's `strconv.Atoi`: optional sign and decimal digits only. */
export function parseGoInt(s: string): number | undefined {
  return /^[+-]?\d+$/.test(s) ? Number(s) : undefined;
}

/** A string quoted as Go's `%q` prints it (close enough for parameter values: JSON's escapes). */
export function goQuote(s: string): string {
  return JSON.stringify(s);
}
