/**
 * PromQL differential test: the same seeded blocks served by the real Prometheus 2.42 and by the
 * `vigil server` process, a few hundred instant and range queries sent to both over the HTTP API,
 * and the answers compared (same series, values within a relative 1e-9, errors against errors).
 * Vigil follows Prometheus 3.x; each 2.42-vs-3.x difference that changes an answer is listed in
 * `KNOWN` with its reason, or the query is written to stay clear of it.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Labels } from '../src/model/labels.js';
import { STALE_NAN } from '../src/model/value.js';
import { writeBlock } from '../src/tsdb/block/writer.js';
import type { BlockSeries } from '../src/tsdb/block/writer.js';
import { apiQuery, startServer } from './support/query-servers.js';
import type { ApiAnswer, QueryServer } from './support/query-servers.js';
import { mulberry32 } from './support/random.js';

/** Data start, seconds. 1_700_000_000 mod 60 = 20, which the evaluation times below rely on. */
const T0 = 1_700_000_000;
const STEP_MS = 15_000;
const SAMPLES = 480; // two hours

/**
 * Sample timestamps sit off whole seconds (offset mod 1000 in [100, 900], jitter < 50 ms), and every
 * evaluation time is a whole second: no sample lies on a window boundary, so 2.42's closed windows
 * and 3.x's left-open ones select the same samples.
 */
function timestamps(rand: () => number, count = SAMPLES, startIndex = 0): number[] {
  const offset = Math.floor(rand() * 14) * 1000 + 100 + Math.floor(rand() * 800);
  const out: number[] = [];
  for (let i = startIndex; i < startIndex + count; i++)
    out.push(T0 * 1000 + i * STEP_MS + offset + Math.floor(rand() * 50));
  return out;
}

function series(labels: Record<string, string>, ts: number[], values: number[] | Float64Array): BlockSeries {
  return {
    labels: Labels.from(labels),
    timestamps: ts,
    values: values instanceof Float64Array ? values.slice() : Float64Array.from(values),
  };
}

