/**
 * The PromQL abstract syntax tree: a discriminated union on `type`, as in Prometheus' own
 * TypeScript (`mantine-ui/src/promql/ast.ts`) and Go (`promql/parser/ast.go`). Every node carries
 * its position range in the source text; {@link valueTypeOf} gives the value type of any node.
 */
import type { Matcher } from '../model/index.js';
import { getFunction } from './functions.js';

/** The value type of an expression, as PromQL's type checker sees it. */
export type ValueType = 'scalar' | 'vector' | 'matrix' | 'string';

/** A half-open range `[start, end)` of UTF-16 offsets into the query text. */
export interface PositionRange {
  start: number;
  end: number;
}

/** The `@` modifier: a timestamp in milliseconds, `start()` / `end()` of the query, or none. */
export type AtModifier = number | 'start' | 'end' | null;

/** A number literal; durations used as numbers (`1h30m`) are stored in seconds. */
export interface NumberLiteral {
  type: 'NumberLiteral';
  val: number;
  /** The literal was written as a duration (`5m`); printed back as one. */
  duration?: boolean;
  pos: PositionRange;
}

/** A string literal (already unescaped). */
export interface StringLiteral {
  type: 'StringLiteral';
  val: string;
  pos: PositionRange;
}

/**
 * A duration expression (Prometheus 3's `promql-duration-expr`): arithmetic on numbers (seconds)
 * and durations, with `step()`, `range()`, `min_of()` and `max_of()`, written where a range, a
 * subquery step or an offset is expected (`x[5m * 2]`, `x offset (1h / 2)`). Values are seconds.
 */
export type DurationExpr =
  | { type: 'DurationLiteral'; val: number; duration: boolean; pos: PositionRange }
  | { type: 'DurationParen'; expr: DurationExpr; pos: PositionRange }
  | { type: 'DurationUnary'; op: '-' | '+'; expr: DurationExpr; pos: PositionRange }
  | {
      type: 'DurationBinary';
      op: '+' | '-' | '*' | '/' | '%' | '^';
      lhs: DurationExpr;
      rhs: DurationExpr;
      pos: PositionRange;
    }
  | {
      type: 'DurationCall';
      func: 'step' | 'range' | 'min_of' | 'max_of';
      args: DurationExpr[];
      pos: PositionRange;
    };

/** An instant vector selector: `name{matchers} offset x @ t`. */
export interface VectorSelector {
  type: 'VectorSelector';
  /** The metric name written before or inside the braces; `''` when there is none. */
  name: string;
  /** All matchers, including the `__name__` equality matcher implied by `name`. */
  matchers: Matcher[];
  /** Offset in milliseconds (positive looks back); after `start()`/`end()` resolution. */
  offset: number;
  /** The offset as written (before any step-invariant rewrites); 0 when none. */
  originalOffset: number;
  /** The offset as a duration expression, when written as one; `offset` holds its value if constant. */
  offsetExpr?: DurationExpr;
  at: AtModifier;
  /** Experimental `anchored` modifier (extended range selection for rate-like functions). */
  anchored?: boolean;
  /** Experimental `smoothed` modifier (interpolation at the range boundaries). */
  smoothed?: boolean;
  pos: PositionRange;
}

/** A range vector selector: `selector[range]`. */
export interface MatrixSelector {
  type: 'MatrixSelector';
  vectorSelector: VectorSelector;
  /** The range in milliseconds (0 when `rangeExpr` depends on the query's step or range). */
  range: number;
  /** The range as a duration expression, when written as one. */
  rangeExpr?: DurationExpr;
  pos: PositionRange;
}

/** A subquery: `expr[range:step] offset x @ t`; `step` 0 means the default evaluation interval. */
export interface SubqueryExpr {
  type: 'SubqueryExpr';
  expr: Expr;
  /** The range in milliseconds. */
  range: number;
  /** The range as a duration expression, when written as one. */
  rangeExpr?: DurationExpr;
  /** The resolution step in milliseconds; 0 when omitted (`[5m:]`). */
  step: number;
  /** The step as a duration expression, when written as one. */
  stepExpr?: DurationExpr;
  offset: number;
  originalOffset: number;
  /** The offset as a duration expression, when written as one. */
  offsetExpr?: DurationExpr;
  at: AtModifier;
  pos: PositionRange;
}

