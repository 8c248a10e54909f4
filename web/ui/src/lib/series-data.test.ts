import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { RangeSeries } from './api-types.js';
import { isolatedPoints, stackColumns, toColumns } from './series-data.js';

const series = (values: [number, string][]): RangeSeries => ({ metric: {}, values });

describe('toColumns', () => {
  test('aligns series on the grid, gaps as null', () => {
    const got = toColumns(
      [
        series([
          [100, '1'],
          [115, '2'],
          [130, '3'],
        ]),
        series([[115, '5']]),
      ],
      { start: 100, end: 130, step: 15 },
    );
    assert.deepEqual(got.columns, [
      [100, 115, 130],
      [1, 2, 3],
      [null, 5, null],
    ]);
    assert.equal(got.nonFinite, 0);
  });
  test('NaN and ±Inf become gaps and are counted', () => {
    const got = toColumns(
      [
        series([
          [0, 'NaN'],
          [1, '+Inf'],
          [2, '-Inf'],
          [3, '1e3'],
        ]),
      ],
      { start: 0, end: 3, step: 1 },
    );
    assert.deepEqual(got.columns[1], [null, null, null, 1000]);
    assert.equal(got.nonFinite, 3);
  });
  test('fractional timestamps as the API sends them', () => {
    const got = toColumns(
      [
        series([
          [1435781430.781, '1'],
          [1435781445.781, '0'],
        ]),
      ],
      { start: 1435781430.781, end: 1435781460.781, step: 15 },
    );
    assert.deepEqual(got.columns[1], [1, 0, null]);
  });
  test('off-grid points fall back to the union of timestamps', () => {
    const got = toColumns([series([[7, '1']]), series([[3, '2']])], { start: 0, end: 10, step: 5 });
    assert.deepEqual(got.columns, [
      [3, 7],
      [null, 1],
      [2, null],
    ]);
  });
  test('counts native histograms it cannot draw', () => {
    const got = toColumns([{ metric: {}, histograms: [[0, { count: '1', sum: '1' }]] }], {
      start: 0,
      end: 0,
      step: 1,
    });
    assert.deepEqual(got.columns, [[0], [null]]);
    assert.equal(got.histograms, 1);
  });
  test('no series: the x column only', () => {
    assert.deepEqual(toColumns([], { start: 0, end: 2, step: 1 }).columns, [[0, 1, 2]]);
  });
});

describe('stackColumns', () => {
  test('sums shown series, keeps gaps and skips hidden ones', () => {
    const got = stackColumns(
      [
        [0, 1, 2],
        [1, null, 1],
        [5, 5, 5],
        [2, 2, null],
      ],
      [true, false, true],
    );
    assert.deepEqual(got, [
      [0, 1, 2],
      [1, null, 1],
      [5, 5, 5],
      [3, 2, null],
    ]);
  });
});

describe('isolatedPoints', () => {
  const cases: [string, (number | null)[], number[]][] = [
    ['[]', [], []],
    ['[1]', [1], [0]],
    ['[1, 2]', [1, 2], []],
    ['[1, null, 2, 3, null, 4]', [1, null, 2, 3, null, 4], [0, 5]],
    ['[null, 0, null]', [null, 0, null], [1]],
    ['[null, null]', [null, null], []],
  ];
  for (const [name, ys, want] of cases) test(name, () => assert.deepEqual(isolatedPoints(ys), want));
});
