/** A real HTTP server on 127.0.0.1 serving exposition text that tests change between scrapes. */
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import { gzipSync } from 'node:zlib';

/** What one path answers. */
export interface Exposition {
  body: string;
  contentType?: string;
  /** Compress with gzip when the client accepts it. */
  gzip?: boolean;
  /** Wait this long before answering (to provoke timeouts). */
  delayMs?: number;
  status?: number;
  /** Extra response headers, e.g. `Location` for a redirect. */
  headers?: Record<string, string>;
}

/** A server whose answers are set per path; it records each request's headers and path. */
export class ExpositionServer {
  readonly #server: Server;
  readonly answers = new Map<string, Exposition>();
  readonly requests: { path: string; headers: IncomingHttpHeaders }[] = [];
  port = 0;

  constructor() {
    this.#server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      this.requests.push({ path: url.pathname + url.search, headers: req.headers });
      const a = this.answers.get(url.pathname);
      const answer = (): void => {
        if (a === undefined) {
          res.writeHead(404).end('not found');
          return;
        }
        const headers: Record<string, string> = {
          'Content-Type': a.contentType ?? 'text/plain; version=0.0.4; charset=utf-8',
          ...a.headers,
        };
        let body: Buffer = Buffer.from(a.body);
        if (a.gzip === true && /gzip/.test(req.headers['accept-encoding'] ?? '')) {
          body = gzipSync(body);
          headers['Content-Encoding'] = 'gzip';
        }
        res.writeHead(a.status ?? 200, headers).end(body);
      };
      if (a?.delayMs !== undefined) setTimeout(answer, a.delayMs);
      else answer();
    });
  }

  /** `127.0.0.1:<port>`, once started. */
  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    const addr = this.#server.address();
    if (addr === null || typeof addr === 'string') throw new Error('no port');
    this.port = addr.port;
    return this;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
