import { test } from 'node:test';
import assert from 'node:assert/strict';
import { goToLower, goToUpper } from './case.js';

const cases: [input: string, lower: string, upper: string][] = [
  ['FoO', 'foo', 'FOO'],
  ['', '', ''],
  ['Ünïcödé', 'ünïcödé', 'ÜNÏCÖDÉ'],
  ['straße', 'straße', 'STRAßE'], // Go keeps ß: no single-code-point upper case
  ['İstanbul', 'istanbul', 'İSTANBUL'], // Go maps İ to plain i
  ['ǅ', 'ǆ', 'Ǆ'],
];

for (const [input, lower, upper] of cases) {
  test(`case ${JSON.stringify(input)}`, () => {
    assert.equal(goToLower(input), lower);
    assert.equal(goToUpper(input), upper);
  });
}
