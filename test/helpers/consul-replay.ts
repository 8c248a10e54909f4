/**
 * A stand-in Consul agent for tests: a real `node:http` server on 127.0.0.1 that replays recorded
 * API exchanges (`src/discovery/testdata/consul/*.json`) and implements blocking queries: a request
 * whose `index` equals the current `X-Consul-Index` is held until the test publishes a change.
 */
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { REPO_ROOT } from '../support/paths.js';

/** One recorded HTTP exchange. */
export interface Recording {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** The body: JSON for a 200, text otherwise. */
  readonly body: unknown;
}

/** One request the replay server received. */
export interface ReceivedRequest {
  readonly path: string;
  readonly query: URLSearchParams;
  readonly token: string | undefined;
}

const TESTDATA = path.join(REPO_ROOT, 'src', 'discovery', 'testdata', 'consul');

/** Reads `testdata/consul/<name>.json`, checking its shape. */
export async function loadRecording(name: string): Promise<Recording> {
  const doc: unknown = JSON.parse(await readFile(path.join(TESTDATA, `${name}.json`), 'utf8'));
  if (typeof doc !== 'object' || doc === null) throw new Error(`${name}: not an object`);
  const status = 'status' in doc ? doc.status : undefined;
  const headers = 'headers' in doc ? doc.headers : undefined;
  if (typeof status !== 'number') throw new Error(`${name}: no status`);
  if (typeof headers !== 'object' || headers === null) throw new Error(`${name}: no headers`);
  const h: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (typeof v !== 'string') throw new Error(`${name}: header ${k} is not a string`);
    h[k] = v;
  }
  return { status, headers: h, body: 'body' in doc ? doc.body : undefined };
}

/** The replay server. Set the recordings, then call `publish()` to release held blocking queries. */
export class ConsulReplay {
  /** The answer of `/v1/catalog/services`. */
  catalog: Recording | undefined;
  /** Service name → the answer of `/v1/health/service/<name>`. */
  readonly health = new Map<string, Recording>();
  /** When set, every request gets this answer (e.g. a 500). */
  failure: Recording | undefined;
  /** A path prefix the server strips before routing, as a proxy in front of Consul would. */
  prefix = '';
  /** Every request so far, in arrival order. */
  readonly requests: ReceivedRequest[] = [];
  readonly #held = new Set<() => void>();
  readonly #server: Server;

  constructor() {
    this.#server = createServer((req, res) => this.#handle(req, res));
  }

  /** Number of blocking queries being held. */
  get held(): number {
    return this.#held.size;
  }

  /** Listens on an ephemeral port of 127.0.0.1 and returns `host:port`. */
  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    return `127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  /** Answers every held query with the current recordings. */
  publish(): void {
    for (const release of [...this.#held]) release();
  }

  /** Drops open connections and closes the server. */
  stop(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.#server.closeAllConnections();
      this.#server.close(() => resolve());
    });
  }

  #current(p: string): Recording | undefined {
    if (this.failure !== undefined) return this.failure;
    if (!p.startsWith(this.prefix)) return undefined;
    p = p.slice(this.prefix.length);
    if (p === '/v1/catalog/services') return this.catalog;
    const m = /^\/v1\/health\/service\/([^/]+)$/.exec(p);
    return m === null ? undefined : this.health.get(decodeURIComponent(m[1] ?? ''));
  }

  #handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://consul');
    const token = req.headers['x-consul-token'];
    this.requests.push({
      path: url.pathname,
      query: url.searchParams,
      token: Array.isArray(token) ? token[0] : token,
    });
    const answer = (): void => {
      const rec = this.#current(url.pathname);
      if (rec === undefined) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        return;
      }
      const body = typeof rec.body === 'string' ? rec.body : JSON.stringify(rec.body);
      res.writeHead(rec.status, rec.headers).end(body);
    };
    const rec = this.#current(url.pathname);
    const index = url.searchParams.get('index');
    if (rec === undefined || index === null || rec.headers['X-Consul-Index'] !== index) {
      answer();
      return;
    }
    // A blocking query on an unchanged index: hold it until publish() or the connection closes.
    const release = (): void => {
      this.#held.delete(release);
      answer();
    };
    this.#held.add(release);
    res.on('close', () => this.#held.delete(release));
  }
}
