/**
 * `/api/v1/query_range` throughput and latency of `vigil server` beside Debian's `prometheus` on
 * the same block: 10,000 series (5,000 request counters, 4,400 latency histogram buckets, 600
 * load gauges over 10 jobs) × 6 h at 15 s. A dashboard of 10 panels, the last hour at a 30 s
 * step, mostly filtered to one job as a dashboard variable would, two panels over every job.
 * Each panel alone, then the whole dashboard (each client cycling through the panels from its
 * own offset), is asked by 20 concurrent keep-alive clients for BENCH_SECONDS (default 10) after
 * a warm-up round; requests still in flight at the end are awaited and counted. Clients accept
 * gzip, as Grafana's does, so answers are compressed and their sizes are the bytes on the wire.
 *
 * The clients run in this process; each server is its own process. Run: `npm run bench:api`
 * (builds first). BENCH_ONLY=0,10 picks scenarios by index. BENCH_PROFILE=1 instead runs only
 * Vigil, under `--cpu-prof`, on the picked scenarios, and prints the top functions by self time.
 * BENCH_VIGIL_CPU=1 runs only Vigil and prints its CPU time per request (from /proc, so the
 * clients' own work is not counted): the figure to compare two builds by on a shared machine.
 * Figures go in docs/benchmarks.md.
 */
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Labels } from '../src/model/labels.js';
import type { BlockSeries } from '../src/tsdb/block/writer.js';
import { writeBlock } from '../src/tsdb/block/writer.js';
import { startServer } from '../test/support/query-servers.js';
import type { QueryServer } from '../test/support/query-servers.js';
import { mulberry32 } from '../test/support/random.js';
import { topFunctions } from './cpuprofile-top.js';

const CLIENTS = 20;
const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 10);
const JOBS = 10;
const INSTANCES = 100; // per job, 5 handlers each: 5,000 counters
const HIST_INSTANCES = 40; // per job, 11 buckets each: 4,400 buckets
const GAUGES = 600;
const LES = ['0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1', '2.5', '5', '+Inf'];
const INTERVAL = 15_000;
/** The data's end, ms (a whole hour, as dashboards align ranges). */
const END = 1_700_002_800_000;
const HOURS = 6;
const START = END - HOURS * 3_600_000;

/** The block's series; every series shares one timestamp array (the writer only reads it). */
function generate(): BlockSeries[] {
  const n = (END - START) / INTERVAL;
  const timestamps = Array.from({ length: n }, (_, i) => START + i * INTERVAL);
  const rand = mulberry32(42);
  const out: BlockSeries[] = [];
  const counter = (step: number): Float64Array => {
    const v = new Float64Array(n);
    let c = 0;
    for (let i = 0; i < n; i++) v[i] = c += Math.floor(rand() * step);
    return v;
  };
  for (let j = 0; j < JOBS; j++) {
    const job = `job-${j}`;
    for (let i = 0; i < INSTANCES; i++)
      for (let h = 0; h < 5; h++) {
        const labels = Labels.from({
          __name__: 'http_requests_total',
          job,
          instance: `host-${j}-${i}:9100`,
          handler: `/api/v${h}`,
        });
        out.push({ labels, timestamps, values: counter(10) });
      }
    for (let i = 0; i < HIST_INSTANCES; i++) {
      // Buckets from the same observations: cumulative, so monotonic in le.
      const obs = counter(20);
      LES.forEach((le, k) => {
        const share = le === '+Inf' ? 1 : 1 - Math.exp(-(k + 1) / 3);
        const labels = Labels.from({
          __name__: 'http_request_duration_seconds_bucket',
          job,
          instance: `host-${j}-${i}:9100`,
          le,
        });
        out.push({ labels, timestamps, values: obs.map((c) => Math.floor(c * share)) });
      });
    }
  }
  for (let g = 0; g < GAUGES; g++) {
    const v = new Float64Array(n);
    let x = rand() * 4;
    for (let i = 0; i < n; i++) v[i] = x = Math.max(0, x + rand() - 0.5);
    const labels = Labels.from({
      __name__: 'node_load1',
      job: `job-${g % JOBS}`,
      instance: `host-${g % JOBS}-${Math.floor(g / JOBS)}:9100`,
    });
    out.push({ labels, timestamps, values: v });
  }
  return out;
}

const J = 'job="job-3"';
/** The dashboard: name and expression of each panel. */
const PANELS: [string, string][] = [
  ['requests by handler', `sum by (handler) (rate(http_requests_total{${J}}[5m]))`],
  ['requests by instance (100 series)', `sum by (instance) (rate(http_requests_total{${J}}[5m]))`],
  [
    'p99 latency',
    `histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{${J}}[5m])))`,
  ],
  [
    'median latency by instance',
    `histogram_quantile(0.5, sum by (instance, le) (rate(http_request_duration_seconds_bucket{${J}}[5m])))`,
  ],
  ['top 5 instances', `topk(5, sum by (instance) (rate(http_requests_total{${J}}[5m])))`],
  ['load, raw (60 series)', `node_load1{${J}}`],
  ['average load', `avg(node_load1{${J}})`],
  [
    'requests vs an hour ago',
    `sum(rate(http_requests_total{${J}}[5m])) / sum(rate(http_requests_total{${J}}[5m] offset 1h))`,
  ],
  ['series per job (all 5,000)', 'count by (job) (http_requests_total)'],
  ['requests per job (all 5,000)', 'sum by (job) (rate(http_requests_total[5m]))'],
];

