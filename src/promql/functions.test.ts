import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FUNCTIONS, argCountRange, argType, getFunction } from './functions.js';

const RANGES: ReadonlyArray<readonly [string, number, number]> = [
  ['rate', 1, 1],
  ['time', 0, 0],
  ['round', 1, 2],
  ['year', 0, 1],
  ['label_join', 3, Infinity],
  ['label_replace', 5, 5],
  ['info', 1, 2],
];

for (const [name, min, max] of RANGES) {
  test(`argument count: ${name}`, () => {
    assert.deepEqual(argCountRange(getFunction(name)!), { min, max });
  });
}

test('argType repeats the last declared type: label_join', () => {
  const f = getFunction('label_join')!;
  assert.equal(argType(f, 0), 'vector');
  assert.equal(argType(f, 7), 'string');
});

test('return types: scalar, vector', () => {
  assert.equal(getFunction('scalar')!.returnType, 'scalar');
  assert.equal(getFunction('vector')!.returnType, 'vector');
  assert.equal(getFunction('pi')!.returnType, 'scalar');
});

test('the table names every function once, by its key', () => {
  for (const [k, f] of FUNCTIONS) assert.equal(k, f.name);
  assert.ok(FUNCTIONS.size >= 90, `only ${FUNCTIONS.size}`);
});
