import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ParseError, formatExpr, parseExpr } from './index.js';
import type { Expr } from './index.js';

/** Input → canonical printed form. */
const VALID: ReadonlyArray<readonly [string, string]> = [
  ['1', '1'],
  ['-1', '-1'],
  ['+1', '1'],
  ['1.5e3', '1500'],
  ['1e6', '1000000'],
  ['1e21', '1000000000000000000000'],
  ['1.5e-7', '0.00000015'],
  ['-0.25', '-0.25'],
  ['0.00001', '0.00001'],
  ['0x1F', '31'],
  ['1_000_000', '1000000'],
  ['.5', '0.5'],
  ['Inf', '+Inf'],
  ['-inf', '-Inf'],
  ['NaN', 'NaN'],
  ['1h30m', '1h30m'],
  ['-2h', '-2h'],
  ['90s', '1m30s'],
  ['"a\\nb"', '"a\\nb"'],
  ["'it\\'s'", '"it\'s"'],
  ['`raw\\n`', '"raw\\\\n"'],
  ['"\\x41\\u00e9\\101"', '"AéA"'],
  ['foo', 'foo'],
  ['foo:bar', 'foo:bar'],
  ['foo{}', 'foo'],
  ['foo{a="b"}', 'foo{a="b"}'],
  ['foo{b="1", a=~"x.*", c!="", d!~"y",}', 'foo{a=~"x.*",b="1",c!="",d!~"y"}'],
  ['{__name__="foo"}', '{__name__="foo"}'],
  ['{"my.metric", env="x"}', '{"my.metric",env="x"}'],
  ['{"my.metric"}', '{"my.metric"}'],
  ['foo{"label.name"="v"}', 'foo{"label.name"="v"}'],
  ['foo{on="x", by="y"}', 'foo{by="y",on="x"}'],
  ['foo[5m]', 'foo[5m]'],
  ['foo[90]', 'foo[1m30s]'],
  ['foo offset 5m', 'foo offset 5m'],
  ['foo offset -5m', 'foo offset -5m'],
  ['foo OFFSET 1h', 'foo offset 1h'],
  ['foo @ 1609746000', 'foo @ 1609746000.000'],
  ['foo @ start()', 'foo @ start()'],
  ['foo offset 5m @ end()', 'foo @ end() offset 5m'],
  ['foo[5m] offset 1m @ 100', 'foo[5m] @ 100.000 offset 1m'],
  ['rate(foo[5m] @ -10.5)', 'rate(foo[5m] @ -10.500)'],
  ['foo[1h:5m]', 'foo[1h:5m]'],
  ['foo[1h:]', 'foo[1h:]'],
  ['rate(foo[5m])[30m:1m] offset 1h @ end()', 'rate(foo[5m])[30m:1m] @ end() offset 1h'],
  ['(a + b)[5m:]', '(a + b)[5m:]'],
  ['a+b*c', 'a + b * c'],
  ['(a+b)*c', '(a + b) * c'],
  ['a - b - c', 'a - b - c'],
  ['2 ^ 3 ^ 2', '2 ^ 3 ^ 2'],
  ['-2 ^ 2', '-2 ^ 2'],
  ['-a * b', '-a * b'],
  ['a or b and c unless d', 'a or b and c unless d'],
  ['a AND b', 'a and b'],
  ['a atan2 b', 'a atan2 b'],
  ['a > bool b', 'a > bool b'],
  ['1 == bool 2', '1 == bool 2'],
  ['a > 1', 'a > 1'],
  ['a + on(b) group_left(c) d', 'a + on (b) group_left (c) d'],
  ['a + ignoring(b, c) group_right d', 'a + ignoring (b, c) group_right () d'],
  ['a + ignoring() group_left b', 'a + ignoring () group_left () b'],
  ['a / on() b', 'a / on () b'],
  ['1 + on() a', '1 + a'],
  ['a == bool on(x) b', 'a == bool on (x) b'],
  ['a and on(x) b', 'a and on (x) b'],
  ['a </ 0.5', 'a </ 0.5'],
  ['a >/ -1', 'a >/ -1'],
  ['sum(x)', 'sum(x)'],
  ['sum by (job) (rate(x[5m]))', 'sum by (job) (rate(x[5m]))'],
  ['sum(rate(x[5m])) by (job, instance)', 'sum by (job, instance) (rate(x[5m]))'],
  ['SUM BY (job) (x)', 'sum by (job) (x)'],
  ['sum without (a) (x)', 'sum without (a) (x)'],
  ['sum without () (x)', 'sum without () (x)'],
  ['sum by () (x)', 'sum(x)'],
  ['sum by ("a.b", c,) (x)', 'sum by ("a.b", c) (x)'],
  ['topk(3, x)', 'topk(3, x)'],
  ['bottomk by (a) (2, x)', 'bottomk by (a) (2, x)'],
  ['quantile(0.9, x)', 'quantile(0.9, x)'],
  ["count_values('v', x)", 'count_values("v", x)'],
  ['limitk(2, x)', 'limitk(2, x)'],
  ['limit_ratio(0.5, x)', 'limit_ratio(0.5, x)'],
  ['time()', 'time()'],
  ['vector(1)', 'vector(1)'],
  ['round(x)', 'round(x)'],
  ['round(x, 5)', 'round(x, 5)'],
  ['hour()', 'hour()'],
  ['label_join(x, "d", ",", "a", "b", "c")', 'label_join(x, "d", ",", "a", "b", "c")'],
  [
    'histogram_quantile(0.9, sum by (le) (rate(x[5m])))',
    'histogram_quantile(0.9, sum by (le) (rate(x[5m])))',
  ],
  ['scalar(x) * 2', 'scalar(x) * 2'],
  ['foo # a comment\n + bar', 'foo + bar'],
  ['info(x, {data=~".*"})', 'info(x, {data=~".*"})'],
  ['x[5m*2]', 'x[5m * 2]'],
  ['rate(x[(5+2) * 1m])', 'rate(x[(5 + 2) * 1m])'],
  ['x offset (1h / 2)', 'x offset (1h / 2)'],
  ['x offset -step()*2', 'x offset -step() * 2'],
  ['x[29s+1s:5s+5s] offset -(20*1s)', 'x[29s + 1s:5s + 5s] offset -(20 * 1s)'],
  ['max_over_time(x[range()] @ end())', 'max_over_time(x[range()] @ end())'],
  ['x[max_of(STEP(), 5s)]', 'x[max_of(step(), 5s)]'],
  ['a + fill(0) b', 'a + fill (0) b'],
  [
    'a + on(x) group_left fill_left(1) fill_right(-2) b',
    'a + on (x) group_left () fill_left (1) fill_right (-2) b',
  ],
  ['other + fill(0) fill', 'other + fill (0) fill'],
  ['increase(x[1m] anchored)', 'increase(x[1m] anchored)'],
  ['rate(x[1m] smoothed @ 5 offset 1m)', 'rate(x[1m] smoothed @ 5.000 offset 1m)'],
  ['x offset -100 smoothed', 'x smoothed offset -1m40s'],
  // Checked when evaluated, as in Prometheus (the error has no position).
  ['deriv(x[1m] smoothed)', 'deriv(x[1m] smoothed)'],
];

