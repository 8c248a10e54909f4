/**
 * The HTTP side of a scrape: one GET with Prometheus' headers, gzip, a timeout and a body size
 * limit, read into a buffer the caller reuses from scrape to scrape. Requests go through undici's
 * dispatcher callbacks: Node's `http.request` spent twice the CPU per scrape on request objects,
 * streams and its agent.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { Agent, buildConnector } from 'undici';
import type { Dispatcher } from 'undici';
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
  /** The pool's connections (see {@link poolDispatcher}), so scrapes reuse them. */
  dispatcher: Dispatcher;
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
  /** The request headers but `Authorization`, as undici's flat name/value list. */
  readonly #headers: string[];
  readonly #hasAuth: boolean;
  /** Grows to the largest body seen and is reused: no buffer per scrape. */
  #buf = Buffer.allocUnsafe(64 * 1024);

  constructor(options: HttpScraperOptions) {
    this.#o = options;
    this.#url = new URL(options.url);
    this.#headers = [
      'accept',
      options.accept,
      'accept-encoding',
      options.enableCompression ? 'gzip' : 'identity',
      'user-agent',
      `Vigil/${VERSION}`,
      'x-prometheus-scrape-timeout-seconds',
      String(options.timeoutMs / 1000),
    ];
    const c = options.httpClient;
    this.#hasAuth = c.basicAuth !== undefined || c.authorization !== undefined;
  }

  /**
   * GETs the target and hands the (decompressed) body to `consume`, resolving with its result.
   * Rejects with Prometheus-like texts (`server returned HTTP status …`) and with what `consume`
   * throws.
   */
  async scrape<T>(consume: BodyConsumer<T>): Promise<T> {
    let headers = this.#headers;
    if (this.#hasAuth) {
      const auth = await authorizationHeader(this.#o.httpClient);
      if (auth !== undefined) headers = [...headers, 'authorization', auth];
    }
    return new Promise<T>((resolve, reject) => {
      new ScrapeRequest(this, headers, consume, resolve, reject).send(this.#url);
    });
  }

  get options(): HttpScraperOptions {
    return this.#o;
  }

  /** The first `len` bytes of the body buffer. */
  body(len: number): Buffer {
    return this.#buf.subarray(0, len);
  }

  /** The body buffer, grown to hold at least `need` bytes keeping the first `keep`. */
  buffer(need: number, keep: number): Buffer {
    if (need > this.#buf.length) {
      const grown = Buffer.allocUnsafe(Math.max(need, this.#buf.length * 2));
      this.#buf.copy(grown, 0, 0, keep);
      this.#buf = grown;
    }
    return this.#buf;
  }
}

/** One scrape's exchange, redirects included: undici's callbacks, with no stream in between. */
class ScrapeRequest<T> implements Dispatcher.DispatchHandlers {
  readonly #scraper: HttpScraper;
  readonly #headers: string[];
  readonly #consume: BodyConsumer<T>;
  readonly #resolve: (value: T) => void;
  readonly #reject: (err: Error) => void;
  readonly #timer: NodeJS.Timeout;
  #settled = false;
  #abort: ((err?: Error) => void) | undefined;
  #url: URL | undefined;
  #hops = 0;
  /** Set by the headers: a redirect to follow once this response ends. */
  #redirect: URL | undefined;
  #status = 0;
  #contentType: string | undefined;
  #gzipped = false;
  #len = 0;

  constructor(
    scraper: HttpScraper,
    headers: string[],
    consume: BodyConsumer<T>,
    resolve: (value: T) => void,
    reject: (err: Error) => void,
  ) {
    this.#scraper = scraper;
    this.#headers = headers;
    this.#consume = consume;
    this.#resolve = resolve;
    this.#reject = reject;
    // One deadline for the whole scrape, redirects included. When it fires, I/O that arrived
    // while the event loop was busy is handled first (setImmediate runs after the poll phase):
    // a stall of our own must not fail a target that answered in time.
    const o = scraper.options;
    this.#timer = setTimeout(
      () => setImmediate(() => this.#fail(new Error(`Get "${o.url}": context deadline exceeded`))),
      o.timeoutMs,
    );
  }

  send(url: URL): void {
    if (this.#settled) return; // the deadline passed before a redirect was followed
    this.#url = url;
    this.#redirect = undefined;
    this.#status = 0;
    this.#contentType = undefined;
    this.#gzipped = false;
    this.#len = 0;
    const target = this.#scraper.options.url;
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      this.#fail(new Error(`Get "${target}": unsupported protocol scheme "${url.protocol.slice(0, -1)}"`));
      return;
    }
    try {
      this.#scraper.options.dispatcher.dispatch(
        { origin: url.origin, path: url.pathname + url.search, method: 'GET', headers: this.#headers },
        this,
      );
    } catch (err) {
      // Refused before sending (a header value undici will not write): this scrape fails.
      this.#fail(new Error(`Get "${target}": ${err instanceof Error ? err.message : String(err)}`));
    }
  }

  onConnect(abort: (err?: Error) => void): void {
    if (this.#settled) abort();
    else this.#abort = abort;
  }

  onHeaders(status: number, rawHeaders: Buffer[], _resume: () => void, statusText: string): boolean {
    if (this.#settled) return false;
    if (status < 200) return true; // informational: the answer follows
    const o = this.#scraper.options;
    let location: string | undefined;
    for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
      const name = rawHeaders[i];
      // Only three headers matter; their lengths tell them apart before any text is made.
      if (name.length === 12 && name.toString('latin1').toLowerCase() === 'content-type')
        this.#contentType = rawHeaders[i + 1].toString('latin1');
      else if (name.length === 16 && name.toString('latin1').toLowerCase() === 'content-encoding')
        this.#gzipped = rawHeaders[i + 1].toString('latin1').trim().toLowerCase() === 'gzip';
      else if (name.length === 8 && name.toString('latin1').toLowerCase() === 'location')
        location = rawHeaders[i + 1].toString('latin1');
    }
    this.#status = status;
    if (status >= 300 && status < 400 && location !== undefined && o.httpClient.followRedirects) {
      // Go's http.Client stops after 10 redirects.
      if (this.#hops >= 10) return this.#fail(new Error(`Get "${o.url}": stopped after 10 redirects`));
      try {
        this.#redirect = new URL(location, this.#url);
      } catch {
        return this.#fail(new Error(`Get "${o.url}": failed to parse Location header "${location}"`));
      }
      return true;
    }
    if (status !== 200) {
      return this.#fail(new Error(`server returned HTTP status ${status} ${statusText}`.trimEnd()));
    }
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (this.#settled) return false;
    if (this.#redirect !== undefined) return true; // a redirect's own body is dropped
    const o = this.#scraper.options;
    const len = this.#len;
    const need = len + chunk.length;
    // Prometheus fails a body that reaches the limit (it reads at most `limit` bytes).
    if (!this.#gzipped && o.bodySizeLimit > 0 && need >= o.bodySizeLimit) {
      return this.#fail(new BodySizeLimitError());
    }
    chunk.copy(this.#scraper.buffer(need, len), len);
    this.#len = need;
    return true;
  }

  onComplete(): void {
    if (this.#settled) return;
    if (this.#redirect !== undefined) {
      this.#hops++;
      const next = this.#redirect;
      // After undici has handed the connection back, so a redirect on the same host reuses it.
      setImmediate(() => this.send(next));
      return;
    }
    this.#settled = true;
    clearTimeout(this.#timer);
    try {
      // One synchronous decompression of the whole body: a gunzip stream calls back per 16 KiB
      // of output, and even one asynchronous call costs as much CPU again as the inflating (a
      // thread-pool hand-off and a stream per call).
      const raw = this.#scraper.body(this.#len);
      const body = this.#gzipped ? gunzipBody(raw, this.#scraper.options.bodySizeLimit) : raw;
      this.#resolve(this.#consume(body, this.#contentType));
    } catch (err) {
      this.#reject(err instanceof Error ? err : new Error(String(err)));
    }
  }

  onError(err: Error): void {
    // A response refused above aborts the request; that abort comes back here, already settled.
    const url = this.#scraper.options.url;
    const message = this.#status === 0 ? `Get "${url}": ${err.message}` : `read body: ${err.message}`;
    this.#fail(new Error(message, { cause: err }));
  }

  /** Settles with `err` and aborts the exchange; returns false, which also tells undici to stop. */
  #fail(err: Error): false {
    if (this.#settled) return false;
    this.#settled = true;
    clearTimeout(this.#timer);
    this.#abort?.(err);
    this.#reject(err);
    return false;
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

/**
 * Idle connections are kept this long (Prometheus' scrape client: 5 minutes), past any scrape
 * interval, so each target keeps one connection.
 */
const IDLE_CONNECTION_MS = 5 * 60_000;

/**
 * The connection pool of a scrape pool's targets, with the TLS files of its `tls_config` read
 * once here (at config load, so a missing file fails the pool, as in Prometheus). Throws for an
 * unreadable file.
 */
export function poolDispatcher(c: HTTPClientConfig): Dispatcher {
  const t = c.tlsConfig;
  const load = (inline: string, file: string): string | undefined =>
    inline !== '' ? inline : file !== '' ? readFileSync(file, 'utf8') : undefined;
  const connector = buildConnector({
    ca: load(t.ca, t.caFile),
    cert: load(t.cert, t.certFile),
    key: load(t.key, t.keyFile),
    rejectUnauthorized: !t.insecureSkipVerify,
  });
  // `server_name` overrides the name undici takes from the URL (SNI and certificate check).
  const connect: buildConnector.connector =
    t.serverName === '' ? connector : (opts, cb) => connector({ ...opts, servername: t.serverName }, cb);
  return new Agent({
    keepAliveTimeout: IDLE_CONNECTION_MS,
    keepAliveMaxTimeout: IDLE_CONNECTION_MS,
    connect,
  });
}
