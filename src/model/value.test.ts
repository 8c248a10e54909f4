import { test } from 'node:test';
import assert from 'node:assert/strict';
import { STALE_NAN, float64Bits, isStaleNaN } from './value.js';

test('the staleness marker has Prometheus bits and is told apart from NaN', () => {
  assert.deepEqual(float64Bits(STALE_NAN), [0x7ff00000, 0x00000002]);
  assert.equal(isStaleNaN(STALE_NAN), true);
  assert.equal(isStaleNaN(NaN), false);
  assert.equal(isStaleNaN(0 / 0), false);
  assert.equal(isStaleNaN(1), false);
});

test('the marker survives a round trip through typed arrays', () => {
  const a = new Float64Array(4);
  a[2] = STALE_NAN;
  const copy = new Float64Array(a.buffer.slice(0));
  assert.equal(isStaleNaN(copy[2]), true);
  const view = new DataView(copy.buffer);
  assert.equal(isStaleNaN(view.getFloat64(16, true)), true);
});

test('a plain array of doubles loses the marker (why values live in typed arrays)', () => {
  // Pins the V8 behaviour the storage and engine designs rely on avoiding.
  const plain = [1.5];
  plain.push(STALE_NAN);
  assert.equal(isStaleNaN(plain[1]), false);
  const typed = Float64Array.of(1.5, STALE_NAN);
  assert.equal(isStaleNaN(typed[1]), true);
});
