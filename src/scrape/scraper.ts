/**
 * The HTTP side of a scrape: one GET with Prometheus' headers, gzip, a timeout and a body size
 * limit, read into a buffer the caller reuses from scrape to scrape.
 */
import http from 'node:http';
import https from 'node:https';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { HTTPClientConfig } from '../config/http-client.js';
import { VERSION } from '../version.js';
import { Gunzipper, GunzipLimitError } from './gunzip.js';

/** Prometheus' text for a body over `body_size_limit`. */
export const BODY_SIZE_LIMIT_ERROR = 'body size limit exceeded';

/**
 * Bodies are decompressed one at a time and handed to the caller before the next: one
 * decompressor and its output buffer serve every target.
 */
const gunzipper = new Gunzipper();

/** Options of {@link HttpScraper}. */
export interface HttpScraperOptions {
  url: string;
  /** The `Accept` header (see `scrapeAcceptHeader`). */
  accept: string;
  timeoutMs: number;
  /** Largest uncompressed body in bytes; 0 for no limit. */
  bodySizeLimit: number;
  /** Ask for gzip (`enable_compression`). */
  enableCompression: boolean;
  httpClient: HTTPClientConfig;
  /** Keep-alive agents shared by the pool, so scrapes reuse connections. */
  agents: PoolAgents | undefined;
}

/**
 * Reads a scrape's body. The body is a view into a buffer that is reused: valid only during the
 * call.
 */
export type BodyConsumer<T> = (body: Uint8Array, contentType: string | undefined) => T;

/** Raised for a body over the size limit, so the loop can count it. */
export class BodySizeLimitError extends Error {
  constructor() {
    super(BODY_SIZE_LIMIT_ERROR);
    this.name = 'BodySizeLimitError';
  }
}

/** Fetches one target. Not for concurrent use: one scrape at a time. */
export class HttpScraper {
  readonly #o: HttpScraperOptions;
  readonly #url: URL;
  /** Grows to the largest body seen and is reused: no buffer per scrape. */
  #buf = Buffer.allocUnsafe(64 * 1024);

  constructor(options: HttpScraperOptions) {
    this.#o = options;
    this.#url = new URL(options.url);
  }

  /**
   * GETs the target and hands the (decompressed) body to `consume`, resolving with its result.
   * Rejects with Prometheus-like texts (`server returned HTTP status …`) and with what `consume`
   * throws.
   */
  async scrape<T>(consume: BodyConsumer<T>): Promise<T> {
    const o = this.#o;
    const headers: Record<string, string> = {
      Accept: o.accept,
      'Accept-Encoding': o.enableCompression ? 'gzip' : 'identity',
      'User-Agent': `Vigil/${VERSION}`,
      'X-Prometheus-Scrape-Timeout-Seconds': String(o.timeoutMs / 1000),
    };
    const auth = await authorizationHeader(o.httpClient);
    if (auth !== undefined) headers['Authorization'] = auth;
    const tls = o.httpClient.tlsConfig;
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      let req: http.ClientRequest | undefined;
      const fail = (err: Error): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        req?.destroy();
        reject(err);
      };
      // One deadline for the whole scrape, redirects included. When it fires, I/O that arrived
      // while the event loop was busy is handled first (setImmediate runs after the poll phase):
      // a stall of our own must not fail a target that answered in time.
      const timer = setTimeout(
        () => setImmediate(() => fail(new Error(`Get "${o.url}": context deadline exceeded`))),
        o.timeoutMs,
      );
      const send = (url: URL, hops: number): void => {
        const mod = url.protocol === 'https:' ? https : http;
        req = mod.request(url, {
          method: 'GET',
          headers,
          agent: o.agents === undefined ? undefined : mod === https ? o.agents.https : o.agents.http,
          rejectUnauthorized: !tls.insecureSkipVerify,
          servername: tls.serverName || undefined,
        });
        req.on('error', (err) => fail(new Error(`Get "${o.url}": ${err.message}`, { cause: err })));
        req.on('response', (res) => onResponse(res, url, hops));
        req.end();
      };
      const onResponse = (res: http.IncomingMessage, url: URL, hops: number): void => {
        const status = res.statusCode ?? 0;
        const location = res.headers.location;
        if (status >= 300 && status < 400 && location !== undefined && o.httpClient.followRedirects) {
          res.resume();
          // Go's http.Client stops after 10 redirects.
          if (hops >= 10) fail(new Error(`Get "${o.url}": stopped after 10 redirects`));
          else send(new URL(location, url), hops + 1);
          return;
        }
        if (status !== 200) {
          res.resume();
          fail(new Error(`server returned HTTP status ${status} ${res.statusMessage ?? ''}`.trimEnd()));
          return;
        }
        const contentType = res.headers['content-type'];
        const gzipped = (res.headers['content-encoding'] ?? '').toLowerCase() === 'gzip';
        let len = 0;
        res.on('data', (chunk: Buffer) => {
          if (settled) return;
          const need = len + chunk.length;
          // Prometheus fails a body that reaches the limit (it reads at most `limit` bytes).
          if (!gzipped && o.bodySizeLimit > 0 && need >= o.bodySizeLimit) {
            fail(new BodySizeLimitError());
            res.destroy();
            return;
          }
          if (need > this.#buf.length) {
            const grown = Buffer.allocUnsafe(Math.max(need, this.#buf.length * 2));
            this.#buf.copy(grown, 0, 0, len);
            this.#buf = grown;
          }
          chunk.copy(this.#buf, len);
          len = need;
        });
        res.on('error', (err) => fail(new Error(`read body: ${err.message}`, { cause: err })));
        res.on('end', () => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          try {
            // One synchronous decompression of the whole body: a gunzip stream calls back per
            // 16 KiB of output, and even one asynchronous call costs as much CPU again as the
            // inflating (a thread-pool hand-off and a stream per call).
            const raw = this.#buf.subarray(0, len);
            const body = gzipped ? gunzipBody(raw, o.bodySizeLimit) : raw;
            resolve(consume(body, contentType));
          } catch (err) {
            reject(err instanceof Error ? err : new Error(String(err)));
          }
        });
      };
      send(this.#url, 0);
    });
  }
}

