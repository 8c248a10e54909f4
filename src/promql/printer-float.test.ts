import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatFloat } from './printer-float.js';

const CASES: ReadonlyArray<readonly [number, string]> = [
  [0, '0'],
  [1, '1'],
  [-2.5, '-2.5'],
  [1e6, '1000000'],
  [1.5e-7, '0.00000015'],
  [123.456, '123.456'],
  [1e21, '1000000000000000000000'],
  [Infinity, '+Inf'],
  [-Infinity, '-Inf'],
  [NaN, 'NaN'],
];

for (const [v, want] of CASES) {
  test(String(v), () => assert.equal(formatFloat(v), want));
}