/** Counters with resets, gauges with NaN/±Inf, stale series, classic histograms, many labels. */
function generate(seed: number): BlockSeries[] {
  const rand = mulberry32(seed);
  const out: BlockSeries[] = [];
  const jobs = ['api', 'web', 'batch'];
  for (const job of jobs)
    for (let inst = 0; inst < 3; inst++) {
      const instance = `10.0.0.${inst}:9100`;
      for (const method of ['GET', 'POST'])
        for (const code of ['200', '500']) {
          const ts = timestamps(rand);
          const vals: number[] = [];
          let c = Math.floor(rand() * 1000);
          for (let i = 0; i < ts.length; i++) {
            if (rand() < 0.01) c = Math.floor(rand() * 5); // counter reset
            c += code === '500' ? Math.floor(rand() * 3) : rand() * 20;
            vals.push(c);
          }
          out.push(series({ __name__: 'http_requests_total', job, instance, method, code }, ts, vals));
        }
      // Gauges: a random walk, sometimes negative.
      for (const sensor of ['cpu', 'disk']) {
        const ts = timestamps(rand);
        let g = rand() * 100 - 20;
        const vals = ts.map(() => (g += rand() * 10 - 5));
        out.push(series({ __name__: 'node_temp', job, instance, sensor }, ts, vals));
      }
      // A classic histogram; all buckets reset together so rates stay monotonic in le.
      const bounds = ['0.05', '0.1', '0.5', '1', '2.5', '+Inf'];
      const ts = timestamps(rand);
      const counts = bounds.map(() => [] as number[]);
      const sums: number[] = [];
      const cum = bounds.map(() => 0);
      let sum = 0;
      for (let i = 0; i < ts.length; i++) {
        if (rand() < 0.005) {
          cum.fill(0);
          sum = 0;
        }
        const n = Math.floor(rand() * 10);
        for (let k = 0; k < n; k++) {
          const obs = rand() ** 2 * 3;
          sum += obs;
          for (let b = 0; b < bounds.length; b++)
            if (b === bounds.length - 1 || obs <= Number(bounds[b])) cum[b]++;
        }
        for (let b = 0; b < bounds.length; b++) counts[b].push(cum[b]);
        sums.push(sum);
      }
      const base = { job, instance };
      for (let b = 0; b < bounds.length; b++)
        out.push(series({ __name__: 'req_duration_seconds_bucket', ...base, le: bounds[b] }, ts, counts[b]));
      out.push(series({ __name__: 'req_duration_seconds_count', ...base }, ts, counts[bounds.length - 1]));
      out.push(series({ __name__: 'req_duration_seconds_sum', ...base }, ts, sums));
    }
  // A gauge with NaN, +Inf and -Inf among ordinary values.
  {
    const ts = timestamps(rand);
    const vals = ts.map(() => {
      const r = rand();
      return r < 0.03 ? NaN : r < 0.06 ? Infinity : r < 0.09 ? -Infinity : rand() * 50;
    });
    out.push(
      series({ __name__: 'node_temp', job: 'api', instance: '10.0.0.9:9100', sensor: 'weird' }, ts, vals),
    );
  }
  // Series that go stale (marker) and come back, and one that ends at 1 h without a marker.
  for (let k = 0; k < 3; k++) {
    const all = timestamps(rand);
    const ts: number[] = [];
    // A typed array from the start: V8 canonicalises a NaN stored in a plain array, which would
    // turn the staleness marker into an ordinary NaN.
    const vals = new Float64Array(all.length);
    let n = 0;
    for (let i = 0; i < all.length; i++) {
      const phase = (i + k * 17) % 120; // 30 min cycles: 20 min up, a marker, 10 min gone
      if (phase < 80) {
        ts.push(all[i]);
        vals[n++] = rand() * 10;
      } else if (phase === 80) {
        ts.push(all[i]);
        vals[n++] = STALE_NAN;
      }
    }
    out.push(
      series({ __name__: 'flappy', job: 'web', instance: `10.0.0.${k}:9100` }, ts, vals.subarray(0, n)),
    );
  }
  {
    const ts = timestamps(rand, SAMPLES / 2);
    out.push(
      series(
        { __name__: 'flappy', job: 'web', instance: 'gone:9100' },
        ts,
        ts.map(() => rand()),
      ),
    );
  }
  // Series with many labels.
  for (let k = 0; k < 8; k++) {
    const l: Record<string, string> = {
      __name__: 'many_labels',
      job: jobs[k % 3],
      instance: `10.0.0.${k % 3}:9100`,
    };
    for (let j = 0; j < 12; j++) l[`l${j}`] = `v${(k * (j + 1)) % 5}`;
    const ts = timestamps(rand);
    out.push(
      series(
        l,
        ts,
        ts.map(() => Math.round(rand() * 1000) / 8),
      ),
    );
  }
  return out;
}

/** Instant evaluation times, seconds (none a multiple of 10 s past a minute boundary). */
const INSTANT_TIMES = [T0 + 1803, T0 + 3661, T0 + 7200 + 193, T0 + 5.5];
/** Range queries: start, end, step (seconds); outer steps never fall on a whole 30 s. */
const RANGES: [number, number, number][] = [
  [T0 + 607, T0 + 7200 + 307, 60],
  [T0 + 1003, T0 + 2503, 20],
];

/** A query sent to both, or one spelled differently for each (a renamed function). */
interface Case {
  readonly prom: string;
  readonly vigil: string;
}

const C = 'http_requests_total';
const G = 'node_temp';
const S = 'flappy';
const B = 'req_duration_seconds_bucket';