/** `body` decompressed, with the scrape's error texts. */
function gunzipBody(body: Uint8Array, limit: number): Uint8Array {
  try {
    return gunzipper.decode(body, limit);
  } catch (err) {
    if (err instanceof GunzipLimitError) throw new BodySizeLimitError();
    const message = err instanceof Error ? err.message : String(err);
    throw new Error(`read body: ${message}`, { cause: err });
  }
}

/** The `Authorization` header of `basic_auth` or `authorization`, files read on each scrape. */
async function authorizationHeader(c: HTTPClientConfig): Promise<string | undefined> {
  if (c.basicAuth !== undefined) {
    const b = c.basicAuth;
    const user = b.usernameFile !== '' ? (await readFile(b.usernameFile, 'utf8')).trim() : b.username;
    const pass = b.passwordFile !== '' ? (await readFile(b.passwordFile, 'utf8')).trim() : b.password;
    return 'Basic ' + Buffer.from(`${user}:${pass}`).toString('base64');
  }
  if (c.authorization !== undefined) {
    const a = c.authorization;
    const cred =
      a.credentialsFile !== '' ? (await readFile(a.credentialsFile, 'utf8')).trim() : a.credentials;
    return `${a.type || 'Bearer'} ${cred}`;
  }
  return undefined;
}

/** Keep-alive agents shared by a pool's targets, one per scheme. */
export interface PoolAgents {
  readonly http: http.Agent;
  readonly https: https.Agent;
}

/**
 * The agents of a pool, with the TLS files of its `tls_config` read once here (at config load, so
 * a missing file fails the pool, as in Prometheus). Throws for an unreadable file.
 */
export function poolAgents(c: HTTPClientConfig): PoolAgents {
  const t = c.tlsConfig;
  const load = (inline: string, file: string): string | undefined =>
    inline !== '' ? inline : file !== '' ? readFileSync(file, 'utf8') : undefined;
  return {
    http: new http.Agent({ keepAlive: true }),
    https: new https.Agent({
      keepAlive: true,
      ca: load(t.ca, t.caFile),
      cert: load(t.cert, t.certFile),
      key: load(t.key, t.keyFile),
      rejectUnauthorized: !t.insecureSkipVerify,
    }),
  };
}
