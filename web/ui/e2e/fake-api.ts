/**
 * A stand-in for `vigil server` while the real one is being written: serves the built console
 * from dist/ui (index.html for the SPA routes, `/graph` redirected to `/query` as the server will)
 * and answers the few `/api/v1` endpoints the console reads with fixed, Prometheus-shaped JSON.
 * THE API HERE IS A LOCAL FAKE: the smoke test and the render benchmark check the console, not the
 * server. Replace it with the real server once src/web lands.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

/** dist/ui, next to this file's compiled form in dist/web/ui/e2e. */
const DIST_UI = fileURLToPath(new URL('../../../ui/', import.meta.url));

const SPA_ROUTES = new Set([
  '/',
  '/query',
  '/targets',
  '/service-discovery',
  '/rules',
  '/alerts',
  '/tsdb-status',
  '/status',
  '/config',
  '/flags',
]);

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

export interface FakeServerOptions {
  /** Series in every range query answer (the benchmark asks for 50). */
  rangeSeries?: number;
}

export interface FakeServer {
  url: string;
  close(): Promise<void>;
}

const ok = (data: unknown, extra: Record<string, unknown> = {}): string =>
  JSON.stringify({ status: 'success', data, ...extra });

const TARGETS = {
  activeTargets: [
    {
      discoveredLabels: {
        __address__: 'localhost:9090',
        __metrics_path__: '/metrics',
        __scheme__: 'http',
        job: 'vigil',
      },
      labels: { instance: 'localhost:9090', job: 'vigil' },
      scrapePool: 'vigil',
      scrapeUrl: 'http://localhost:9090/metrics',
      globalUrl: 'http://localhost:9090/metrics',
      lastError: '',
      lastScrape: new Date().toISOString(),
      lastScrapeDuration: 0.0123,
      health: 'up',
      scrapeInterval: '15s',
      scrapeTimeout: '10s',
    },
    {
      discoveredLabels: { __address__: 'localhost:9100', job: 'node' },
      labels: { instance: 'localhost:9100', job: 'node' },
      scrapePool: 'node',
      scrapeUrl: 'http://localhost:9100/metrics',
      globalUrl: 'http://localhost:9100/metrics',
      lastError: 'Get "http://localhost:9100/metrics": connection refused',
      lastScrape: new Date().toISOString(),
      lastScrapeDuration: 0.001,
      health: 'down',
    },
  ],
  droppedTargets: [{ discoveredLabels: { __address__: 'localhost:9999', job: 'node' }, scrapePool: 'node' }],
};

function rangeAnswer(params: URLSearchParams, seriesCount: number): string {
  const start = Number(params.get('start'));
  const end = Number(params.get('end'));
  const step = Number(params.get('step'));
  const result = [];
  for (let s = 0; s < seriesCount; s++) {
    const values: [number, string][] = [];
    for (let t = start, k = 0; t <= end; t += step, k++) {
      // A gap in every seventh series, so gaps are exercised too.
      if (s % 7 === 6 && k % 100 < 10) continue;
      values.push([t, String(Math.sin(k / 40 + s) * 10 + 20 + s)]);
    }
    result.push({ metric: { __name__: 'demo_metric', instance: `host-${s}:9100`, job: 'demo' }, values });
  }
  return ok({ resultType: 'matrix', result });
}

