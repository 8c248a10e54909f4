import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { errorSpan } from './error-position.js';
import { autoStepSeconds, formatAgo, formatSeconds } from './duration.js';
import { formatSeriesName, labelPairs } from './format-labels.js';
import { formatSI, formatTimestamp, parseSampleValue, parseTimeInput } from './format-value.js';

describe('formatSeriesName', () => {
  const cases: [Record<string, string>, string][] = [
    [{}, '{}'],
    [{ __name__: 'up' }, 'up'],
    [{ __name__: 'up', job: 'node', instance: 'a:9100' }, 'up{instance="a:9100", job="node"}'],
    [{ job: 'x' }, '{job="x"}'],
    [{ __name__: 'my.metric', 'http.code': '200' }, '{"my.metric", "http.code"="200"}'],
    [{ __name__: 'x', path: 'a"b\\c\n' }, 'x{path="a\\"b\\\\c\\n"}'],
  ];
  for (const [metric, want] of cases) test(want, () => assert.equal(formatSeriesName(metric), want));
  test('labelPairs drops __name__ and sorts', () => {
    assert.deepEqual(labelPairs({ b: '2', __name__: 'm', a: '1' }), [
      ['a', '1'],
      ['b', '2'],
    ]);
  });
});

describe('formatSI', () => {
  const cases: [number | null, string][] = [
    [0, '0'],
    [1, '1'],
    [1.234, '1.23'],
    [-1500, '-1.5k'],
    [2.5e9, '2.5G'],
    [0.25, '250m'],
    [1.5e-6, '1.5µ'],
    [1e30, '1.00e+30'],
    [NaN, 'NaN'],
    [Infinity, '+Inf'],
    [-Infinity, '-Inf'],
    [null, ''],
  ];
  for (const [v, want] of cases) test(`${v} → ${want}`, () => assert.equal(formatSI(v), want));
});

describe('sample values and times', () => {
  test('parseSampleValue reads Go specials', () => {
    assert.equal(parseSampleValue('+Inf'), Infinity);
    assert.equal(parseSampleValue('-Inf'), -Infinity);
    assert.ok(Number.isNaN(parseSampleValue('NaN')));
    assert.equal(parseSampleValue('1e-3'), 0.001);
  });
  const times: [string, number | null][] = [
    ['2024-05-01 12:34:56', Date.UTC(2024, 4, 1, 12, 34, 56)],
    ['2024-05-01 12:34', Date.UTC(2024, 4, 1, 12, 34)],
    ['2024-05-01T12:34:56.5Z', Date.UTC(2024, 4, 1, 12, 34, 56, 500)],
    ['2024-05-01T12:34:56+02:00', Date.UTC(2024, 4, 1, 10, 34, 56)],
    ['1714566896', 1714566896000],
    ['1714566896.25', 1714566896250],
    ['', null],
    ['now', null],
  ];
  for (const [text, want] of times)
    test(`parseTimeInput ${JSON.stringify(text)}`, () => assert.equal(parseTimeInput(text), want));
  test('formatTimestamp shows milliseconds only when set', () => {
    assert.equal(formatTimestamp(Date.UTC(2024, 0, 2, 3, 4, 5)), '2024-01-02 03:04:05');
    assert.equal(formatTimestamp(Date.UTC(2024, 0, 2, 3, 4, 5, 7)), '2024-01-02 03:04:05.007');
  });
});

describe('durations', () => {
  test('autoStepSeconds: ~250 points, at least 1s', () => {
    assert.equal(autoStepSeconds(3600_000), 14);
    assert.equal(autoStepSeconds(86400_000), 345);
    assert.equal(autoStepSeconds(60_000), 1);
  });
  const secs: [number, string][] = [
    [0, '0s'],
    [0.0123, '12.3ms'],
    [0.000045, '45µs'],
    [1.5, '1.5s'],
    [125, '2m5s'],
  ];
  for (const [s, want] of secs) test(`formatSeconds ${s}`, () => assert.equal(formatSeconds(s), want));
  test('formatAgo', () => {
    assert.equal(formatAgo(0, 1000), 'never');
    assert.equal(formatAgo(10_000, 15_400), '5s ago');
    assert.equal(formatAgo(0.5, 3_725_000), '1h2m ago');
  });
});

describe('errorSpan', () => {
  const cases: [string, string, ReturnType<typeof errorSpan>][] = [
    [
      'sum(up',
      '1:7: parse error: unclosed left parenthesis',
      { from: 5, to: 6, message: 'unclosed left parenthesis' },
    ],
    [
      'up{a="é"} +',
      '1:13: parse error: unexpected end of input',
      { from: 10, to: 11, message: 'unexpected end of input' },
    ],
    ['a\n  + foo(', '2:5: parse error: unknown function', { from: 6, to: 7, message: 'unknown function' }],
    [
      'rate(x)',
      '1:6-1:7: parse error: expected range vector',
      { from: 5, to: 6, message: 'expected range vector' },
    ],
    ['up', 'query timed out', null],
  ];
  for (const [q, err, want] of cases) test(err, () => assert.deepEqual(errorSpan(q, err), want));
});
