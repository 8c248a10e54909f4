import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { escapeName, parseEscapingScheme } from './escaping.js';

void describe('escapeName', () => {
  const cases: [string, Parameters<typeof escapeName>[1], string][] = [
    ['metric.name/with/slashes', 'underscores', 'metric_name_with_slashes'],
    ['legacy_name:sub', 'underscores', 'legacy_name:sub'],
    ['0starts.with.digit', 'underscores', '_starts_with_digit'],
    ['metric.name.with.dots', 'dots', 'metric_dot_name_dot_with_dot_dots'],
    ['my_metric.x', 'dots', 'my__metric_dot_x'],
    ['metric.name', 'values', 'U__metric_2e_name'],
    ['a_b.c', 'values', 'U__a__b_2e_c'],
    ['plain_name', 'values', 'plain_name'],
    ['ü🚀', 'values', 'U___fc__1f680_'],
    ['anything.goes', 'allow-utf-8', 'anything.goes'],
  ];
  for (const [name, scheme, want] of cases) {
    void it(`${scheme}: ${name}`, () => assert.equal(escapeName(name, scheme), want));
  }
});

void describe('escapeName for label names', () => {
  void it('escapes the colon, which label names cannot hold', () => {
    assert.equal(escapeName('a:b.c', 'underscores', true), 'a_b_c');
    assert.equal(escapeName('a:b', 'values', true), 'U__a_3a_b');
    assert.equal(escapeName('a:b', 'underscores'), 'a:b');
  });
});

void describe('parseEscapingScheme', () => {
  void it('accepts the four schemes only', () => {
    assert.deepEqual(['allow-utf-8', 'underscores', 'dots', 'values', 'UTF-8', ''].map(parseEscapingScheme), [
      'allow-utf-8',
      'underscores',
      'dots',
      'values',
      undefined,
      undefined,
    ]);
  });
});
