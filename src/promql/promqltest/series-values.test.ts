import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SeriesValuesError, expandSeriesValues } from './series-values.js';
import type { SequenceValue } from './series-values.js';

// The examples of unit_testing_rules.md, and the forms Prometheus' own test files use.
const cases: Array<[string, SequenceValue[]]> = [
  ['-2+4x3', [-2, 2, 6, 10]],
  ['1-2x4', [1, -1, -3, -5, -7]],
  ['1x4', [1, 1, 1, 1, 1]],
  ['1 _x3 5', [1, undefined, undefined, undefined, 5]],
  ['0+10x2 _ 1', [0, 10, 20, undefined, 1]],
  ['Inf -Inf', [Infinity, -Infinity]],
  ['0x2 1e3 .5', [0, 0, 0, 1000, 0.5]],
  ['1+1.5x0', [1]],
];
for (const [text, expected] of cases) {
  test(`expands ${JSON.stringify(text)}`, () => assert.deepEqual(expandSeriesValues(text), expected));
}

test('stale is told apart from NaN', () => {
  assert.deepEqual(expandSeriesValues('NaN stale'), [NaN, 'stale']);
});

test('steps accumulate as Prometheus does, rounding included', () => {
  const values = expandSeriesValues('0+0.1x3');
  assert.deepEqual(values, [0, 0.1, 0.2, 0.30000000000000004]);
});

test('invalid values name their column', () => {
  assert.throws(
    () => expandSeriesValues('1 2 foo'),
    (e: unknown) =>
      e instanceof SeriesValuesError && e.column === 5 && /invalid sample value "foo"/.test(e.message),
  );
});

test('native histogram samples are reported as unsupported, not as syntax errors', () => {
  assert.throws(
    () => expandSeriesValues('1 {{schema:1 sum:3 count:22 buckets:[5 10 7]}}'),
    (e: unknown) => e instanceof SeriesValuesError && e.code === 'ERR_NATIVE_HISTOGRAM_UNSUPPORTED',
  );
});
