/**
 * PromQL range queries, `vigil server` against the real Prometheus on the same blocks: 10,000
 * series (5,000 counters `x`, 4,400 classic histogram buckets `h_bucket`, 600 gauges `node_load`)
 * × 24 h at 15 s, written as one block (one block, so neither server compacts while measured).
 * Each query runs over the last 1 h and the whole 24 h at steps 15 s and 5 m; the figure is the
 * median wall time of BENCH_RUNS runs (default 3) from request to the last byte of the answer,
 * after one warm-up run (a warm-up over 5 s is the figure itself, marked `*`). Peak memory is each server's VmHWM at the end.
 *
 * Run: `npm run bench:promql` (builds first). BENCH_SERIES_SCALE (default 1) scales the series
 * count, BENCH_HOURS (default 24) the data length. BENCH_PROFILE=1 instead runs Vigil under
 * `--cpu-prof` on the slowest query and prints the top functions by self time.
 * Figures go in docs/benchmarks.md.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Labels } from '../src/model/labels.js';
import { XorChunk } from '../src/tsdb/chunkenc/xor.js';
import { compareLabelsBytewise } from '../src/tsdb/index/compare.js';
import type { BlockChunk, BlockChunkSeries } from '../src/tsdb/block/writer.js';
import { SAMPLES_PER_CHUNK, writeBlockFromChunks } from '../src/tsdb/block/writer.js';
import { mulberry32 } from '../test/support/random.js';
import { startServer } from '../test/support/query-servers.js';
import type { QueryServer } from '../test/support/query-servers.js';

const SCALE = Number(process.env['BENCH_SERIES_SCALE'] ?? 1);
const HOURS = Number(process.env['BENCH_HOURS'] ?? 24);
const RUNS = Number(process.env['BENCH_RUNS'] ?? 3);
const PROFILE = process.env['BENCH_PROFILE'] === '1';
const JOBS = 10;
const INSTANCES_PER_JOB = Math.round(100 * SCALE);
const HANDLERS = 5;
const HIST_INSTANCES_PER_JOB = Math.round(40 * SCALE);
const LES = ['0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1', '2.5', '5', '+Inf'];
const GAUGES = Math.round(600 * SCALE);
const INTERVAL = 15_000;
/** The data's end, ms: a whole hour, so the query ranges below are aligned like dashboards' ones. */
const END = 1_700_002_800_000;
const START = END - HOURS * 3_600_000;

interface SeriesSpec {
  readonly labels: Labels;
  readonly kind: 'counter' | 'bucket' | 'gauge';
  readonly seed: number;
  /** The bucket's share of observations (its le's CDF), for `bucket`. */
  readonly share: number;
}

function specs(): SeriesSpec[] {
  const out: SeriesSpec[] = [];
  let seed = 1;
  for (let j = 0; j < JOBS; j++) {
    const job = `job-${j}`;
    for (let i = 0; i < INSTANCES_PER_JOB; i++) {
      const instance = `host-${j}-${i}:9100`;
      for (let h = 0; h < HANDLERS; h++)
        out.push({
          labels: Labels.from({ __name__: 'x', job, instance, handler: `/api/v${h}` }),
          kind: 'counter',
          seed: seed++,
          share: 0,
        });
    }
    for (let i = 0; i < HIST_INSTANCES_PER_JOB; i++) {
      const instance = `host-${j}-${i}:9100`;
      const hseed = seed++;
      LES.forEach((le, k) =>
        out.push({
          labels: Labels.from({ __name__: 'h_bucket', job, instance, le }),
          kind: 'bucket',
          seed: hseed,
          share: 1 - Math.exp(-(k + 1) / 3) + (le === '+Inf' ? 1 : 0),
        }),
      );
    }
  }
  for (let g = 0; g < GAUGES; g++) {
    const j = g % JOBS;
    const instance = `host-${j}-${Math.floor(g / JOBS)}:9100`;
    out.push({
      labels: Labels.from({ __name__: 'node_load', job: `job-${j}`, instance }),
      kind: 'gauge',
      seed: seed++,
      share: 0,
    });
  }
  return out.sort((a, b) => compareLabelsBytewise(a.labels, b.labels));
}

/** One series' chunks, generated on demand so the whole data set never sits in memory. */
function* chunked(all: readonly SeriesSpec[]): Generator<BlockChunkSeries> {
  const n = (END - START) / INTERVAL;
  for (const s of all) {
    const rand = mulberry32(s.seed);
    const chunks: BlockChunk[] = [];
    let v = s.kind === 'gauge' ? rand() * 4 : 0;
    let c: XorChunk | undefined;
    let app: ReturnType<XorChunk['appender']> | undefined;
    let first = 0;
    for (let i = 0; i < n; i++) {
      const t = START + i * INTERVAL;
      if (i % SAMPLES_PER_CHUNK === 0) {
        if (c !== undefined) chunks.push({ mint: first, maxt: t - INTERVAL, chunk: c });
        c = new XorChunk();
        app = c.appender();
        first = t;
      }
      // Histogram buckets share a seed, so the same observations fill them: monotonic in le.
      if (s.kind === 'counter') v += Math.floor(rand() * 10);
      else if (s.kind === 'bucket') v += Math.floor(rand() * 50 * s.share);
      else v = Math.max(0, v + rand() - 0.5);
      app?.append(t, v);
    }
    if (c !== undefined) chunks.push({ mint: first, maxt: START + (n - 1) * INTERVAL, chunk: c });
    yield { labels: s.labels, chunks };
  }
}

