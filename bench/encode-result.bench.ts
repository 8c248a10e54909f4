/**
 * JSON encoding of query results (`encodeQueryResult`, then the answer's bytes as `send` makes
 * them): a range answer of 1,000 rate series × 241 points, 60 gauges × 121 points, and an instant
 * vector of 10,000 samples. Prints the median CPU time of 20 runs after 5 warm-ups, and MB/s.
 *
 * Run: `npm run build && node dist/bench/encode-result.bench.js`. Figures go in docs/benchmarks.md.
 */
import { Labels } from '../src/model/labels.js';
import type { QueryResult } from '../src/promql/engine/value.js';
import { mulberry32 } from '../test/support/random.js';
import { encodeQueryResult } from '../src/web/encode-result.js';

const rand = mulberry32(7);
const END = 1_700_002_800_000;

function matrix(series: number, points: number, step: number, values: () => number): QueryResult {
  return {
    type: 'matrix',
    series: Array.from({ length: series }, (_, i) => ({
      labels: Labels.from({
        __name__: 'x',
        job: `job-${i % 10}`,
        instance: `host-${i}:9100`,
        handler: '/api/v1',
      }),
      ts: Float64Array.from({ length: points }, (_, k) => END - (points - 1 - k) * step),
      vs: Float64Array.from({ length: points }, values),
    })),
  };
}

const CASES: [string, QueryResult][] = [
  ['matrix 1,000 × 241, rates', matrix(1000, 241, 15_000, () => rand() * 100)],
  ['matrix 60 × 121, gauges', matrix(60, 121, 30_000, () => Math.round(rand() * 400) / 100)],
  [
    'vector 10,000',
    {
      type: 'vector',
      t: END,
      samples: Array.from({ length: 10_000 }, (_, i) => ({
        labels: Labels.from({ __name__: 'x', job: `job-${i % 10}`, instance: `host-${i}:9100` }),
        v: rand() * 1000,
      })),
    },
  ],
];

/** CPU time (user + system, ms) rather than wall time: the machine is shared, the CPU time less so. */
function once(r: QueryResult): [number, number] {
  const c0 = process.cpuUsage();
  const bytes = Buffer.from(encodeQueryResult(r).fields.join(''), 'utf8').length;
  const c = process.cpuUsage(c0);
  return [(c.user + c.system) / 1000, bytes];
}

console.log('| result | CPU ms (median of 20) | MB/s | answer |');
console.log('|---|---:|---:|---:|');
for (const [name, r] of CASES) {
  for (let i = 0; i < 5; i++) once(r);
  const runs: number[] = [];
  let size = 0;
  for (let i = 0; i < 20; i++) {
    const [ms, bytes] = once(r);
    runs.push(ms);
    size = bytes;
  }
  runs.sort((a, b) => a - b);
  const med = runs[10];
  console.log(
    `| ${name} | ${med.toFixed(2)} | ${(size / 1e6 / (med / 1000)).toFixed(0)} | ${(size / 1024).toFixed(0)} KiB |`,
  );
}
