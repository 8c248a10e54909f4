import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lex } from './lexer.js';

/** Input → the tokens' kinds and values (numbers), milliseconds (durations) or text. */
const CASES: ReadonlyArray<readonly [string, ReadonlyArray<readonly [string, number | string]>]> = [
  ['1h30m', [['duration', 5_400_000]]],
  ['54s321ms', [['duration', 54_321]]],
  ['1y2w3d', [['duration', (365 + 14 + 3) * 86_400_000]]],
  ['0x_53_AB', [['number', 0x53ab]]],
  ['1_000.5e-1', [['number', 100.05]]],
  ['nAn', [['number', NaN]]],
  [
    'x[5m:1m]',
    [
      ['ident', 'x'],
      ['op', '['],
      ['duration', 300_000],
      ['op', ':'],
      ['duration', 60_000],
      ['op', ']'],
    ],
  ],
  ['a:b:c', [['ident', 'a:b:c']]],
  [
    'a>=b</c>/d',
    [
      ['ident', 'a'],
      ['op', '>='],
      ['ident', 'b'],
      ['op', '</'],
      ['ident', 'c'],
      ['op', '>/'],
      ['ident', 'd'],
    ],
  ],
  ['"\\u00e9\\U0001F600\\t"', [['string', 'é😀\t']]],
  ["'a\"b'", [['string', 'a"b']]],
  ['`a\\nb\nc`', [['string', 'a\\nb\nc']]],
  ['# only a comment', []],
];

for (const [input, want] of CASES) {
  test(input, () => {
    const toks = lex(input);
    assert.equal(toks.at(-1)!.kind, 'eof');
    const got = toks
      .slice(0, -1)
      .map((t) => [t.kind, t.kind === 'number' || t.kind === 'duration' ? t.value : t.text]);
    assert.deepEqual(got, want);
  });
}

test('positions: rate(x[5m])', () => {
  assert.deepEqual(
    lex('rate(x[5m])').map((t) => [t.start, t.end]),
    [
      [0, 4],
      [4, 5],
      [5, 6],
      [6, 7],
      [7, 9],
      [9, 10],
      [10, 11],
      [11, 11],
    ],
  );
});

/** Input → error message. */
const ERRORS: ReadonlyArray<readonly [string, string]> = [
  ['1m1h', '1:1: parse error: bad number or duration syntax: "1m1h"'],
  ['5mm', '1:1: parse error: bad number or duration syntax: "5mm"'],
  ['"\\xZZ"', '1:2: parse error: invalid escape sequence'],
  ["'abc\n'", '1:1: parse error: unterminated quoted string'],
];

for (const [input, want] of ERRORS) {
  test(`error: ${input}`, () => {
    assert.throws(() => lex(input), { message: want });
  });
}

test('byte escapes are decoded as UTF-8, as Go strings hold bytes', () => {
  const text = (q: string): string => String(lex(q)[0].text);
  assert.equal(text(String.raw`"\xe2\x82\xac"`), '€');
  assert.equal(text(String.raw`"\342\202\254x"`), '€x');
  // Invalid UTF-8 stays ill-formed, so name validation rejects it as Prometheus does.
  assert.equal(text(String.raw`"a\xc5z"`).isWellFormed(), false);
  assert.equal(text(String.raw`"\xff"`).isWellFormed(), false);
});
