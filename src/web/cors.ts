/** CORS headers for the API, as Prometheus' `httputil.SetCORS` sets them. */
import { compileRegex } from '../model/regex.js';
import type { StringMatcher } from '../model/regex.js';
import type { WebRequest, WebResponse } from './http-types.js';

const CORS_HEADERS: ReadonlyArray<readonly [string, string]> = [
  ['Access-Control-Allow-Headers', 'Accept, Authorization, Content-Type, Origin'],
  ['Access-Control-Allow-Methods', 'GET, POST, OPTIONS'],
  ['Access-Control-Expose-Headers', 'Date'],
  ['Vary', 'Origin'],
];

/** Decides the CORS headers of API responses from `--web.cors.origin`. */
export class CorsPolicy {
  readonly #anyOrigin: boolean;
  readonly #matcher: StringMatcher;

  /** `origin` is the flag's regex; it is anchored as Prometheus anchors it. Throws when invalid. */
  constructor(origin: string) {
    // Prometheus answers `*` rather than echoing the origin when the regex is the default `.*`.
    this.#anyOrigin = origin === '.*';
    this.#matcher = compileRegex(origin);
  }

  /** Sets the headers on `res` when the request carries an `Origin`. */
  apply(req: WebRequest, res: WebResponse): void {
    const origin = req.headers.origin;
    if (origin === undefined || origin === '') return;
    for (const [k, v] of CORS_HEADERS) res.setHeader(k, v);
    if (this.#anyOrigin) res.setHeader('Access-Control-Allow-Origin', '*');
    else if (this.#matcher.matches(origin)) res.setHeader('Access-Control-Allow-Origin', origin);
  }
}