function form(expr: string): string {
  return new URLSearchParams({
    query: expr,
    start: String((END - 3_600_000) / 1000),
    end: String(END / 1000),
    step: '30',
  }).toString();
}

/** One POST; resolves with the answer's size in bytes, rejects on a status other than 200. */
function post(port: number, agent: Agent, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/api/v1/query_range',
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'content-length': String(Buffer.byteLength(body)),
          // As Grafana's Go client asks: both servers compress their answers.
          'accept-encoding': 'gzip',
        },
      },
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

/** CPU time (user + system) the server's process has used so far, ms, from `/proc/<pid>/stat`. */
async function cpuMs(server: QueryServer): Promise<number> {
  const stat = await readFile(`/proc/${server.child.pid}/stat`, 'utf8');
  // Fields after the command's closing parenthesis: utime and stime are the 12th and 13th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
}

/** Linux's USER_HZ, the unit of the CPU times in `/proc/<pid>/stat`. */
const CLOCK_TICKS = 100;

interface Figures {
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly kib: number;
  readonly requests: number;
}

/** 20 clients for SECONDS, each sending `bodies` in turn from its own offset. */
async function measure(server: QueryServer, bodies: readonly string[]): Promise<Figures> {
  const port = Number(new URL(server.base).port);
  const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
  // Warm-up: each body once (page cache, JIT, postings), one at a time.
  for (const b of bodies) await post(port, agent, b);
  const latencies: number[] = [];
  let bytes = 0;
  const began = performance.now();
  const until = began + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, c) => {
      for (let k = c; performance.now() < until; k++) {
        const t0 = performance.now();
        // Not `bytes += await …`: that reads `bytes` before the wait and loses other clients' sums.
        const n = await post(port, agent, bodies[k % bodies.length]);
        bytes += n;
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const elapsed = (performance.now() - began) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const pct = (p: number): number =>
    latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))];
  return {
    rps: latencies.length / elapsed,
    p50: pct(0.5),
    p99: pct(0.99),
    kib: bytes / latencies.length / 1024,
    requests: latencies.length,
  };
}

const ms = (x: number): string =>
  x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${x.toFixed(x >= 100 ? 0 : 1)} ms`;
const rate = (x: number): string => x.toFixed(x >= 100 ? 0 : 1);

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-bench-api-'));
  const servers: QueryServer[] = [];
  try {
    const t0 = performance.now();
    const data = generate();
    await writeBlock(join(dir, 'blocks'), data);
    console.log(
      `${data.length} series × ${HOURS} h at 15 s written in ${((performance.now() - t0) / 1000).toFixed(1)} s; ` +
        `${CLIENTS} keep-alive clients, ${SECONDS} s per scenario, load average ${loadavg()[0].toFixed(2)}`,
    );
    data.length = 0;
    const only = process.env['BENCH_ONLY']?.split(',').map(Number);
    const scenarios: [string, string[]][] = [
      ...PANELS.map(([name, q]): [string, string[]] => [name, [form(q)]]),
      ['whole dashboard (10 panels, mixed)', PANELS.map(([, q]) => form(q))],
    ].filter((_, i) => only === undefined || only.includes(i)) as [string, string[]][];
    if (process.env['BENCH_PROFILE'] === '1') {
      const profDir = join(dir, 'prof');
      const vigil = await startServer('vigil', join(dir, 'blocks'), dir, {
        nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profDir}`],
      });
      servers.push(vigil);
      for (const [name, bodies] of scenarios) {
        const v = await measure(vigil, bodies);
        console.log(`${name}: ${rate(v.rps)} req/s, p99 ${ms(v.p99)}`);
      }
      await vigil.stop();
      const file = (await readdir(profDir)).find((f) => f.endsWith('.cpuprofile'));
      if (file !== undefined)
        for (const f of topFunctions(join(profDir, file), 30))
          console.log(`${f.percent.toFixed(1).padStart(5)}%  ${f.name}  ${f.place}`);
      return;
    }
    if (process.env['BENCH_VIGIL_CPU'] === '1') {
      const vigil = await startServer('vigil', join(dir, 'blocks'), dir);
      servers.push(vigil);
      for (const [name, bodies] of scenarios) {
        const cpu0 = await cpuMs(vigil);
        const v = await measure(vigil, bodies);
        // The warm-up is in the CPU time too: one request per panel against hundreds measured.
        const perRequest = ((await cpuMs(vigil)) - cpu0) / v.requests;
        console.log(`${name}: ${rate(v.rps)} req/s, p99 ${ms(v.p99)}, CPU ${ms(perRequest)} a request`);
      }
      return;
    }
    const prom = await startServer('prometheus', join(dir, 'blocks'), dir);
    servers.push(prom);
    const vigil = await startServer('vigil', join(dir, 'blocks'), dir);
    servers.push(vigil);
    console.log(
      '| panel | Vigil req/s | Prometheus req/s | Vigil p99 | Prometheus p99 | Vigil p50 | Prometheus p50 | answer | throughput ratio | p99 ratio |',
    );
    console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const [name, bodies] of scenarios) {
      const p = await measure(prom, bodies);
      const v = await measure(vigil, bodies);
      console.log(
        `| ${name} | ${rate(v.rps)} | ${rate(p.rps)} | ${ms(v.p99)} | ${ms(p.p99)} | ${ms(v.p50)} | ${ms(p.p50)} | ` +
          `${v.kib.toFixed(1)} KiB | ${(v.rps / p.rps).toFixed(2)} | ${(v.p99 / p.p99).toFixed(2)} |`,
      );
    }
    console.log(
      `load average at the end: ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