/** Input → exact error message (position prefix included). */
const INVALID: ReadonlyArray<readonly [string, string]> = [
  ['', '1:1: parse error: no expression found in input'],
  ['sum(rate(x[5m]', '1:15: parse error: unclosed left parenthesis'],
  ['rate(x[5m]) +', '1:14: parse error: unexpected end of input'],
  ['x[5m', '1:5: parse error: unclosed left bracket'],
  ['a and fill(1) b', '1:1: parse error: filling in missing series not allowed for set operators'],
  ['1 + fill(1) b', '1:1: parse error: filling in missing series only allowed between instant vectors'],
  ['sum()', '1:1: parse error: no arguments for aggregate expression provided'],
  [
    'x{a:b="c"}',
    '1:3: parse error: unexpected metric identifier "a:b" in label matching, expected label matching operator',
  ],
  ['x]', "1:2: parse error: unexpected right bracket ']'"],
  ['foo{', '1:5: parse error: unexpected end of input inside braces'],
  ['{}', '1:1: parse error: vector selector must contain at least one non-empty matcher'],
  ['{a=""}', '1:1: parse error: vector selector must contain at least one non-empty matcher'],
  ['{a=~".*"}', '1:1: parse error: vector selector must contain at least one non-empty matcher'],
  ['rate(x)', '1:6: parse error: expected type range vector in call to function "rate", got instant vector'],
  [
    'abs(x[5m])',
    '1:5: parse error: expected type instant vector in call to function "abs", got range vector',
  ],
  ['time(1)', '1:1: parse error: expected 0 argument(s) in call to "time", got 1'],
  ['round(x, 1, 2)', '1:1: parse error: expected at most 2 argument(s) in call to "round", got 3'],
  ['label_join(x)', '1:1: parse error: expected at least 3 argument(s) in call to "label_join", got 1'],
  ['nosuch(x)', '1:1: parse error: unknown function with name "nosuch"'],
  ['abs(x,)', '1:6: parse error: trailing commas not allowed in function call args'],
  ['1 > 2', '1:3: parse error: comparisons between scalars must use BOOL modifier'],
  ['a + bool b', '1:3: parse error: bool modifier can only be used on comparison operators'],
  ['a and 1', '1:1: parse error: set operator "and" not allowed in binary scalar expression'],
  ['a and on(x) group_left b', '1:1: parse error: no grouping allowed for "and" operation'],
  ['1 + on(x) a', '1:1: parse error: vector matching only allowed between instant vectors'],
  ['a[5m] + 1', '1:1: parse error: binary expression must contain only scalar and instant vector types'],
  ['1 + a[5m]', '1:5: parse error: binary expression must contain only scalar and instant vector types'],
  ['a + on(x) group_left(x) b', '1:3: parse error: label "x" must not occur in ON and GROUP clause at once'],
  [
    'sum(x[5m])',
    '1:5: parse error: expected type instant vector in aggregation expression, got range vector',
  ],
  [
    'topk(x)',
    '1:1: parse error: wrong number of arguments for aggregate expression provided, expected 2, got 1',
  ],
  ['topk("a", x)', '1:6: parse error: expected type scalar in aggregation parameter, got string'],
  ['count_values(1, x)', '1:14: parse error: expected type string in aggregation parameter, got scalar'],
  ['sum by (a) (x) by (b)', '1:16: parse error: unexpected <by> in aggregation'],
  ['(a)[5m]', '1:1: parse error: ranges only allowed for vector selectors'],
  ['a offset 5m [5m]', '1:1: parse error: no offset modifiers allowed before range'],
  ['a offset 1m offset 2m', '1:13: parse error: offset may not be set multiple times'],
  ['a @ 1 @ 2', '1:7: parse error: @ <timestamp> may not be set multiple times'],
  [
    'sum(a) offset 1m',
    '1:8: parse error: offset modifier must be preceded by an instant vector selector or range vector selector or a subquery',
  ],
  ['a[5m][1m:]', '1:1: parse error: subquery is only allowed on instant vector, got matrix instead'],
  [
    '-a[5m]',
    '1:1: parse error: unary expression only allowed on expressions of type scalar or instant vector, got "range vector"',
  ],
  ['1.5h', '1:1: parse error: bad number or duration syntax: "1.5h"'],
  ['0xABm', '1:1: parse error: bad number or duration syntax: "0xABm"'],
  ['"abc', '1:1: parse error: unterminated quoted string'],
  ['`abc', '1:1: parse error: unterminated raw string'],
  ['"\\q"', "1:1: parse error: unknown escape sequence U+0071 'q'"],
  ['a !b', "1:3: parse error: unexpected character after '!': 'b'"],
  ['a $ b', "1:3: parse error: unexpected character: '$'"],
  ['foo{a="b"} foo', '1:12: parse error: unexpected identifier "foo"'],
  ['{"a", "b"}', '1:7: parse error: metric name must not be set twice: "a" or "b"'],
  ['foo{"a"}', '1:5: parse error: metric name must not be set twice: "foo" or "a"'],
  ['foo{a=~"("}', '1:5: parse error: '],
  ['"\\\'"', "1:1: parse error: unknown escape sequence U+0027 '''"],
  ['1 !~ 2', "1:3: parse error: unexpected character after '!': '~'"],
  ['x + )', "1:6: parse error: unexpected right parenthesis ')'"],
  ['# only a comment', '1:1: parse error: no expression found in input'],
  ['a\n+ )', "2:4: parse error: unexpected right parenthesis ')'"],
  // Messages of yacc's error recovery, checked against Prometheus 2.42 (test/api-differential.test.ts).
  ['(a b)', '1:4: parse error: unexpected identifier "b"'],
  ['rate(a b)', '1:8: parse error: unexpected identifier "b"'],
  ['sum(a b)', '1:7: parse error: unexpected identifier "b" in aggregation'],
  ['sum(abs(a +))', '1:12: parse error: unexpected ")" in aggregation'],
  ['sum(a,)', '1:6: parse error: trailing commas not allowed in function call args'],
  ['info(x, y)', '1:9: parse error: expected label selectors only, got vector selector instead'],
  ['info(x, sum(y))', '1:9: parse error: expected label selectors only'],
  ['x[5m - 10m]', '1:2: parse error: range must be positive'],
];

