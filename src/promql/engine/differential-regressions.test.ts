/**
 * Regression tests for the engine bugs the PromQL differential test against Prometheus found
 * (test/promql-differential.test.ts), each named after the bug it pins.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Labels } from '../../model/labels.js';
import { MemoryStorage } from '../../storage/memory.js';
import { Engine } from './engine.js';
import { RangeQueryTypeError } from './errors.js';

function gauge(values: number[]): MemoryStorage {
  const s = new MemoryStorage();
  const l = Labels.from({ __name__: 'g' });
  values.forEach((v, i) => s.add(l, i * 60_000, v));
  return s;
}

function instantValues(s: MemoryStorage, q: string, t: number): number[] {
  const r = new Engine().instantQuery(s, q, t).result;
  assert.equal(r.type, 'vector');
  return r.type === 'vector' ? r.samples.map((x) => x.v) : [];
}

test('date functions truncate negative fractional seconds toward zero, as Go int64()', () => {
  // -0.5 s truncates to 1970-01-01 00:00:00 (minute 0); flooring would give 23:59:59.5.
  assert.deepEqual(instantValues(gauge([-0.5]), 'minute(g)', 0), [0]);
  assert.deepEqual(instantValues(gauge([-0.5]), 'year(g)', 0), [1970]);
});

test('date functions of NaN and ±Inf answer the date of math.MinInt64, as Prometheus on amd64', () => {
  for (const v of [NaN, Infinity, -Infinity]) {
    assert.deepEqual(instantValues(gauge([v]), 'year(g)', 0), [292277026596]);
    assert.deepEqual(instantValues(gauge([v]), 'month(g)', 0), [12]);
    assert.deepEqual(instantValues(gauge([v]), 'day_of_month(g)', 0), [4]);
    assert.deepEqual(instantValues(gauge([v]), 'day_of_week(g)', 0), [0]);
    assert.deepEqual(instantValues(gauge([v]), 'day_of_year(g)', 0), [339]);
    assert.deepEqual(instantValues(gauge([v]), 'days_in_month(g)', 0), [31]);
    assert.deepEqual(instantValues(gauge([v]), 'hour(g)', 0), [15]);
    assert.deepEqual(instantValues(gauge([v]), 'minute(g)', 0), [30]);
  }
});

test('a subquery without a step uses the 1m evaluation interval in range queries, not the query step', () => {
  const s = gauge(Array.from({ length: 60 }, (_, i) => i));
  // Inner steps at whole minutes: within (t-10m, t] the same ten samples for t = 30m20s … 30m40s.
  const r = new Engine().rangeQuery(s, 'count_over_time(g[10m:])', 1_820_000, 1_840_000, 10_000).result;
  assert.equal(r.type, 'matrix');
  if (r.type === 'matrix') assert.deepEqual([...r.series[0].vs], [10, 10, 10]);
});

test('a range query of a range vector is a bad query parameter, rejected before evaluation', () => {
  assert.throws(
    () => new Engine().rangeQuery(gauge([1]), 'g[5m]', 0, 60_000, 15_000),
    (e: unknown) =>
      e instanceof RangeQueryTypeError &&
      e.message ===
        'invalid expression type "range vector" for range query, must be Scalar or instant Vector',
  );
});

test('subquery inner steps are evaluated once per range query and give the same answer as fresh ones', () => {
  const s = gauge(Array.from({ length: 120 }, (_, i) => (i * 7) % 13));
  const e = new Engine();
  const range = e.rangeQuery(s, 'max_over_time(g[20m:1m])', 1_800_000, 7_000_000, 37_000).result;
  assert.equal(range.type, 'matrix');
  if (range.type !== 'matrix') return;
  const { ts, vs } = range.series[0];
  for (let i = 0; i < ts.length; i++)
    assert.deepEqual(instantValues(s, 'max_over_time(g[20m:1m])', ts[i]), [vs[i]], `at ${ts[i]}`);
});
