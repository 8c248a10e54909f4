import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { groupBy } from './group.js';
import { labelTexts, matches } from './text-filter.js';

describe('matches', () => {
  test('empty needle matches all', () => assert.equal(matches('  ', 'x'), true));
  test('case-insensitive substring of any text', () =>
    assert.equal(matches('NODE', 'a', 'job="node"'), true));
  test('no match', () => assert.equal(matches('prom', 'a', 'b'), false));
  test('labelTexts', () => assert.deepEqual(labelTexts({ job: 'x', a: 'b' }), ['job="x"', 'a="b"']));
});

describe('groupBy', () => {
  test('groups sorted by key, items in order', () => {
    assert.deepEqual(
      groupBy(['b1', 'a1', 'b2', 'a2'], (s) => s[0]),
      [
        ['a', ['a1', 'a2']],
        ['b', ['b1', 'b2']],
      ],
    );
  });
});
