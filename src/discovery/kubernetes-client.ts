/**
 * A small Kubernetes API client on `node:http`/`node:https`: GET a list, and stream a watch as
 * newline-delimited JSON events. Only what discovery needs; see docs/decisions.md for why this is
 * not `@kubernetes/client-node`.
 */
import { request as httpRequest } from 'node:http';
import type { IncomingMessage, RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { DiscoveryError } from './errors.js';
import type { JsonObject } from './kubernetes-json.js';
import { asObject, intField, stringField } from './kubernetes-json.js';

/** How to reach and authenticate to an API server. */
export interface KubernetesConnection {
  /** Base URL, e.g. `https://10.0.0.1:443`. */
  server: string;
  /** Returns the `Authorization` header value per request (tokens rotate), or `undefined`. */
  authorization: () => Promise<string | undefined>;
  /** TLS settings for `https:` servers. */
  tls: {
    ca?: string | Buffer;
    cert?: string | Buffer;
    key?: string | Buffer;
    servername?: string;
    rejectUnauthorized: boolean;
  };
}

/** One event of a watch stream. `object` is unchecked; `ERROR` carries a `Status`. */
export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: JsonObject;
}

/** An API answer with a status other than 200; `status` is the HTTP (or `Status.code`) status. */
export class KubernetesApiError extends DiscoveryError {
  /** The HTTP status, e.g. 410 when the requested resource version is gone. */
  readonly status: number;

  constructor(status: number, message: string) {
    super('ERR_SD_K8S_API', message);
    this.name = 'KubernetesApiError';
    this.status = status;
  }
}

const EVENT_TYPES = new Set(['ADDED', 'MODIFIED', 'DELETED', 'BOOKMARK', 'ERROR']);

/** Decodes one line of a watch stream. Throws a `DiscoveryError` when malformed. */
export function parseWatchEvent(line: string): WatchEvent {
  let doc: unknown;
  try {
    doc = JSON.parse(line) as unknown;
  } catch (err) {
    throw new DiscoveryError('ERR_SD_K8S_INVALID_OBJECT', 'parse watch event', { cause: err });
  }
  const o = asObject(doc, 'watch event');
  const type = stringField(o, 'type', 'watch event');
  if (!EVENT_TYPES.has(type)) {
    throw new DiscoveryError('ERR_SD_K8S_INVALID_OBJECT', `unknown watch event type "${type}"`);
  }
  return { type: type as WatchEvent['type'], object: asObject(o['object'], 'watch event.object') };
}

/** Issues requests against one API server. Stateless; safe to share between watches. */
export class KubernetesClient {
  readonly #conn: KubernetesConnection;

  constructor(conn: KubernetesConnection) {
    this.#conn = conn;
  }

  /** GETs `path?query` and returns the parsed JSON body. Throws a `KubernetesApiError` on a non-200. */
  async get(path: string, query: URLSearchParams, signal: AbortSignal): Promise<unknown> {
    const res = await this.#open(path, query, signal);
    const body = await readAll(res);
    if (res.statusCode !== 200) throw apiError(res.statusCode ?? 0, body);
    try {
      return JSON.parse(body) as unknown;
    } catch (err) {
      throw new DiscoveryError('ERR_SD_K8S_INVALID_OBJECT', `parse response of ${path}`, { cause: err });
    }
  }

  /**
   * Opens a watch (`watch=1` is added to `query`) and calls `onEvent` for each event until the server
   * ends the stream (resolves) or `signal` aborts (resolves). Throws a `KubernetesApiError` when the
   * watch cannot be opened, and rethrows what `onEvent` throws after closing the stream.
   */
  async watch(
    path: string,
    query: URLSearchParams,
    signal: AbortSignal,
    onEvent: (e: WatchEvent) => void,
  ): Promise<void> {
    const q = new URLSearchParams(query);
    q.set('watch', '1');
    const res = await this.#open(path, q, signal);
    if (res.statusCode !== 200) throw apiError(res.statusCode ?? 0, await readAll(res));
    res.setEncoding('utf8');
    let pending = '';
    try {
      for await (const chunk of res) {
        pending += String(chunk);
        let nl: number;
        while ((nl = pending.indexOf('\n')) >= 0) {
          const line = pending.slice(0, nl).trim();
          pending = pending.slice(nl + 1);
          if (line !== '') onEvent(parseWatchEvent(line));
        }
      }
    } catch (err) {
      if (signal.aborted) return;
      throw err;
    } finally {
      res.destroy();
    }
  }

  async #open(path: string, query: URLSearchParams, signal: AbortSignal): Promise<IncomingMessage> {
    const url = new URL(path, this.#conn.server);
    url.search = query.toString();
    const headers: Record<string, string> = { accept: 'application/json' };
    const auth = await this.#conn.authorization();
    if (auth !== undefined) headers['authorization'] = auth;
    const https = url.protocol === 'https:';
    // No keep-alive: watches hold their connection anyway, and a pooled socket handed on from an
    // ended watch could otherwise receive the abort of the request that used it before.
    const options: RequestOptions = { method: 'GET', headers, agent: false };
    const { tls } = this.#conn;
    const req = https
      ? httpsRequest(url, {
          ...options,
          ca: tls.ca,
          cert: tls.cert,
          key: tls.key,
          servername: tls.servername,
          rejectUnauthorized: tls.rejectUnauthorized,
        })
      : httpRequest(url, options);
    // The signal is wired by hand rather than through the `signal` option, so its listener goes
    // away when the request closes (a keep-alive socket outlives the request that used it).
    const onAbort = (): void => {
      req.destroy(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    req.once('close', () => signal.removeEventListener('abort', onAbort));
    return new Promise<IncomingMessage>((resolve, reject) => {
      req.once('response', (res: IncomingMessage) => {
        // Readers see errors through their async iterator; this listener only keeps an abort that
        // lands between two reads from becoming an uncaught 'error' event.
        res.on('error', () => {});
        resolve(res);
      });
      // `on`, not `once`: an abort after an earlier error (say a reset) must not go uncaught; a
      // rejection after the promise settled is a no-op.
      req.on('error', reject);
      req.end();
    });
  }
}

async function readAll(res: IncomingMessage): Promise<string> {
  res.setEncoding('utf8');
  let body = '';
  for await (const chunk of res) body += String(chunk);
  return body;
}

/** An error from a non-200 answer, with the `Status` message when the body holds one. */
function apiError(status: number, body: string): KubernetesApiError {
  let message = `server returned HTTP status ${status}`;
  try {
    const s = asObject(JSON.parse(body) as unknown, 'status');
    const m = stringField(s, 'message', 'status');
    if (m !== '') message += `: ${m}`;
  } catch {
    // Not a Status object: keep the bare status.
  }
  return new KubernetesApiError(status, message);
}

/** The `KubernetesApiError` carried by a watch `ERROR` event (a `Status` object). */
export function statusError(status: JsonObject): KubernetesApiError {
  const code = intField(status, 'code', 'status');
  return new KubernetesApiError(code, `watch error ${code}: ${stringField(status, 'message', 'status')}`);
}