function queries(): Case[] {
  const q: string[] = [];
  const vectorFns = [
    'abs',
    'ceil',
    'exp',
    'floor',
    'ln',
    'log2',
    'log10',
    'sgn',
    'sqrt',
    'timestamp',
    'acos',
    'acosh',
    'asin',
    'asinh',
    'atan',
    'atanh',
    'cos',
    'cosh',
    'sin',
    'sinh',
    'tan',
    'tanh',
    'deg',
    'rad',
    'sort',
    'sort_desc',
    'absent',
  ];
  for (const f of vectorFns) {
    q.push(`${f}(${G})`);
    q.push(`${f}(rate(${C}[5m]) / 10)`);
  }
  q.push(`absent(nonexistent{job="x"})`, `absent(${G}{sensor="nope"})`, `absent(sum(nonexistent))`);
  const rangeFns = [
    'absent_over_time',
    'changes',
    'delta',
    'deriv',
    'idelta',
    'increase',
    'irate',
    'rate',
    'resets',
    'avg_over_time',
    'min_over_time',
    'max_over_time',
    'sum_over_time',
    'count_over_time',
    'stddev_over_time',
    'stdvar_over_time',
    'last_over_time',
    'present_over_time',
  ];
  for (const f of rangeFns) {
    q.push(`${f}(${C}[5m])`, `${f}(${G}[10m])`, `${f}(${S}[2m])`);
  }
  q.push(`absent_over_time(nonexistent[5m])`, `absent_over_time(${S}{instance="gone:9100"}[5m])`);
  for (const phi of ['0', '0.25', '0.5', '0.99', '1', '-1', '2'])
    q.push(`quantile_over_time(${phi}, ${G}[15m])`);
  q.push(`quantile_over_time(0.9, ${S}[10m])`);
  for (const f of [
    'day_of_month',
    'day_of_week',
    'day_of_year',
    'days_in_month',
    'hour',
    'minute',
    'month',
    'year',
  ]) {
    q.push(`${f}()`, `${f}(${G} * 1e6)`, `${f}(timestamp(${C}))`);
  }
  q.push(
    `clamp(${G}, 0, 40)`,
    `clamp(${G}, 40, 0)`,
    `clamp_max(${G}, 30)`,
    `clamp_min(${G}, 30)`,
    `round(${G})`,
    `round(${G}, 5)`,
    `round(${G}, 0.1)`,
    `round(-${G}, 3)`,
    `predict_linear(${G}[15m], 600)`,
    `predict_linear(${C}[10m], 3600)`,
    `scalar(sum(${G}))`,
    `scalar(${G})`,
    `vector(1)`,
    `vector(time())`,
    `time()`,
    `pi()`,
    `timestamp(${S})`,
    `label_replace(${C}, "dst", "$1-$2", "instance", "(.*):(.*)")`,
    `label_replace(${C}, "job", "", "job", "api")`,
    `label_replace(${G}, "x", "y", "nope", ".*")`,
    `label_join(${C}, "combo", "/", "job", "instance", "method")`,
    `label_join(${G}, "sensor", "")`,
    `sort(sum by (job) (rate(${C}[5m])))`,
    `sort_desc(max by (instance) (${G}))`,
    `histogram_quantile(0.9, rate(${B}[5m]))`,
    `histogram_quantile(0.5, sum by (le) (rate(${B}[10m])))`,
    `histogram_quantile(0.99, sum by (job, le) (rate(${B}[5m])))`,
    `histogram_quantile(1, rate(${B}[5m]))`,
    `histogram_quantile(0, rate(${B}[5m]))`,
    `histogram_quantile(-0.5, rate(${B}[5m]))`,
    `histogram_quantile(1.5, rate(${B}[5m]))`,
    `histogram_quantile(0.5, ${B})`,
    `rate(req_duration_seconds_sum[5m]) / rate(req_duration_seconds_count[5m])`,
    `histogram_fraction(0, 0.5, rate(${B}[5m]))`,
  );
  // Operators: arithmetic, comparison with and without bool, set, vector matching.
  for (const op of ['+', '-', '*', '/', '%', '^', 'atan2']) {
    q.push(`${G} ${op} 3`, `2 ${op} ${G}`, `${G} ${op} on(job, instance) group_left ${G}{sensor="cpu"}`);
    q.push(`rate(${C}[5m]) ${op} ignoring(code) group_left rate(${C}{code="200"}[5m])`);
  }
  q.push(`-${G}`, `+${G}`, `2 ^ 3 ^ 2`, `-2 ^ 2`, `1 / 0`, `-1 / 0`, `0 / 0`, `5 % -3`, `${G} % 0`);
  for (const op of ['==', '!=', '>', '<', '>=', '<=']) {
    q.push(
      `${G} ${op} 20`,
      `${G} ${op} bool 20`,
      `20 ${op} bool 10`,
      `${G} ${op} on(job, instance) group_left ${G}{sensor="cpu"}`,
    );
    q.push(`${G}{sensor="cpu"} ${op} bool ignoring(sensor) ${G}{sensor="disk"}`);
  }
  q.push(
    `${C} and ${C}{code="500"}`,
    `${C} or ${G}`,
    `${C} unless ${C}{method="GET"}`,
    `${G} and on(instance) ${S}`,
    `${G} unless on(job) ${S}`,
    `${S} or on(instance) ${G}`,
    `sum by (job) (${C}) or vector(0)`,
    `(${G} > 10) and (${G} < 40)`,
    `${C} / on(job, instance) group_left(sensor) ${G}{sensor="cpu"}`,
    `${G}{sensor="cpu"} * on(job, instance) group_right ${C}`,
    `${G}{sensor="cpu"} * on(job, instance) group_right(sensor) ${C}`,
    `${C} / ignoring(method, code) group_left ${G}{sensor="disk"}`,
    `${C} * on(instance) ${G}`, // many-to-many: an error on both
    `sum by (job) (rate(${C}[5m])) / on(job) group_left sum by (job, method) (rate(${C}[5m]))`,
    `sum by (job, method) (rate(${C}[5m])) / on(job) group_left sum by (job) (rate(${C}[5m]))`,
    `rate(${C}[5m]) > bool on(job, instance, method, code) rate(${C}[5m] offset 5m)`,
  );
  // Aggregations.
  for (const agg of ['sum', 'avg', 'min', 'max', 'count', 'group', 'stddev', 'stdvar']) {
    q.push(`${agg}(${G})`, `${agg} by (job) (rate(${C}[5m]))`, `${agg} without (method, code) (${C})`);
    q.push(`${agg} by (instance) (${S})`);
  }
  for (const k of ['1', '2', '5', '0', '-1', '1.5']) {
    q.push(`topk(${k}, ${G})`, `bottomk(${k}, rate(${C}[5m]))`, `topk by (job) (${k}, ${C})`);
  }
  for (const phi of ['0', '0.5', '0.9', '1', '1.5', '-0.1'])
    q.push(`quantile(${phi}, ${G})`, `quantile by (job) (${phi}, rate(${C}[5m]))`);
  q.push(
    `count_values("value", round(${G}))`,
    `count_values by (job) ("v", ${C}{code="500"})`,
    `count_values("job", ${G} > 1000)`,
    `count_values("le", ${B})`,
    `sum by (le) (rate(${B}[5m]))`,
    `avg by (sensor) (${G})`,
    `max(${G}) - min(${G})`,
    `sum(many_labels) by (l1, l2)`,
    `count without (l0, l1, l2, l3) (many_labels)`,
    `topk(3, many_labels)`,
    `stddev(${G}{sensor="weird"})`,
    `stdvar(${G}{sensor="weird"})`,
    `sum by (__name__) ({__name__=~"node_temp|flappy"})`,
    `count by (__name__, job) ({job="api"})`,
  );
  // Offsets, @ and subqueries (subquery steps never divide the evaluation times, see RANGES).
  q.push(
    `${G} offset 5m`,
    `rate(${C}[5m] offset 10m)`,
    `${G} offset -5m`,
    `sum(${C} offset 1h)`,
    `${G} @ ${T0 + 3000}`,
    `rate(${C}[5m] @ ${T0 + 3600})`,
    `${G} @ start()`,
    `${G} @ end()`,
    `rate(${C}[5m] @ end() offset 10m)`,
    `sum(${G} @ ${T0 + 600}) - sum(${G})`,
    `max_over_time(rate(${C}[5m])[30m:1m])`,
    `avg_over_time(${G}[20m:])`,
    `rate(${C}[10m:30s])`,
    `min_over_time(sum by (job) (rate(${C}[5m]))[1h:2m])`,
    `max_over_time(${G}[10m:1m] offset 5m)`,
    `sum_over_time(${G}[10m:1m] @ ${T0 + 3000})`,
    `deriv(sum(${G})[20m:1m])`,
    `max_over_time(max_over_time(${G}[301s:30s])[20m:1m])`,
    `last_over_time(${S}[15m:1m])`,
    `count_over_time(${S}[30m:30s])`,
    `quantile_over_time(0.5, rate(${C}[5m])[30m:2m])`,
  );
  // Errors on both sides.
  q.push(
    `rate(${G})`,
    `sum(`,
    `${G}[5m]`,
    `foo{`,
    `topk(${G}, ${G})`,
    `label_replace(${G}, "a", "b", "c", "(")`,
  );
  const cases: Case[] = q.map((e) => ({ prom: e, vigil: e }));
  // Renamed in 3.x: holt_winters → double_exponential_smoothing (experimental in 3.x).
  for (const [sf, tf] of [
    ['0.5', '0.5'],
    ['0.1', '0.9'],
    ['0.9', '0.1'],
  ])
    cases.push({
      prom: `holt_winters(${G}[15m], ${sf}, ${tf})`,
      vigil: `double_exponential_smoothing(${G}[15m], ${sf}, ${tf})`,
    });
  // Only in 3.x: 2.42 answers an error, Vigil an answer (see NOT_IN_242).
  for (const e of NOT_IN_242) cases.push({ prom: e, vigil: e });
  return cases;
}

