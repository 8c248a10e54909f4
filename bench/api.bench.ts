/**
 * `/api/v1/query_range` throughput and latency: 20 concurrent keep-alive clients against a
 * `WebServer` over a `MemoryStorage` of 10,000 series (10 jobs × 1,000 instances, one sample
 * every 15 s for 70 minutes) and the real engine. The server runs in a child process so the
 * clients' own work does not share its event loop.
 *
 * Run: `npm run bench:api` (builds first). Figures go in docs/benchmarks.md.
 * BENCH_SECONDS sets each scenario's measured duration (default 10); BENCH_ONLY=0,2 picks scenarios.
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { Agent, request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { Labels } from '../src/model/labels.js';
import { Engine } from '../src/promql/engine/engine.js';
import { MemoryStorage } from '../src/storage/memory.js';
import { engineAdapter } from '../src/web/engine-adapter.js';
import { WebServer } from '../src/web/server.js';

const SERIES_JOBS = 10;
const SERIES_PER_JOB = 1000;
const END = 1_700_000_000_000;
const START = END - 70 * 60_000;
const CLIENTS = 20;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);

/** The child: build the data, serve it, report the port. */
async function serve(): Promise<void> {
  const s = new MemoryStorage();
  for (let j = 0; j < SERIES_JOBS; j++)
    for (let i = 0; i < SERIES_PER_JOB; i++) {
      const l = Labels.from({
        __name__: 'http_requests_total',
        job: `job-${j}`,
        instance: `i-${i}`,
        code: '200',
      });
      for (let t = START, n = 0; t <= END; t += 15_000, n++) s.add(l, t, n * (1 + (i % 7)));
    }
  const server = new WebServer(
    { queryable: s, engine: engineAdapter(new Engine()) },
    { listenAddress: '127.0.0.1:0', uiDir: '/nonexistent' },
  );
  server.setReady(true);
  const addr = await server.listen();
  process.send?.({ port: addr.port });
}

interface Scenario {
  name: string;
  form: Record<string, string>;
  gzip: boolean;
}

const hour = (q: string, step: number): Record<string, string> => ({
  query: q,
  start: String((END - 3_600_000) / 1000),
  end: String(END / 1000),
  step: String(step),
});

const SCENARIOS: Scenario[] = [
  {
    name: 'one series, 1h at 15s (241 points)',
    form: hour('http_requests_total{job="job-3",instance="i-42"}', 15),
    gzip: false,
  },
  {
    name: 'sum by (job) (rate(...[5m])) over 10k series, 1h at 60s',
    form: hour('sum by (job) (rate(http_requests_total[5m]))', 60),
    gzip: false,
  },
  {
    name: '1,000 series returned, 1h at 60s (61 points each)',
    form: hour('http_requests_total{job="job-3"}', 60),
    gzip: false,
  },
  { name: 'same, gzip', form: hour('http_requests_total{job="job-3"}', 60), gzip: true },
];

function once(port: number, agent: Agent, body: string, gzip: boolean): Promise<number> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {
      'content-type': 'application/x-www-form-urlencoded',
      'content-length': String(Buffer.byteLength(body)),
    };
    if (gzip) headers['accept-encoding'] = 'gzip';
    const req = request(
      { host: '127.0.0.1', port, path: '/api/v1/query_range', method: 'POST', agent, headers },
      (res) => {
        let bytes = 0;
        res.on('data', (c: Buffer) => (bytes += c.length));
        res.on('end', () =>
          res.statusCode === 200 ? resolve(bytes) : reject(new Error(`status ${res.statusCode}`)),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function measure(port: number, sc: Scenario): Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
  const body = new URLSearchParams(sc.form).toString();
  await once(port, agent, body, sc.gzip); // warm up the engine's and V8's caches
  const latencies: number[] = [];
  let bytes = 0;
  const until = performance.now() + SECONDS * 1000;
  const began = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (performance.now() < until) {
        const t0 = performance.now();
        const n = await once(port, agent, body, sc.gzip);
        bytes += n;
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const elapsed = (performance.now() - began) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const pct = (p: number): string =>
    latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))].toFixed(1);
  console.log(
    `${sc.name.padEnd(58)} ${(latencies.length / elapsed).toFixed(1).padStart(8)} req/s` +
      `  p50 ${pct(0.5).padStart(7)} ms  p99 ${pct(0.99).padStart(7)} ms` +
      `  ${(bytes / latencies.length / 1024).toFixed(1).padStart(7)} KiB/answer  (${latencies.length} requests)`,
  );
}

async function main(): Promise<void> {
  if (process.argv.includes('--server')) return serve();
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), ['--server'], { stdio: 'inherit' });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      child.once('message', (m: { port: number }) => resolve(m.port));
      child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
    });
    console.log(
      `query_range, ${CLIENTS} keep-alive clients, ${SECONDS}s per scenario, ${SERIES_JOBS * SERIES_PER_JOB} series`,
    );
    // BENCH_ONLY=0,2 runs only those scenarios (by index).
    const only = process.env.BENCH_ONLY?.split(',').map(Number);
    for (const [i, sc] of SCENARIOS.entries())
      if (only === undefined || only.includes(i)) await measure(port, sc);
  } finally {
    child.kill();
  }
}

await main();
