/**
 * Columns (`step-columns.ts`, `aggregate-columns.ts`) against the step-by-step path: a range query
 * of each expression must answer, at every step, exactly what an instant query of the same
 * expression pinned with `@` at that step answers (an `@` turns columns off).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Labels } from '../../model/labels.js';
import { STALE_NAN } from '../../model/value.js';
import { MemoryStorage } from '../../storage/memory.js';
import { Engine } from './engine.js';

const MIN = 60_000;

/** Counters with a reset, a gap, a staleness marker and a NaN; a gauge; 15 s apart for 30 min. */
function storage(): MemoryStorage {
  const s = new MemoryStorage();
  const add = (labels: Record<string, string>, value: (i: number) => number | undefined): void => {
    const l = Labels.from(labels);
    for (let i = 0; i < 120; i++) {
      const v = value(i);
      if (v !== undefined) s.add(l, i * 15_000, v);
    }
  };
  add({ __name__: 'c', job: 'a', i: '1' }, (i) => (i < 60 ? i * 3 : (i - 60) * 2));
  add({ __name__: 'c', job: 'a', i: '2' }, (i) => (i === 40 ? STALE_NAN : i >= 30 && i < 50 ? undefined : i));
  add({ __name__: 'c', job: 'b', i: '1' }, (i) => (i === 70 ? NaN : i * 5));
  add({ __name__: 'c', job: 'b', i: '2' }, (i) => (i < 90 ? i : undefined));
  add({ __name__: 'g', job: 'a' }, (i) => Math.sin(i / 7));
  return s;
}

/** Each case is an expression with `@` where the pin goes. */
const CASES = [
  'c@',
  'c@ offset 1m',
  'timestamp(c@)',
  'rate(c[2m]@)',
  'increase(c[1m]@)',
  'irate(c[1m]@)',
  'delta(g[3m]@)',
  'count_over_time(c[1m]@)',
  'sum_over_time(c[2m]@)',
  'avg_over_time(g[5m]@)',
  'max_over_time(g[5m]@)',
  'last_over_time(c[1m]@)',
  'sum by (job) (rate(c[2m]@))',
  'avg without (i) (rate(c[2m]@))',
  'max by (job) (c@)',
  'count(c@)',
  'stddev by (job) (rate(c[2m]@))',
  'quantile by (job) (0.5, rate(c[2m]@))',
  'topk(1, rate(c[2m]@))',
  'bottomk by (job) (1, rate(c[2m]@))',
  'limitk(1, c@)',
  'timestamp(topk(2, c@))',
  'sum by (i) (rate(c[2m]@)) * on(i) group_left sum by (i) (c@)',
  'max_over_time(sum by (job) (rate(c[2m]))[10m:1m]@)',
];

/** Series key → step time → value. */
type Answer = Map<string, Map<number, number>>;

function put(a: Answer, labels: Labels, t: number, v: number): void {
  let byT = a.get(labels.key);
  if (byT === undefined) a.set(labels.key, (byT = new Map<number, number>()));
  byT.set(t, v);
}

for (const c of CASES) {
  for (const [start, end, step] of [
    [5 * MIN, 25 * MIN, 30_000],
    [4 * MIN, 31 * MIN, 20_000],
  ]) {
    test(`${c.replaceAll('@', '')} from ${start / 1000} s to ${end / 1000} s every ${step / 1000} s`, () => {
      const s = storage();
      const engine = new Engine();
      const range = engine.rangeQuery(s, c.replaceAll('@', ''), start, end, step).result;
      assert.equal(range.type, 'matrix');
      const got: Answer = new Map();
      if (range.type === 'matrix')
        for (const r of range.series) r.ts.forEach((t, i) => put(got, r.labels, t, r.vs[i]));
      const want: Answer = new Map();
      for (let t = start; t <= end; t += step) {
        const r = engine.instantQuery(s, c.replaceAll('@', ` @ ${t / 1000}`), t).result;
        assert.equal(r.type, 'vector');
        if (r.type === 'vector') for (const x of r.samples) put(want, x.labels, t, x.v);
      }
      assert.deepEqual(got, want);
    });
  }
}
