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
 * `--cpu-prof` on the slowest query (or BENCH_PROFILE_QUERY over BENCH_PROFILE_RANGE ms at
 * BENCH_PROFILE_STEP s, BENCH_PROFILE_RUNS times) and prints the top functions by self time. BENCH_QUERY and
 * BENCH_WINDOW keep only the queries and windows whose names contain them.
 * Figures go in docs/benchmarks.md.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { END, HOURS, QUERIES, START, WINDOWS, writeBenchBlock } from './promql-data.js';
import { startServer } from '../test/support/query-servers.js';
import type { QueryServer } from '../test/support/query-servers.js';

const RUNS = Number(process.env['BENCH_RUNS'] ?? 3);
const PROFILE = process.env['BENCH_PROFILE'] === '1';
/** Keep only the queries and windows whose names contain these (`BENCH_WINDOW=1h`), when iterating. */
const QUERY = process.env['BENCH_QUERY'] ?? '';
const WINDOW = process.env['BENCH_WINDOW'] ?? '';

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
    const t0 = performance.now();
    const { series, samples } = await writeBenchBlock(join(dir, 'blocks'));
    console.log(
      `${series} series × ${HOURS} h at 15 s (${(samples / 1e6).toFixed(1)} M samples) written in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
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
      const step = Number(process.env['BENCH_PROFILE_STEP'] ?? 15);
      const runs = Number(process.env['BENCH_PROFILE_RUNS'] ?? 2);
      for (let i = 0; i < runs; i++) console.log(`${q}: ${fmt(await timeQuery(vigil, q, range, step))} ms`);
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
        if (!(name.includes(QUERY) || q.includes(QUERY)) || !wname.includes(WINDOW)) continue;
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
