/**
 * The queries of `promql.bench.ts` run on the engine alone, in process (no HTTP, no JSON), over the
 * same block: the loop to iterate on when changing the engine. Prints per query and window the
 * median of BENCH_RUNS runs (default 3, after one warm-up) of the wall time and of the process' CPU
 * time (less disturbed by other work on a shared machine), and a checksum of the answer (series,
 * points, sum of the values) so a change that moves results shows up.
 *
 * Run: `node dist/bench/promql-engine.bench.js`. BENCH_DATA_DIR keeps the block there between runs
 * (written on the first); BENCH_QUERY and BENCH_WINDOW keep only the queries and windows whose
 * name contains them (`BENCH_WINDOW=1h`).
 */
import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from '../src/promql/engine/engine.js';
import { DB } from '../src/tsdb/db.js';
import { END, QUERIES, START, WINDOWS, writeBenchBlock } from './promql-data.js';

const RUNS = Number(process.env['BENCH_RUNS'] ?? 3);
const QUERY = process.env['BENCH_QUERY'] ?? '';
const WINDOW = process.env['BENCH_WINDOW'] ?? '';

/** The block's directory: BENCH_DATA_DIR when given (written once), else a fresh temporary one. */
async function blocks(tmp: string): Promise<string> {
  const kept = process.env['BENCH_DATA_DIR'];
  const dir = kept ?? join(tmp, 'blocks');
  const existing = await readdir(dir).catch(() => []);
  if (existing.length === 0) {
    const t0 = performance.now();
    const { series, samples } = await writeBenchBlock(dir);
    const s = ((performance.now() - t0) / 1000).toFixed(1);
    console.log(`${series} series, ${(samples / 1e6).toFixed(1)} M samples written in ${s} s`);
  }
  return dir;
}

async function main(): Promise<void> {
  const tmp = await mkdtemp(join(tmpdir(), 'vigil-bench-promql-engine-'));
  try {
    // The DB takes a lock and may write a WAL: open a copy so a kept block stays pristine.
    await cp(await blocks(tmp), join(tmp, 'data'), { recursive: true });
    const db = await DB.open(join(tmp, 'data'), {
      retentionTime: 100 * 365 * 24 * 3_600_000,
      maintenanceInterval: 0,
      snapshotOnShutdown: false,
    });
    const engine = new Engine();
    console.log('| query | range/step | ms | CPU ms | series | points | sum |');
    console.log('|---|---|---:|---:|---:|---:|---:|');
    for (const [name, q] of QUERIES) {
      if (!name.includes(QUERY) && !q.includes(QUERY)) continue;
      for (const [wname, range, step] of WINDOWS) {
        if (!wname.includes(WINDOW)) continue;
        const start = END - Math.min(range, END - START);
        const run = (): { ms: number; cpu: number; sum: string; series: number; points: number } => {
          const t0 = performance.now();
          const c0 = process.cpuUsage();
          const { result } = engine.rangeQuery(db, q, start, END, step * 1000);
          const ms = performance.now() - t0;
          const c = process.cpuUsage(c0);
          const cpu = (c.user + c.system) / 1000;
          if (result.type !== 'matrix') throw new Error(`${q}: ${result.type} answer`);
          let points = 0;
          let sum = 0;
          for (const s of result.series) {
            points += s.vs.length;
            for (const v of s.vs) if (Number.isFinite(v)) sum += v;
          }
          return { ms, cpu, sum: sum.toPrecision(12), series: result.series.length, points };
        };
        const warm = run();
        const runs = Array.from({ length: RUNS }, run);
        const median = (xs: number[]): number => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
        const fmt = (ms: number): string => ms.toFixed(ms >= 100 ? 0 : 1);
        const [ms, cpu] = [median(runs.map((r) => r.ms)), median(runs.map((r) => r.cpu))];
        console.log(
          `| ${name} | ${wname} | ${fmt(ms)} | ${fmt(cpu)} | ${warm.series} | ${warm.points} | ${warm.sum} |`,
        );
      }
    }
    await db.close();
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

await main();