/** Queries of functions, aggregations and syntax Prometheus 2.42 does not have: 2.42 fails them. */
const NOT_IN_242 = [
  `first_over_time(${G}[10m])`,
  `mad_over_time(${G}[10m])`,
  `ts_of_max_over_time(${G}[10m])`,
  `sort_by_label(${G}, "instance")`,
  `limitk(2, ${G})`,
  `limit_ratio(0.5, ${G})`,
];

/**
 * Known answers that differ between Prometheus 2.42 and Vigil's 3.x semantics, by query, with the
 * reason. A listed query must still differ (else the entry is stale and the test fails).
 */
const KNOWN = new Map<string, string>([
  ...[`${G} atan2 3`, `2 atan2 ${G}`, `${G} atan2 on(job, instance) group_left ${G}{sensor="cpu"}`].map(
    (q): [string, string] => [
      q,
      '3.x drops the metric name for atan2 as for the other arithmetic operators; 2.42 keeps it',
    ],
  ),
  ...[`rate(${S}[2m])`, `increase(${S}[2m])`].map((q): [string, string] => [
    q,
    '3.x caps the extrapolation to the window start at half a sample interval before the counter ' +
      'zero point is considered; 2.42 considers the zero point first, so a series that starts ' +
      'inside the window (after its stale gap) is extrapolated further',
  ]),
  [
    `histogram_fraction(0, 0.5, rate(${B}[5m]))`,
    '3.x also reads classic le buckets; 2.42 only native histograms, so its answer is empty',
  ],
  ...[`stddev(${G}{sensor="weird"})`, `stdvar(${G}{sensor="weird"})`].map((q): [string, string] => [
    q,
    '3.x answers NaN for a group whose only value is NaN or ±Inf; 2.42 answers 0',
  ]),
]);