/** A parenthesised expression. */
export interface ParenExpr {
  type: 'ParenExpr';
  expr: Expr;
  pos: PositionRange;
}

/** A unary `-` or `+` applied to a scalar or instant vector. */
export interface UnaryExpr {
  type: 'UnaryExpr';
  op: '-' | '+';
  expr: Expr;
  pos: PositionRange;
}

/** The binary operators, as written; `</` and `>/` are the native histogram trim operators. */
export type BinaryOp =
  | '+'
  | '-'
  | '*'
  | '/'
  | '%'
  | '^'
  | 'atan2'
  | '</'
  | '>/'
  | '=='
  | '!='
  | '>'
  | '<'
  | '>='
  | '<='
  | 'and'
  | 'or'
  | 'unless';

/** How the two sides of a vector/vector binary operation are matched. */
export type VectorMatchCardinality = 'one-to-one' | 'many-to-one' | 'one-to-many' | 'many-to-many';

/** Vector matching: `on (labels)` / `ignoring (labels)` and `group_left/right (include)`. */
export interface VectorMatching {
  card: VectorMatchCardinality;
  /** `true` for `on (…)`, `false` for `ignoring (…)` or no clause. */
  on: boolean;
  /** The labels of `on`/`ignoring`. */
  labels: string[];
  /** The extra labels copied from the "one" side by `group_left/right (…)`. */
  include: string[];
  /**
   * Experimental `fill (v)`, `fill_left (v)`, `fill_right (v)`: the value taken for a series missing
   * on that side; `null` for a side without filling. Absent when no fill modifier was given.
   */
  fill?: { lhs: number | null; rhs: number | null };
}

/** A binary operation. `matching` is set when both sides are instant vectors. */
export interface BinaryExpr {
  type: 'BinaryExpr';
  op: BinaryOp;
  lhs: Expr;
  rhs: Expr;
  /** The `bool` modifier of a comparison. */
  returnBool: boolean;
  matching: VectorMatching | null;
  pos: PositionRange;
}

/** The aggregation operators. */
export type AggregateOp =
  | 'sum'
  | 'min'
  | 'max'
  | 'avg'
  | 'group'
  | 'stddev'
  | 'stdvar'
  | 'count'
  | 'count_values'
  | 'bottomk'
  | 'topk'
  | 'quantile'
  | 'limitk'
  | 'limit_ratio';

/** An aggregation: `op by|without (grouping) (param, expr)`. */
export interface AggregateExpr {
  type: 'AggregateExpr';
  op: AggregateOp;
  expr: Expr;
  /** The parameter of topk, bottomk, quantile, count_values, limitk, limit_ratio. */
  param: Expr | null;
  grouping: string[];
  without: boolean;
  pos: PositionRange;
}

/** A function call; `func` names an entry of the function table (`functions.ts`). */
export interface Call {
  type: 'Call';
  func: string;
  args: Expr[];
  pos: PositionRange;
}

/** Any PromQL expression. */
export type Expr =
  | NumberLiteral
  | StringLiteral
  | VectorSelector
  | MatrixSelector
  | SubqueryExpr
  | ParenExpr
  | UnaryExpr
  | BinaryExpr
  | AggregateExpr
  | Call;

/** The function signatures the type of a `Call` depends on. */
export interface ReturnTypeLookup {
  (func: string): ValueType | undefined;
}

/** The function table's return type of a function. */
const tableReturnType: ReturnTypeLookup = (func) => getFunction(func)?.returnType;

/**
 * The value type an expression evaluates to. For a `Call`, `lookup` gives the function's return
 * type (by default the function table's); unknown functions are taken as instant vectors.
 */
export function valueTypeOf(e: Expr, lookup: ReturnTypeLookup = tableReturnType): ValueType {
  switch (e.type) {
    case 'NumberLiteral':
      return 'scalar';
    case 'StringLiteral':
      return 'string';
    case 'VectorSelector':
    case 'AggregateExpr':
      return 'vector';
    case 'MatrixSelector':
    case 'SubqueryExpr':
      return 'matrix';
    case 'ParenExpr':
    case 'UnaryExpr':
      return valueTypeOf(e.expr, lookup);
    case 'BinaryExpr':
      return valueTypeOf(e.lhs, lookup) === 'scalar' && valueTypeOf(e.rhs, lookup) === 'scalar'
        ? 'scalar'
        : 'vector';
    case 'Call':
      return lookup(e.func) ?? 'vector';
  }
}
