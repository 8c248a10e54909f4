/**
 * The data and queries of the PromQL benchmarks (`promql.bench.ts` against Prometheus over HTTP,
 * `promql-engine.bench.ts` on the engine alone): 10,000 series (5,000 counters `x`, 4,400 classic
 * histogram buckets `h_bucket`, 600 gauges `node_load`) × 24 h at 15 s, written as one block.
 * BENCH_SERIES_SCALE (default 1) scales the series count, BENCH_HOURS (default 24) the data length.
 */
import { Labels } from '../src/model/labels.js';
import { XorChunk } from '../src/tsdb/chunkenc/xor.js';
import { compareLabelsBytewise } from '../src/tsdb/index/compare.js';
import type { BlockChunk, BlockChunkSeries } from '../src/tsdb/block/writer.js';
import { SAMPLES_PER_CHUNK, writeBlockFromChunks } from '../src/tsdb/block/writer.js';
import { mulberry32 } from '../test/support/random.js';

export const SCALE = Number(process.env['BENCH_SERIES_SCALE'] ?? 1);
export const HOURS = Number(process.env['BENCH_HOURS'] ?? 24);
const JOBS = 10;
const INSTANCES_PER_JOB = Math.round(100 * SCALE);
const HANDLERS = 5;
const HIST_INSTANCES_PER_JOB = Math.round(40 * SCALE);
const LES = ['0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1', '2.5', '5', '+Inf'];
const GAUGES = Math.round(600 * SCALE);
const INTERVAL = 15_000;
/** The data's end, ms: a whole hour, so the query ranges below are aligned like dashboards' ones. */
export const END = 1_700_002_800_000;
export const START = END - HOURS * 3_600_000;

export interface SeriesSpec {
  readonly labels: Labels;
  readonly kind: 'counter' | 'bucket' | 'gauge';
  readonly seed: number;
  /** The bucket's share of observations (its le's CDF), for `bucket`. */
  readonly share: number;
}

export function specs(): SeriesSpec[] {
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
export function* chunked(all: readonly SeriesSpec[]): Generator<BlockChunkSeries> {
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

export const QUERIES: [string, string][] = [
  ['raw selector (500 series)', 'x{job="job-0"}'],
  ['rate (500 series)', 'rate(x{job="job-0"}[5m])'],
  ['sum by (job) (rate)', 'sum by (job) (rate(x[5m]))'],
  ['histogram_quantile', 'histogram_quantile(0.99, sum by (le) (rate(h_bucket[5m])))'],
  ['topk(10, rate)', 'topk(10, rate(x[5m]))'],
  ['join on(instance)', 'sum by (instance) (rate(x[5m])) * on(instance) node_load'],
  ['subquery', 'max_over_time(sum by (job) (rate(x[5m]))[1h:1m])'],
];

export const WINDOWS: [string, number, number][] = [
  ['1h/15s', 3_600_000, 15],
  ['1h/5m', 3_600_000, 300],
  ['24h/15s', 24 * 3_600_000, 15],
  ['24h/5m', 24 * 3_600_000, 300],
];

/** Writes the benchmark's block under `dir` and returns the series and sample counts. */
export async function writeBenchBlock(dir: string): Promise<{ series: number; samples: number }> {
  const all = specs();
  await writeBlockFromChunks(dir, chunked(all), { minTime: START, maxTime: END });
  return { series: all.length, samples: (all.length * (END - START)) / INTERVAL };
}
