import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatGoTime, formatSampleValue, formatTimestamp, jsonString } from './json-values.js';

// Cases from Prometheus' web/api/v1/json_codec_test.go and util/jsonutil.
const values: [number, string][] = [
  [0, '0'],
  [1, '1'],
  [20, '20'],
  [-0, '-0'],
  [Number.NaN, 'NaN'],
  [Infinity, '+Inf'],
  [-Infinity, '-Inf'],
  [1.2345678e6, '1234567.8'],
  [1.2345678e-6, '0.0000012345678'],
  [1.2345678e-67, '1.2345678e-67'],
  [1e-6, '0.000001'],
  [1e-7, '1e-07'],
  [-9.5e-7, '-9.5e-07'],
  [1e21, '1e+21'],
  [9.99e20, '999000000000000000000'],
  [100.123, '100.123'],
  [0.1 + 0.2, '0.30000000000000004'],
  [1.5e300, '1.5e+300'],
];
for (const [v, want] of values) {
  test(`formatSampleValue(${want})`, () => assert.equal(formatSampleValue(v), want));
}

const times: [number, string][] = [
  [0, '0'],
  [1, '0.001'],
  [10, '0.010'],
  [100, '0.100'],
  [1001, '1.001'],
  [1010, '1.010'],
  [1100, '1.100'],
  [1000, '1'],
  [-1, '-0.001'],
  [1435781451781, '1435781451.781'],
];
for (const [ms, want] of times) {
  test(`formatTimestamp(${ms})`, () => assert.equal(formatTimestamp(ms), want));
}

test('jsonString escapes HTML characters as Go does', () => {
  assert.equal(jsonString('a<b>&c'), '"a\\u003cb\\u003e\\u0026c"');
  assert.equal(jsonString('x\u2028y'), '"x\\u2028y"');
  assert.equal(jsonString('plain'), '"plain"');
  // The non-global test regex keeps no state between calls.
  assert.equal(jsonString('<'), '"\\u003c"');
  assert.equal(jsonString('<'), '"\\u003c"');
});

test('formatGoTime: RFC 3339 with trailing zeros dropped; the zero time', () => {
  assert.equal(formatGoTime(new Date(Date.UTC(2017, 0, 17, 14, 7, 44, 720))), '2017-01-17T14:07:44.72Z');
  assert.equal(formatGoTime(new Date(Date.UTC(2017, 0, 17, 14, 7, 44))), '2017-01-17T14:07:44Z');
  assert.equal(formatGoTime(undefined), '0001-01-01T00:00:00Z');
});