function api(path: string, params: URLSearchParams, opts: FakeServerOptions): [number, string] {
  const now = Date.now() / 1000;
  switch (path) {
    case '/query': {
      const q = params.get('query') ?? '';
      if (q.includes('(') && !q.includes(')')) return [400, parseError(q)];
      return [
        200,
        ok({
          resultType: 'vector',
          result: [
            { metric: { __name__: 'up', instance: 'localhost:9090', job: 'vigil' }, value: [now, '1'] },
            { metric: { __name__: 'up', instance: 'localhost:9100', job: 'node' }, value: [now, '0'] },
          ],
        }),
      ];
    }
    case '/query_range':
      return [200, rangeAnswer(params, opts.rangeSeries ?? 3)];
    case '/parse_query': {
      const q = params.get('query') ?? '';
      return q.includes('(') && !q.includes(')')
        ? [400, parseError(q)]
        : [200, ok({ type: 'vectorSelector' })];
    }
    case '/labels':
      return [200, ok(['__name__', 'instance', 'job'])];
    case '/label/__name__/values':
      return [200, ok(['demo_metric', 'up'])];
    case '/label/job/values':
      return [200, ok(['demo', 'node', 'vigil'])];
    case '/metadata':
      return [200, ok({ up: [{ type: 'gauge', help: 'Whether the target is up.', unit: '' }] })];
    case '/series':
      return [200, ok([{ __name__: 'up', instance: 'localhost:9090', job: 'vigil' }])];
    case '/features':
      return [200, ok({ promql_functions: { rate: true, sum: true, abs: true } })];
    case '/targets':
      return [200, ok(TARGETS)];
    case '/rules':
      return [200, ok({ groups: [] })];
    case '/alerts':
      return [200, ok({ alerts: [] })];
    case '/status/tsdb':
      return [
        200,
        ok({
          headStats: { numSeries: 3, chunkCount: 3, minTime: 1_700_000_000_000, maxTime: 1_700_000_060_000 },
          seriesCountByMetricName: [{ name: 'up', value: 2 }],
          labelValueCountByLabelName: [{ name: 'instance', value: 2 }],
          memoryInBytesByLabelName: [{ name: 'instance', value: 28 }],
          seriesCountByLabelValuePair: [{ name: 'job=vigil', value: 1 }],
        }),
      ];
    case '/status/runtimeinfo':
      return [
        200,
        ok({
          startTime: new Date().toISOString(),
          CWD: '/',
          reloadConfigSuccess: true,
          storageRetention: '15d',
        }),
      ];
    case '/status/buildinfo':
      return [
        200,
        ok({ version: '0.1.0', revision: 'fake', branch: 'ui', buildUser: '', buildDate: '', goVersion: '' }),
      ];
    case '/status/config':
      return [200, ok({ yaml: 'global:\n  scrape_interval: 15s\nscrape_configs:\n  - job_name: vigil\n' })];
    case '/status/flags':
      return [
        200,
        ok({
          'config.file': 'prometheus.yml',
          'storage.tsdb.path': 'data/',
          'web.listen-address': '0.0.0.0:9090',
        }),
      ];
    default:
      return [
        404,
        JSON.stringify({ status: 'error', errorType: 'not_found', error: `unknown API path ${path}` }),
      ];
  }
}

function parseError(q: string): string {
  return JSON.stringify({
    status: 'error',
    errorType: 'bad_data',
    error: `1:${Buffer.byteLength(q) + 1}: parse error: unclosed left parenthesis`,
  });
}

async function serveFile(res: ServerResponse, file: string): Promise<void> {
  try {
    const body = await readFile(file);
    res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' });
    res.end(body);
  } catch {
    res.writeHead(404).end('not found');
  }
}

function handle(req: IncomingMessage, res: ServerResponse, opts: FakeServerOptions): void {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (url.pathname.startsWith('/api/v1/')) {
    const [status, body] = api(url.pathname.slice('/api/v1'.length), url.searchParams, opts);
    res.writeHead(status, { 'Content-Type': 'application/json' }).end(body);
    return;
  }
  if (url.pathname === '/graph') {
    res.writeHead(302, { Location: `/query${url.search}` }).end();
    return;
  }
  if (SPA_ROUTES.has(url.pathname)) {
    void serveFile(res, join(DIST_UI, 'index.html'));
    return;
  }
  const file = normalize(join(DIST_UI, url.pathname));
  if (!file.startsWith(DIST_UI)) {
    res.writeHead(403).end();
    return;
  }
  void serveFile(res, file);
}

/** Starts the fake on 127.0.0.1 and a free port. */
export async function startFakeServer(opts: FakeServerOptions = {}): Promise<FakeServer> {
  const server: Server = createServer((req, res) => handle(req, res, opts));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}

// `node dist/web/ui/e2e/fake-api.js [port]`: a manual preview of the console on the fake API.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  void startFakeServer({ rangeSeries: 5 }).then((s) =>
    console.log(`Console on the fake API at ${s.url}/query`),
  );
}
