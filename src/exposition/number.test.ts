import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { NUMBER_STATE, parseNumber } from './number.js';

function num(s: string, specials = true): number | 'invalid' {
  const b = Buffer.from(s);
  const v = parseNumber(b, 0, b.length, specials);
  return NUMBER_STATE.ok ? v : 'invalid';
}

void describe('parseNumber', () => {
  const cases: [string, number | 'invalid'][] = [
    ['0', 0],
    ['-0.5', -0.5],
    ['1.', 1],
    ['.5', 0.5],
    ['0.1', 0.1],
    ['3.14159', 3.14159],
    ['1e3', 1000],
    ['1.5E-3', 0.0015],
    ['123456789.125', 123456789.125],
    ['2.5e-7', 2.5e-7],
    ['9007199254740993', 9007199254740992],
    ['0.000000000000000000000000001', 1e-27],
    ['+Inf', Infinity],
    ['-inf', -Infinity],
    ['Infinity', Infinity],
    ['NaN', NaN],
    ['0x1', 'invalid'],
    ['1e', 'invalid'],
    ['.', 'invalid'],
    ['', 'invalid'],
    ['1_000', 'invalid'],
  ];
  for (const [input, want] of cases) {
    void it(JSON.stringify(input), () => assert.deepEqual(num(input), want));
  }
  void it('agrees with Number() on random decimals', () => {
    for (let i = 0; i < 2000; i++) {
      const s = (Math.random() * 10 ** ((i % 20) - 8)).toFixed(i % 12);
      assert.equal(num(s), Number(s), s);
    }
  });
  void it('rejects specials when not allowed', () => assert.equal(num('NaN', false), 'invalid'));
});
