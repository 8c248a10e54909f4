import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DurationError, formatDuration, parseDuration } from './time.js';

const valid: Array<[string, number]> = [
  ['0', 0],
  ['0s', 0],
  ['5m', 300_000],
  ['1h30m', 5_400_000],
  ['100ms', 100],
  ['1y', 31_536_000_000],
  ['2w1d', 1_296_000_000],
  ['1m30s500ms', 90_500],
];
for (const [text, ms] of valid) {
  test(`duration ${text}`, () => assert.equal(parseDuration(text), ms));
}

for (const text of ['', '5', '1.5h', '30m1h', '1h1h', '5x', '-5m', 'm']) {
  test(`invalid duration ${JSON.stringify(text)}`, () =>
    assert.throws(() => parseDuration(text), DurationError));
}

test('durations format largest unit first', () => {
  assert.equal(formatDuration(5_400_000), '1h30m');
  assert.equal(formatDuration(0), '0s');
  assert.equal(formatDuration(90_500), '1m30s500ms');
  assert.equal(formatDuration(86_400_000), '1d');
  assert.equal(formatDuration(-60_000), '-1m');
});
