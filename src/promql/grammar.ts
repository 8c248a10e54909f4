/**
 * The PromQL grammar's word lists and operator precedence, and how tokens are named in Prometheus'
 * parse errors.
 */
import type { AggregateOp, BinaryOp } from './ast.js';
import type { Token } from './lexer.js';

/** The aggregation operators (case-insensitive keywords). */
export const AGGREGATORS: ReadonlySet<string> = new Set<AggregateOp>([
  'sum',
  'min',
  'max',
  'avg',
  'group',
  'stddev',
  'stdvar',
  'count',
  'count_values',
  'bottomk',
  'topk',
  'quantile',
  'limitk',
  'limit_ratio',
]);
/** The aggregations that take a parameter before the vector. */
export const AGGREGATORS_WITH_PARAM: ReadonlySet<string> = new Set([
  'count_values',
  'bottomk',
  'topk',
  'quantile',
  'limitk',
  'limit_ratio',
]);
/** Keywords that cannot start an expression. */
export const KEYWORDS: ReadonlySet<string> = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'bool',
  'offset',
]);
/** Binary operators written as words. */
export const WORD_OPERATORS: ReadonlySet<string> = new Set(['and', 'or', 'unless', 'atan2']);
/** The comparison operators (which take `bool`). */
export const COMPARISONS: ReadonlySet<string> = new Set(['==', '!=', '>', '<', '>=', '<=']);
/** The set operators (always many-to-many). */
export const SET_OPERATORS: ReadonlySet<string> = new Set(['and', 'or', 'unless']);
/** The functions that accept `smoothed` range selectors (experimental). */
export const SMOOTHED_FUNCTIONS: readonly string[] = ['delta', 'increase', 'rate'];
/** The functions that accept `anchored` range selectors. */
export const ANCHORED_FUNCTIONS: readonly string[] = ['changes', 'delta', 'increase', 'rate', 'resets'];
/** The label matching operators. */
export const MATCH_OPS: ReadonlySet<string> = new Set(['=', '!=', '=~', '!~']);

/** Binding power of the binary operators; higher binds tighter. */
export const PRECEDENCE: Readonly<Record<BinaryOp, number>> = {
  or: 1,
  and: 2,
  unless: 2,
  '==': 3,
  '!=': 3,
  '<=': 3,
  '<': 3,
  '>=': 3,
  '>': 3,
  '+': 4,
  '-': 4,
  '*': 5,
  '/': 5,
  '%': 5,
  atan2: 5,
  '</': 5,
  '>/': 5,
  '^': 6,
};
/** Unary minus binds tighter than `*` and looser than `^`: `-2 ^ 2` is `-(2 ^ 2)`. */
export const UNARY_OPERAND_PRECEDENCE = 6;

/** A token as Prometheus' parse errors describe it. */
export function describeToken(t: Token, query: string): string {
  const raw = query.slice(t.start, t.end);
  switch (t.kind) {
    case 'eof':
      return 'end of input';
    case 'number':
      return `number ${JSON.stringify(raw)}`;
    case 'duration':
      return `duration ${JSON.stringify(raw)}`;
    case 'string':
      return `string ${JSON.stringify(raw.length > 10 ? raw.slice(0, 10) : raw)}${raw.length > 10 ? '...' : ''}`;
    case 'op':
      return ['(', ')', '{', '}', '[', ']', ',', ':', '@'].includes(t.text)
        ? JSON.stringify(t.text)
        : `<op:${t.text}>`;
    case 'ident': {
      const lower = t.text.toLowerCase();
      if (AGGREGATORS.has(lower)) return `<aggr:${t.text}>`;
      if (WORD_OPERATORS.has(lower)) return `<op:${t.text}>`;
      if (KEYWORDS.has(lower)) return `<${t.text}>`;
      return `${t.text.includes(':') ? 'metric identifier' : 'identifier'} ${JSON.stringify(t.text)}`;
    }
  }
}
