/** PromQL: the AST, function table, lexer, parser and printer. */
export { valueTypeOf } from './ast.js';
export type {
  AggregateExpr,
  AggregateOp,
  AtModifier,
  BinaryExpr,
  BinaryOp,
  Call,
  DurationExpr,
  Expr,
  MatrixSelector,
  NumberLiteral,
  ParenExpr,
  PositionRange,
  ReturnTypeLookup,
  StringLiteral,
  SubqueryExpr,
  UnaryExpr,
  ValueType,
  VectorMatchCardinality,
  VectorMatching,
  VectorSelector,
} from './ast.js';
export { FUNCTIONS, argCountRange, argType, getFunction } from './functions.js';
export type { FunctionSignature } from './functions.js';
export { lex } from './lexer.js';
export type { Token, TokenKind } from './lexer.js';
export { ParseError, lineCol } from './parse-error.js';
export { describeType, parseExpr } from './parser.js';
export { formatExpr } from './printer.js';
export { formatFloat } from './printer-float.js';
export { constantDuration, evalDuration, formatDurationExpr } from './duration-expr.js';