const QUERIES: [string, string][] = [
  ['raw selector (500 series)', 'x{job="job-0"}'],
  ['rate (500 series)', 'rate(x{job="job-0"}[5m])'],
  ['sum by (job) (rate)', 'sum by (job) (rate(x[5m]))'],
  ['histogram_quantile', 'histogram_quantile(0.99, sum by (le) (rate(h_bucket[5m])))'],
  ['topk(10, rate)', 'topk(10, rate(x[5m]))'],
  ['join on(instance)', 'sum by (instance) (rate(x[5m])) * on(instance) node_load'],
  ['subquery', 'max_over_time(sum by (job) (rate(x[5m]))[1h:1m])'],
];

const WINDOWS: [string, number, number][] = [
  ['1h/15s', 3_600_000, 15],
  ['1h/5m', 3_600_000, 300],
  ['24h/15s', 24 * 3_600_000, 15],
  ['24h/5m', 24 * 3_600_000, 300],
];

async function timeQuery(s: QueryServer, query: string, range: number, step: number): Promise<number> {
  const form = new URLSearchParams({
    query,
    start: String((END - Math.min(range, END - START)) / 1000),
    end: String(END / 1000),
    step: String(step),
  });
  const t0 = performance.now();
  const res = await fetch(`${s.base}/api/v1/query_range`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
  });
  const body = await res.arrayBuffer();
  const ms = performance.now() - t0;
  if (!res.ok)
    throw new Error(`${s.kind} ${query}: ${res.status} ${Buffer.from(body).toString().slice(0, 300)}`);
  return ms;
}

/** Median of RUNS after a warm-up; a warm-up over 5 s is taken as the figure (marked `*`). */
async function median(
  s: QueryServer,
  query: string,
  range: number,
  step: number,
): Promise<[number, boolean]> {
  const warm = await timeQuery(s, query, range, step); // warm-up: page cache, JIT, postings caches
  if (warm > 5000) return [warm, true];
  const runs: number[] = [];
  for (let i = 0; i < RUNS; i++) runs.push(await timeQuery(s, query, range, step));
  runs.sort((a, b) => a - b);
  return [runs[Math.floor(runs.length / 2)], false];
}

const fmt = (ms: number): string => (ms >= 100 ? ms.toFixed(0) : ms.toFixed(1));

/** Top functions by self time of a V8 `.cpuprofile`. */
async function topFunctions(dir: string, count: number): Promise<string[]> {
  const file = (await readdir(dir)).find((f) => f.endsWith('.cpuprofile'));
  if (file === undefined) return ['(no profile written)'];
  interface Node {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    hitCount?: number;
  }
  const p = JSON.parse(await readFile(join(dir, file), 'utf8')) as { nodes: Node[]; samples: number[] };
  const byFn = new Map<string, number>();
  let total = 0;
  for (const n of p.nodes) {
    const hits = n.hitCount ?? 0;
    total += hits;
    const f = n.callFrame;
    const where = f.url === '' ? '' : ` ${f.url.replace(/^.*\/dist\//, '')}:${f.lineNumber + 1}`;
    const key = `${f.functionName === '' ? '(anonymous)' : f.functionName}${where}`;
    byFn.set(key, (byFn.get(key) ?? 0) + hits);
  }
  return [...byFn.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([k, h]) => `${((100 * h) / total).toFixed(1)}%  ${k}`);
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-bench-promql-'));
  const servers: QueryServer[] = [];
  try {
    const all = specs();
    const t0 = performance.now();
    await writeBlockFromChunks(join(dir, 'blocks'), chunked(all), { minTime: START, maxTime: END });
    const samples = (all.length * (END - START)) / INTERVAL;
    console.log(
      `${all.length} series × ${HOURS} h at 15 s (${(samples / 1e6).toFixed(1)} M samples) written in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
    if (PROFILE) {
      // The slowest query of the table, run a few times under the profiler.
      const profDir = join(dir, 'prof');
      const vigil = await startServer('vigil', join(dir, 'blocks'), dir, {
        nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profDir}`],
      });
      servers.push(vigil);
      const q = process.env['BENCH_PROFILE_QUERY'] ?? 'max_over_time(sum by (job) (rate(x[5m]))[1h:1m])';
      const range = Number(process.env['BENCH_PROFILE_RANGE'] ?? 3_600_000);
      for (let i = 0; i < 2; i++) console.log(`${q}: ${fmt(await timeQuery(vigil, q, range, 15))} ms`);
      await vigil.stop();
      for (const line of await topFunctions(profDir, 25)) console.log(line);
      return;
    }
    const [prom, vigil] = [
      await startServer('prometheus', join(dir, 'blocks'), dir),
      await startServer('vigil', join(dir, 'blocks'), dir),
    ];
    servers.push(prom, vigil);
    console.log('| query | range/step | Vigil ms | Prometheus ms | Vigil / Prometheus |');
    console.log('|---|---|---:|---:|---:|');
    for (const [name, q] of QUERIES)
      for (const [wname, range, step] of WINDOWS) {
        const [p, p1] = await median(prom, q, range, step);
        const [v, v1] = await median(vigil, q, range, step);
        const mark = (one: boolean): string => (one ? '*' : '');
        console.log(
          `| ${name} | ${wname} | ${fmt(v)}${mark(v1)} | ${fmt(p)}${mark(p1)} | ${(v / p).toFixed(2)} |`,
        );
      }
    const [pr, vr] = [await prom.peakRss(), await vigil.peakRss()];
    const mib = (b: number): string => (b / 2 ** 20).toFixed(0);
    console.log(`| peak RSS (VmHWM) | | ${mib(vr)} MiB | ${mib(pr)} MiB | ${(vr / pr).toFixed(2)} |`);
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