/** Queries whose every answer is only checked for an error on 2.42 (they exist from 3.x on). */
const ONLY_3X = new Set(NOT_IN_242);

type Point = [number, string];
interface VectorItem {
  metric: Record<string, string>;
  value?: Point;
  values?: Point[];
}

function seriesKey(metric: Record<string, string>): string {
  return JSON.stringify(
    Object.keys(metric)
      .sort()
      .map((k) => [k, metric[k]]),
  );
}

function sameFloat(a: string, b: string): boolean {
  if (a === b) return true;
  const x = Number(a);
  const y = Number(b);
  if (Number.isNaN(x) && Number.isNaN(y)) return true;
  if (!Number.isFinite(x) || !Number.isFinite(y)) return x === y;
  // Relative 1e-9; the absolute floor covers results that are zero up to rounding (deriv of a flat run).
  return Math.abs(x - y) <= 1e-9 * Math.max(Math.abs(x), Math.abs(y)) || Math.abs(x - y) <= 1e-12;
}

function samePoints(a: Point[], b: Point[]): string | undefined {
  if (a.length !== b.length) return `${a.length} points vs ${b.length}`;
  for (let i = 0; i < a.length; i++) {
    if (a[i][0] !== b[i][0]) return `timestamp ${a[i][0]} vs ${b[i][0]}`;
    if (!sameFloat(a[i][1], b[i][1])) return `at ${a[i][0]}: ${a[i][1]} vs ${b[i][1]}`;
  }
  return undefined;
}

