import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileRegex, RegexSyntaxError } from './regex.js';

// Each case: pattern, inputs that match, inputs that do not. Expectations follow Go's regexp
// (RE2) with Prometheus' anchoring `^(?s:…)$`.
const cases: Array<[pattern: string, matching: string[], nonMatching: string[]]> = [
  ['foo', ['foo'], ['', 'foobar', 'xfoo', 'FOO']],
  ['foo|bar', ['foo', 'bar'], ['foobar', 'fo', '']],
  ['(foo|bar)', ['foo', 'bar'], ['foobar']],
  ['(?:foo|bar|)', ['foo', 'bar', ''], ['baz']],
  ['foo|', ['foo', ''], ['f']],
  ['.*', ['', 'anything', 'multi\nline'], []],
  ['.+', ['x', '\n'], ['']],
  ['foo.*', ['foo', 'foobar', 'foo\nbar'], ['xfoo', 'fo']],
  ['.*foo', ['foo', 'xfoo'], ['foox']],
  ['.*foo.*', ['foo', 'a foo b'], ['fo o']],
  ['foo\\.bar', ['foo.bar'], ['fooxbar']],
  ['foo.bar', ['foo.bar', 'fooxbar'], ['foobar']],
  ['(?i)get', ['get', 'GET', 'Get'], ['post']],
  ['(?i)get|post', ['GET', 'POST', 'post'], ['put']],
  ['[a-c]+', ['abc', 'a'], ['abd', '']],
  ['[^0-9]*', ['abc', ''], ['a1']],
  ['\\d{2,3}', ['12', '123'], ['1', '1234', 'ab']],
  ['\\w+', ['foo_bar1'], ['foo-bar']],
  ['\\s', [' ', '\t'], ['x']],
  ['[[:alpha:]]+', ['abc'], ['ab1']],
  ['\\pL+', ['héllo'], ['h3llo']],
  ['a{2}', ['aa'], ['a', 'aaa']],
  ['(a+)+$', ['aaa'], ['aab']],
  ['^foo$', ['foo'], ['foox']],
  ['', [''], ['a']],
];

for (const [pattern, matching, nonMatching] of cases) {
  test(`regex ${JSON.stringify(pattern)}`, () => {
    const re = compileRegex(pattern);
    for (const s of matching) assert.equal(re.matches(s), true, `${JSON.stringify(s)} should match`);
    for (const s of nonMatching) assert.equal(re.matches(s), false, `${JSON.stringify(s)} should not match`);
  });
}

test('invalid RE2 syntax is rejected with Go-style messages', () => {
  assert.throws(
    () => compileRegex('a(b'),
    (e: unknown) => {
      assert.ok(e instanceof RegexSyntaxError);
      assert.match(e.message, /missing closing \)/);
      return true;
    },
  );
  // Backreferences and lookarounds are not RE2.
  assert.throws(() => compileRegex('(a)\\1'), RegexSyntaxError);
  assert.throws(() => compileRegex('(?=a)'), RegexSyntaxError);
  // Invalid syntax is reported even when the pattern looks like a fast-path shape.
  assert.throws(() => compileRegex('foo|(bar'), RegexSyntaxError);
});

test('a pathological pattern on a long input returns promptly (linear time)', () => {
  // With a backtracking engine, (a+)+$ on 30 a's and a b takes 2^30 steps; RE2 takes ~30.
  // The bound below is a hang detector, far above any machine's noise, not a timing assertion.
  const re = compileRegex('(a+)+$');
  const input = 'a'.repeat(100_000) + 'b';
  const started = Date.now();
  assert.equal(re.matches(input), false);
  assert.ok(Date.now() - started < 30_000, 'matching must not backtrack exponentially');
});
