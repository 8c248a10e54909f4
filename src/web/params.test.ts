import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_TIME, MIN_TIME, parseDuration, parseTime } from './params.js';

const times: [string, number][] = [
  ['0', 0],
  ['1435781451.781', 1435781451781],
  ['1435781451.7815', 1435781451782],
  ['1.5e3', 1_500_000],
  ['-1.5', -1500],
  ['2015-07-01T20:10:51.781Z', 1435781451781],
  ['2015-07-01T20:10:51Z', 1435781451000],
  ['2015-07-01T22:10:51.781999+02:00', 1435781451781],
  ['2015-07-01T20:10:51.7Z', 1435781451700],
  ['-292273086-05-16T16:47:06Z', MIN_TIME],
  ['292277025-08-18T07:12:54.999999999Z', MAX_TIME],
];
for (const [s, want] of times) test(`parseTime(${s})`, () => assert.equal(parseTime(s), want));

for (const bad of ['', 'abc', '2015-02-31T00:00:00Z', '2015-07-01 20:10:51Z', '2015-07-01T20:10:51', 'NaN'])
  test(`parseTime rejects ${JSON.stringify(bad)}`, () =>
    assert.throws(() => parseTime(bad), {
      message: `cannot parse ${JSON.stringify(bad)} to a valid timestamp`,
    }));

const durations: [string, number][] = [
  ['15', 15_000],
  ['0.5', 500],
  ['5m', 300_000],
  ['1h30m', 5_400_000],
  ['100ms', 100],
  ['0', 0],
];
for (const [s, want] of durations) test(`parseDuration(${s})`, () => assert.equal(parseDuration(s), want));

test('parseDuration errors', () => {
  assert.throws(() => parseDuration('5x'), { message: 'cannot parse "5x" to a valid duration' });
  assert.throws(() => parseDuration('1e19'), {
    message: 'cannot parse "1e19" to a valid duration. It overflows int64',
  });
});
