import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileGlob, hasGlobMeta } from './glob.js';

const cases: [pattern: string, name: string, match: boolean][] = [
  ['*.json', 'a.json', true],
  ['*.json', 'a.yml', false],
  ['*.json', '.json', true],
  ['node-?.yml', 'node-1.yml', true],
  ['node-?.yml', 'node-12.yml', false],
  ['[ab]*.yaml', 'b1.yaml', true],
  ['[^ab]*.yaml', 'b1.yaml', false],
  ['[^ab]*.yaml', 'c1.yaml', true],
  ['a\\*b', 'a*b', true],
  ['a\\*b', 'axb', false],
  ['x.y', 'xzy', false],
];

for (const [pattern, name, match] of cases) {
  test(`glob ${pattern} ~ ${name}`, () => {
    assert.equal(compileGlob(pattern).test(name), match);
  });
}

test('hasGlobMeta', () => {
  assert.equal(hasGlobMeta('targets.json'), false);
  assert.equal(hasGlobMeta('*.json'), true);
});
