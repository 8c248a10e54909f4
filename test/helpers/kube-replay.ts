/**
 * A fake Kubernetes API server on 127.0.0.1 that replays recorded API responses: list answers and
 * watch streams (newline-delimited JSON events) queued per collection path.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

/** One scripted answer: an HTTP status and a body. A watch answer's body is NDJSON events. */
export interface ReplayAnswer {
  status: number;
  body: string;
}

/** Serves queued answers; the last list answer of a path repeats, an exhausted watch stays open. */
export class KubeReplayServer {
  /** Every request URL in arrival order (path and query). */
  readonly requests: URL[] = [];
  /** Recorded `Authorization` headers, in arrival order. */
  readonly authorizations: (string | undefined)[] = [];
  readonly #lists = new Map<string, ReplayAnswer[]>();
  readonly #watches = new Map<string, ReplayAnswer[]>();
  #server: Server | undefined;

  /** Queues a list answer for `path` (e.g. `/api/v1/pods`). */
  list(path: string, body: string, status = 200): this {
    this.#queue(this.#lists, path).push({ status, body });
    return this;
  }

  /** Queues a watch answer for `path`; the stream ends after `body`. */
  watch(path: string, body: string, status = 200): this {
    this.#queue(this.#watches, path).push({ status, body });
    return this;
  }

  /** Requests to `path`, split into lists and watches. */
  calls(path: string): { lists: URL[]; watches: URL[] } {
    const mine = this.requests.filter((u) => u.pathname === path);
    return {
      lists: mine.filter((u) => !u.searchParams.has('watch')),
      watches: mine.filter((u) => u.searchParams.has('watch')),
    };
  }

  /** Starts listening and returns the base URL; with `tls`, serves HTTPS with that key and certificate. */
  async start(tls?: { key: string; cert: string }): Promise<string> {
    const handler = (req: IncomingMessage, res: ServerResponse): void => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      this.requests.push(url);
      this.authorizations.push(req.headers.authorization);
      const isWatch = url.searchParams.get('watch') === '1';
      const queue = (isWatch ? this.#watches : this.#lists).get(url.pathname) ?? [];
      const answer = isWatch || queue.length > 1 ? queue.shift() : queue[0];
      if (answer === undefined) {
        if (isWatch) {
          // Nothing more to replay: hold the stream open, as an idle watch would be.
          res.writeHead(200, { 'content-type': 'application/json' });
          res.flushHeaders();
          return;
        }
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ kind: 'Status', status: 'Failure', message: 'not found', code: 404 }));
        return;
      }
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(answer.body);
    };
    const server = tls === undefined ? createServer(handler) : createHttpsServer(tls, handler);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.#server = server;
    return `${tls === undefined ? 'http' : 'https'}://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  /** Closes every connection, including held watches, and stops listening. */
  async stop(): Promise<void> {
    const server = this.#server;
    if (server === undefined) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  #queue(m: Map<string, ReplayAnswer[]>, path: string): ReplayAnswer[] {
    let q = m.get(path);
    if (q === undefined) m.set(path, (q = []));
    return q;
  }
}
