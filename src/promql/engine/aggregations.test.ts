import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatValue } from './aggregations.js';

// Go's strconv.FormatFloat(v, 'f', -1, 64), as count_values labels values.
const CASES: ReadonlyArray<readonly [number, string]> = [
  [123.5, '123.5'],
  [-0, '-0'],
  [1e21, '1000000000000000000000'],
  [1.5e22, '15000000000000000000000'],
  [1.25e-7, '0.000000125'],
  [-3e-10, '-0.0000000003'],
  [NaN, 'NaN'],
  [-Infinity, '-Inf'],
];
for (const [v, want] of CASES) {
  test(`formatValue(${String(v)}) is ${want}`, () => assert.equal(formatValue(v), want));
}
