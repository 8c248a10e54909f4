/**
 * The PromQL AST as `/api/v1/parse_query` returns it (Prometheus' `translateAST`, for the UI's
 * tree view). Go marshals these maps with sorted keys, so every object here lists its keys in
 * alphabetical order.
 */
import type { AtModifier, Expr, VectorSelector } from '../promql/ast.js';
import { getFunction } from '../promql/functions.js';
import { formatFloat } from '../promql/printer-float.js';

/** A JSON value. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function matchers(vs: VectorSelector): Json {
  return vs.matchers.map((m) => ({ name: m.name, type: m.type, value: m.value }));
}

function timestamp(at: AtModifier): Json {
  return typeof at === 'number' ? at : null;
}

function startOrEnd(at: AtModifier): Json {
  return at === 'start' || at === 'end' ? at : null;
}

/** The JSON tree of an expression. */
export function astToJson(e: Expr | null): Json {
  if (e === null) return null;
  switch (e.type) {
    case 'AggregateExpr':
      return {
        expr: astToJson(e.expr),
        grouping: [...e.grouping],
        op: e.op,
        param: astToJson(e.param),
        type: 'aggregation',
        without: e.without,
      };
    case 'BinaryExpr': {
      const m = e.matching;
      return {
        bool: e.returnBool,
        lhs: astToJson(e.lhs),
        matching:
          m === null
            ? null
            : {
                card: m.card,
                fillValues: { lhs: m.fill?.lhs ?? null, rhs: m.fill?.rhs ?? null },
                include: [...m.include],
                labels: [...m.labels],
                on: m.on,
              },
        op: e.op,
        rhs: astToJson(e.rhs),
        type: 'binaryExpr',
      };
    }
    case 'Call': {
      const f = getFunction(e.func);
      return {
        args: e.args.map(astToJson),
        func: {
          argTypes: f === undefined ? [] : [...f.argTypes],
          name: e.func,
          returnType: f?.returnType ?? 'vector',
          variadic: f?.variadic ?? 0,
        },
        type: 'call',
      };
    }
    case 'MatrixSelector': {
      const vs = e.vectorSelector;
      return {
        anchored: vs.anchored === true,
        matchers: matchers(vs),
        name: vs.name,
        offset: vs.originalOffset,
        range: e.range,
        smoothed: vs.smoothed === true,
        startOrEnd: startOrEnd(vs.at),
        timestamp: timestamp(vs.at),
        type: 'matrixSelector',
      };
    }
    case 'SubqueryExpr':
      return {
        alignEvalTime: false,
        expr: astToJson(e.expr),
        offset: e.originalOffset,
        range: e.range,
        startOrEnd: startOrEnd(e.at),
        step: e.step,
        timestamp: timestamp(e.at),
        type: 'subquery',
      };
    case 'NumberLiteral':
      // Go prints the value with strconv 'f' formatting, which keeps `+Inf`/`NaN` spelt as Go does.
      return { type: 'numberLiteral', val: formatFloat(e.val) };
    case 'ParenExpr':
      return { expr: astToJson(e.expr), type: 'parenExpr' };
    case 'StringLiteral':
      return { type: 'stringLiteral', val: e.val };
    case 'UnaryExpr':
      return { expr: astToJson(e.expr), op: e.op, type: 'unaryExpr' };
    case 'VectorSelector':
      return {
        anchored: e.anchored === true,
        matchers: matchers(e),
        name: e.name,
        offset: e.originalOffset,
        smoothed: e.smoothed === true,
        startOrEnd: startOrEnd(e.at),
        timestamp: timestamp(e.at),
        type: 'vectorSelector',
      };
  }
}

/** Whether an expression selects any series (Prometheus' `ExtractSelectors` is non-empty). */
export function hasSelectors(e: Expr): boolean {
  switch (e.type) {
    case 'VectorSelector':
    case 'MatrixSelector':
      return true;
    case 'NumberLiteral':
    case 'StringLiteral':
      return false;
    case 'SubqueryExpr':
    case 'ParenExpr':
    case 'UnaryExpr':
      return hasSelectors(e.expr);
    case 'AggregateExpr':
      return hasSelectors(e.expr) || (e.param !== null && hasSelectors(e.param));
    case 'BinaryExpr':
      return hasSelectors(e.lhs) || hasSelectors(e.rhs);
    case 'Call':
      return e.args.some(hasSelectors);
  }
}
