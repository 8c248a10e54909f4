import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseExpr } from '../promql/parser.js';
import { astToJson, hasSelectors } from './ast-json.js';

test('aggregation with a parameter, call, matrix selector with @ and offset', () => {
  assert.deepEqual(astToJson(parseExpr('topk by (job) (3, rate(x{a="b"}[5m] offset 1m @ 100))')), {
    expr: {
      args: [
        {
          anchored: false,
          matchers: [
            { name: 'a', type: '=', value: 'b' },
            { name: '__name__', type: '=', value: 'x' },
          ],
          name: 'x',
          offset: 60_000,
          range: 300_000,
          smoothed: false,
          startOrEnd: null,
          timestamp: 100_000,
          type: 'matrixSelector',
        },
      ],
      func: { argTypes: ['matrix'], name: 'rate', returnType: 'vector', variadic: 0 },
      type: 'call',
    },
    grouping: ['job'],
    op: 'topk',
    param: { type: 'numberLiteral', val: '3' },
    type: 'aggregation',
    without: false,
  });
});

test('subquery with @ start() around a parenthesised unary expression', () => {
  const call = astToJson(parseExpr('max_over_time((-x)[10m:1m] @ start())')) as { args: unknown[] };
  assert.deepEqual(call.args[0], {
    alignEvalTime: false,
    expr: { expr: { expr: astToJson(parseExpr('x')), op: '-', type: 'unaryExpr' }, type: 'parenExpr' },
    offset: 0,
    range: 600_000,
    startOrEnd: 'start',
    step: 60_000,
    timestamp: null,
    type: 'subquery',
  });
});

test('scalar-only binary expressions have no matching; strings are literals', () => {
  const j = astToJson(parseExpr('1 + 2')) as Record<string, unknown>;
  assert.equal(j.matching, null);
  assert.deepEqual(astToJson(parseExpr('"a"')), { type: 'stringLiteral', val: 'a' });
});

test('hasSelectors', () => {
  assert.equal(hasSelectors(parseExpr('1 + 1')), false);
  assert.equal(hasSelectors(parseExpr('vector(1) + on() sum(x)')), true);
  assert.equal(hasSelectors(parseExpr('time()')), false);
});