/** Undefined when the answers agree, else what differs. */
function compareAnswers(p: ApiAnswer, v: ApiAnswer): string | undefined {
  if (p.status !== v.status) return `status ${p.status} (${p.error ?? ''}) vs ${v.status} (${v.error ?? ''})`;
  if (p.status === 'error')
    return p.errorType === v.errorType ? undefined : `errorType ${p.errorType} vs ${v.errorType}`;
  const pd = p.data;
  const vd = v.data;
  if (pd === undefined || vd === undefined) return 'missing data';
  if (pd.resultType !== vd.resultType) return `resultType ${pd.resultType} vs ${vd.resultType}`;
  if (pd.resultType === 'scalar' || pd.resultType === 'string') {
    const a = pd.result as Point;
    const b = vd.result as Point;
    if (a[0] !== b[0]) return `timestamp ${a[0]} vs ${b[0]}`;
    return pd.resultType === 'string'
      ? a[1] === b[1]
        ? undefined
        : `${a[1]} vs ${b[1]}`
      : sameFloat(a[1], b[1])
        ? undefined
        : `${a[1]} vs ${b[1]}`;
  }
  const pr = pd.result as VectorItem[];
  const vr = vd.result as VectorItem[];
  const byKey = new Map<string, VectorItem>();
  for (const s of vr) byKey.set(seriesKey(s.metric), s);
  if (byKey.size !== vr.length) return 'duplicate series in Vigil';
  for (const s of pr) {
    const key = seriesKey(s.metric);
    const other = byKey.get(key);
    if (other === undefined) return `series ${key} only in Prometheus`;
    byKey.delete(key);
    const diff = samePoints(
      s.values ?? (s.value ? [s.value] : []),
      other.values ?? (other.value ? [other.value] : []),
    );
    if (diff !== undefined) return `${key}: ${diff}`;
  }
  if (byKey.size > 0) return `series ${[...byKey.keys()][0]} only in Vigil (${byKey.size})`;
  return undefined;
}

interface Request {
  readonly label: string;
  readonly c: Case;
  readonly path: string;
  readonly form: (e: string) => Record<string, string>;
}

test(
  'PromQL answers of vigil server equal Prometheus 2.42 on the same blocks',
  { timeout: 120_000 },
  async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'vigil-promqldiff-'));
    const servers: QueryServer[] = [];
    try {
      await writeBlock(join(dir, 'blocks'), generate(20251124));
      const [prom, vigil] = await Promise.all([
        startServer('prometheus', join(dir, 'blocks'), dir),
        startServer('vigil', join(dir, 'blocks'), dir),
      ]);
      servers.push(prom, vigil);

      const requests: Request[] = [];
      for (const c of queries()) {
        for (const time of INSTANT_TIMES)
          requests.push({
            label: `@${time}`,
            c,
            path: '/api/v1/query',
            form: (e) => ({ query: e, time: String(time) }),
          });
        for (const [start, end, step] of RANGES)
          requests.push({
            label: `[${start},${end},${step}]`,
            c,
            path: '/api/v1/query_range',
            form: (e) => ({ query: e, start: String(start), end: String(end), step: String(step) }),
          });
      }

      const mismatches: string[] = [];
      const knownSeen = new Set<string>();
      let compared = 0;
      let next = 0;
      // A few requests in flight at once; each pair is compared as it arrives.
      const worker = async (): Promise<void> => {
        while (next < requests.length) {
          const r = requests[next++];
          const [p, v] = await Promise.all([
            apiQuery(prom, r.path, r.form(r.c.prom)),
            apiQuery(vigil, r.path, r.form(r.c.vigil)),
          ]);
          compared++;
          if (ONLY_3X.has(r.c.prom)) {
            if (p.status !== 'error')
              mismatches.push(`${r.c.prom} ${r.label}: 2.42 answered a 3.x-only query`);
            if (v.status !== 'success')
              mismatches.push(`${r.c.vigil} ${r.label}: Vigil failed: ${v.error ?? ''}`);
            knownSeen.add(r.c.prom);
            continue;
          }
          const diff = compareAnswers(p, v);
          if (KNOWN.has(r.c.prom)) {
            if (diff !== undefined) knownSeen.add(r.c.prom);
            continue;
          }
          if (diff !== undefined) mismatches.push(`${r.c.vigil} ${r.label}: ${diff}`);
        }
      };
      await Promise.all([worker(), worker(), worker(), worker()]);
      const stale = [...KNOWN.keys()].filter((k) => !knownSeen.has(k));
      t.diagnostic(
        `${compared} query pairs compared (${queries().length} expressions), ${knownSeen.size} known 2.42-vs-3.x differences, ${mismatches.length} mismatches`,
      );
      assert.deepEqual(stale, [], 'known differences that no longer differ');
      if (process.env['PROMQLDIFF_DUMP'] !== undefined) for (const m of mismatches) t.diagnostic(m);
      assert.deepEqual(mismatches.slice(0, 40), [], `${mismatches.length} mismatches`);
    } finally {
      await Promise.all(servers.map((s) => s.stop()));
      await rm(dir, { recursive: true, force: true });
    }
  },
);
