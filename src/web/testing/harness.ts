/**
 * Test support for the web layer: a `WebServer` over a `MemoryStorage` and the real engine on a
 * free loopback port, and a small HTTP client (real requests, gzip decoded by hand so tests can
 * check the encoding).
 */
import { request } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import { gunzipSync, inflateSync } from 'node:zlib';
import { freePort } from '../../../test/support/network.js';
import { Engine } from '../../promql/engine/engine.js';
import { MemoryStorage } from '../../storage/memory.js';
import { engineAdapter } from '../engine-adapter.js';
import type { WebOptions } from '../options.js';
import type { QueryLog } from '../query-log.js';
import { WebServer } from '../server.js';
import type { WebSources } from '../sources.js';
import { statsFromQueryable } from '../tsdb-stats.js';

/** A response as tests read it. */
export interface TestResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** The decoded body. */
  text: string;
  /** The raw bytes as sent (still compressed when they were). */
  raw: Buffer;
}

/** A started server and what it serves. */
export interface Harness {
  server: WebServer;
  storage: MemoryStorage;
  base: string;
  port: number;
  close(): Promise<void>;
}

/** Starts a ready server on a free port over `storage` (a fresh one by default). */
export async function startHarness(
  opts: {
    storage?: MemoryStorage;
    options?: Partial<WebOptions>;
    sources?: Partial<WebSources>;
    queryLog?: QueryLog;
    ready?: boolean;
  } = {},
): Promise<Harness> {
  const storage = opts.storage ?? new MemoryStorage();
  const port = await freePort();
  const server = new WebServer(
    {
      queryable: storage,
      engine: engineAdapter(new Engine()),
      tsdb: statsFromQueryable(storage),
      ...opts.sources,
    },
    { listenAddress: `127.0.0.1:${port}`, uiDir: '/nonexistent-vigil-ui', ...opts.options },
    opts.queryLog,
  );
  server.setReady(opts.ready ?? true);
  await server.listen();
  return { server, storage, port, base: `http://127.0.0.1:${port}`, close: () => server.close() };
}

/** Sends one request; `body` (a form) is sent url-encoded. */
export function fetchRaw(
  url: string,
  init: { method?: string; headers?: Record<string, string>; form?: Record<string, string | string[]> } = {},
): Promise<TestResponse> {
  let body: string | undefined;
  const headers: Record<string, string> = { ...init.headers };
  if (init.form !== undefined) {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(init.form))
      for (const x of Array.isArray(v) ? v : [v]) p.append(k, x);
    body = p.toString();
    headers['content-type'] ??= 'application/x-www-form-urlencoded';
  }
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: init.method ?? (body === undefined ? 'GET' : 'POST'), headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const raw = Buffer.concat(chunks);
          const enc = res.headers['content-encoding'];
          const plain = enc === 'gzip' ? gunzipSync(raw) : enc === 'deflate' ? inflateSync(raw) : raw;
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text: plain.toString('utf8'), raw });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** GET (or POST with `form`) and parse the JSON body. */
export async function fetchJson(
  url: string,
  init: Parameters<typeof fetchRaw>[1] = {},
): Promise<{ status: number; body: unknown; text: string; headers: IncomingHttpHeaders }> {
  const r = await fetchRaw(url, init);
  return { status: r.status, body: JSON.parse(r.text) as unknown, text: r.text, headers: r.headers };
}