/** Checks that every node's range lies within its parent's and the query. */
function checkPositions(e: Expr, start: number, end: number): void {
  assert.ok(
    e.pos.start >= start && e.pos.end <= end && e.pos.start < e.pos.end,
    `${e.type} ${JSON.stringify(e.pos)}`,
  );
  const children: Expr[] = [];
  switch (e.type) {
    case 'MatrixSelector':
      children.push(e.vectorSelector);
      break;
    case 'SubqueryExpr':
    case 'ParenExpr':
    case 'UnaryExpr':
      children.push(e.expr);
      break;
    case 'BinaryExpr':
      children.push(e.lhs, e.rhs);
      break;
    case 'AggregateExpr':
      children.push(e.expr);
      if (e.param) children.push(e.param);
      break;
    case 'Call':
      children.push(...e.args);
      break;
    default:
  }
  for (const c of children) checkPositions(c, e.pos.start, e.pos.end);
}

for (const [input, want] of VALID) {
  test(input, () => {
    const e = parseExpr(input);
    const printed = formatExpr(e);
    assert.equal(printed, want);
    assert.equal(formatExpr(parseExpr(printed)), printed, 'reprint is stable');
    checkPositions(e, 0, input.length);
  });
}

for (const [input, want] of INVALID) {
  test(`invalid: ${input}`, () => {
    assert.throws(
      () => parseExpr(input),
      (err: unknown) => {
        assert.ok(err instanceof ParseError);
        assert.equal(err.code, 'ERR_PROMQL_PARSE');
        if (want.endsWith('parse error: ')) assert.ok(err.message.startsWith(want), err.message);
        else assert.equal(err.message, want);
        return true;
      },
    );
  });
}

test('node positions: sum by (job) (rate(x[5m]))', () => {
  const e = parseExpr('sum by (job) (rate(x[5m]))');
  assert.equal(e.type, 'AggregateExpr');
  assert.deepEqual(e.pos, { start: 0, end: 26 });
  if (e.type !== 'AggregateExpr' || e.expr.type !== 'Call') return assert.fail('shape');
  assert.deepEqual(e.expr.pos, { start: 14, end: 25 });
  assert.deepEqual(e.expr.args[0].pos, { start: 19, end: 24 });
});

test('vector matching: a + on(b) group_left(c) d', () => {
  const e = parseExpr('a + on(b) group_left(c) d');
  if (e.type !== 'BinaryExpr') return assert.fail('shape');
  assert.deepEqual(e.matching, { card: 'many-to-one', on: true, labels: ['b'], include: ['c'] });
});

test('vector matching: 1 + a has none', () => {
  const e = parseExpr('1 + a');
  if (e.type !== 'BinaryExpr') return assert.fail('shape');
  assert.equal(e.matching, null);
});

test('selector: foo{a="b"} offset -1m @ 10', () => {
  const e = parseExpr('foo{a="b"} offset -1m @ 10');
  if (e.type !== 'VectorSelector') return assert.fail('shape');
  assert.equal(e.name, 'foo');
  assert.deepEqual(
    e.matchers.map((m) => m.toString()),
    ['a="b"', '__name__="foo"'],
  );
  assert.equal(e.offset, -60_000);
  assert.equal(e.at, 10_000);
});
