/**
 * The PromQL parser: recursive descent for primaries and modifiers, precedence climbing for
 * binary operators, with Prometheus' type checks. Entry point: {@link parseExpr}.
 */
import { Matcher, RegexSyntaxError, METRIC_NAME } from '../model/index.js';
import type { MatchType } from '../model/index.js';
import type {
  AggregateExpr,
  AggregateOp,
  AtModifier,
  BinaryOp,
  DurationExpr,
  Expr,
  MatrixSelector,
  PositionRange,
  SubqueryExpr,
  ValueType,
  VectorMatching,
  VectorSelector,
} from './ast.js';
import { valueTypeOf } from './ast.js';
import { constantDuration } from './duration-expr.js';
import { argCountRange, argType, getFunction } from './functions.js';
import {
  AGGREGATORS,
  AGGREGATORS_WITH_PARAM,
  KEYWORDS,
  WORD_OPERATORS,
  COMPARISONS,
  SET_OPERATORS,
  MATCH_OPS,
  PRECEDENCE,
  UNARY_OPERAND_PRECEDENCE,
  describeToken,
} from './grammar.js';
import { lex } from './lexer.js';
import type { Token } from './lexer.js';
import { ParseError } from './parse-error.js';

/** How a value type is named in Prometheus' error messages. */
export function describeType(t: ValueType): string {
  switch (t) {
    case 'scalar':
      return 'scalar';
    case 'vector':
      return 'instant vector';
    case 'matrix':
      return 'range vector';
    case 'string':
      return 'string';
  }
}

function typeOf(e: Expr): ValueType {
  return valueTypeOf(e, (f) => getFunction(f)?.returnType);
}

/** Parses and type-checks a PromQL expression. Throws `ParseError`. */
export function parseExpr(query: string): Expr {
  const p = new Parser(query);
  return p.parseQuery();
}

class Parser {
  readonly #q: string;
  readonly #toks: Token[];
  #i = 0;
  /** Set while parsing `info()`'s second argument, whose selector may match the empty string. */
  #bypassEmptyMatcherCheck = false;
  /**
   * How many aggregation bodies enclose the current token. Prometheus' grammar has an error rule
   * on the aggregation only, so yacc's recovery names "aggregation" for any error without a
   * context of its own inside one, however deeply nested in calls or parentheses.
   */
  #aggregationDepth = 0;

  constructor(query: string) {
    this.#q = query;
    this.#toks = lex(query);
  }

  parseQuery(): Expr {
    // Prometheus' grammar reports an empty input at position 0, whatever comments precede the end.
    if (this.#peek().kind === 'eof') this.#fail('no expression found in input', { start: 0, end: 0 });
    const e = this.#parseBinary(0);
    const t = this.#peek();
    if (t.kind !== 'eof') this.#unexpected(t);
    return e;
  }

  // --- token helpers ---

  #peek(k = 0): Token {
    return this.#toks[Math.min(this.#i + k, this.#toks.length - 1)];
  }
  #next(): Token {
    const t = this.#peek();
    if (t.kind !== 'eof') this.#i++;
    return t;
  }
  #isOp(t: Token, text: string): boolean {
    return t.kind === 'op' && t.text === text;
  }
  #isWord(t: Token, word: string): boolean {
    return t.kind === 'ident' && t.text.toLowerCase() === word;
  }
  #expectOp(text: string, context: string): Token {
    const t = this.#next();
    if (!this.#isOp(t, text)) this.#unexpected(t, context, `"${text}"`);
    return t;
  }
  #fail(msg: string, at: PositionRange): never {
    throw new ParseError(msg, { start: at.start, end: at.end }, this.#q);
  }
  #unexpected(t: Token, context?: string, expected?: string): never {
    if (t.error !== undefined) {
      return this.#fail(t.error, t.errorAt === undefined ? t : { start: t.errorAt, end: t.errorAt + 1 });
    }
    let msg = `unexpected ${describeToken(t, this.#q)}`;
    if (context === undefined && this.#aggregationDepth > 0) context = 'aggregation';
    if (context !== undefined) msg += ` in ${context}`;
    if (expected !== undefined) msg += `, expected ${expected}`;
    return this.#fail(msg, t);
  }

  // --- binary operators ---

  #binaryOpAt(t: Token): BinaryOp | undefined {
    if (t.kind === 'op') {
      return t.text in PRECEDENCE ? (t.text as BinaryOp) : undefined;
    }
    if (t.kind === 'ident') {
      const w = t.text.toLowerCase();
      if (WORD_OPERATORS.has(w)) return w as BinaryOp;
    }
    return undefined;
  }

  #parseBinary(minPrec: number): Expr {
    let lhs = this.#parseUnary();
    for (;;) {
      const t = this.#peek();
      const op = this.#binaryOpAt(t);
      if (op === undefined) return lhs;
      const prec = PRECEDENCE[op];
      if (prec < minPrec) return lhs;
      this.#next();
      const { returnBool, matching, explicit } = this.#parseBinModifiers(op);
      const rhs = this.#parseBinary(op === '^' ? prec : prec + 1);
      lhs = this.#makeBinary(op, lhs, rhs, returnBool, matching, explicit, t);
    }
  }

  #parseBinModifiers(op: BinaryOp): { returnBool: boolean; matching: VectorMatching; explicit: boolean } {
    let returnBool = false;
    if (this.#isWord(this.#peek(), 'bool')) {
      this.#next();
      returnBool = true;
    }
    const matching: VectorMatching = {
      card: SET_OPERATORS.has(op) ? 'many-to-many' : 'one-to-one',
      on: false,
      labels: [],
      include: [],
    };
    let explicit = false;
    const t = this.#peek();
    if (this.#isWord(t, 'on') || this.#isWord(t, 'ignoring')) {
      this.#next();
      explicit = true;
      matching.on = this.#isWord(t, 'on');
      matching.labels = this.#parseLabelList('grouping opts');
      const g = this.#peek();
      if (this.#isWord(g, 'group_left') || this.#isWord(g, 'group_right')) {
        this.#next();
        matching.card = this.#isWord(g, 'group_left') ? 'many-to-one' : 'one-to-many';
        if (this.#isOp(this.#peek(), '(')) matching.include = this.#parseLabelList('grouping opts');
      }
    } else if (this.#isWord(t, 'group_left') || this.#isWord(t, 'group_right')) {
      this.#unexpected(t, 'binary expression');
    }
    this.#parseFillModifiers(matching);
    return { returnBool, matching, explicit };
  }

  /** Experimental `fill (v)` / `fill_left (v)` / `fill_right (v)` after the matching clause. */
  #parseFillModifiers(matching: VectorMatching): void {
    for (;;) {
      const t = this.#peek();
      const word = t.kind === 'ident' ? t.text.toLowerCase() : '';
      if (
        (word !== 'fill' && word !== 'fill_left' && word !== 'fill_right') ||
        !this.#isOp(this.#peek(1), '(')
      )
        return;
      this.#next();
      this.#next();
      let sign = 1;
      const s = this.#peek();
      if (this.#isOp(s, '-') || this.#isOp(s, '+')) {
        this.#next();
        if (s.text === '-') sign = -1;
      }
      const n = this.#next();
      if (n.kind !== 'number') this.#unexpected(n, 'fill modifier', 'number');
      this.#expectOp(')', 'fill modifier');
      const fill = (matching.fill ??= { lhs: null, rhs: null });
      if (word !== 'fill_right') fill.lhs = sign * n.value;
      if (word !== 'fill_left') fill.rhs = sign * n.value;
    }
  }

  #makeBinary(
    op: BinaryOp,
    lhs: Expr,
    rhs: Expr,
    returnBool: boolean,
    matching: VectorMatching,
    explicit: boolean,
    opTok: Token,
  ): Expr {
    const pos = { start: lhs.pos.start, end: rhs.pos.end };
    // Errors about the operator point at it (Prometheus' opRange), the rest at an operand or the whole.
    const opPos = { start: opTok.start, end: rhs.pos.start };
    const lt = typeOf(lhs);
    const rt = typeOf(rhs);
    if (returnBool && !COMPARISONS.has(op))
      this.#fail('bool modifier can only be used on comparison operators', opPos);
    if (COMPARISONS.has(op) && !returnBool && lt === 'scalar' && rt === 'scalar') {
      this.#fail('comparisons between scalars must use BOOL modifier', opPos);
    }
    if (matching.on) {
      const both = matching.include.find((l) => matching.labels.includes(l));
      if (both !== undefined)
        this.#fail(`label "${both}" must not occur in ON and GROUP clause at once`, opPos);
    }
    if (lt !== 'scalar' && lt !== 'vector') {
      this.#fail('binary expression must contain only scalar and instant vector types', lhs.pos);
    }
    if (rt !== 'scalar' && rt !== 'vector') {
      this.#fail('binary expression must contain only scalar and instant vector types', rhs.pos);
    }
    const bothVectors = lt === 'vector' && rt === 'vector';
    if (!bothVectors && explicit && matching.labels.length > 0) {
      this.#fail('vector matching only allowed between instant vectors', pos);
    }
    if (!bothVectors && matching.fill) {
      this.#fail('filling in missing series only allowed between instant vectors', pos);
    }
    if (bothVectors && SET_OPERATORS.has(op) && matching.fill) {
      this.#fail('filling in missing series not allowed for set operators', pos);
    }
    if (bothVectors && SET_OPERATORS.has(op) && matching.card !== 'many-to-many') {
      this.#fail(`no grouping allowed for "${op}" operation`, pos);
    }
    if (SET_OPERATORS.has(op) && (lt === 'scalar' || rt === 'scalar')) {
      this.#fail(`set operator "${op}" not allowed in binary scalar expression`, pos);
    }
    return { type: 'BinaryExpr', op, lhs, rhs, returnBool, matching: bothVectors ? matching : null, pos };
  }

  // --- unary and postfix ---

  #parseUnary(): Expr {
    const t = this.#peek();
    if (this.#isOp(t, '-') || this.#isOp(t, '+')) {
      this.#next();
      const operand = this.#parseBinary(UNARY_OPERAND_PRECEDENCE);
      if (operand.type === 'NumberLiteral') {
        return {
          ...operand,
          val: t.text === '-' ? -operand.val : operand.val,
          pos: { start: t.start, end: operand.pos.end },
        };
      }
      const ty = typeOf(operand);
      if (ty !== 'scalar' && ty !== 'vector') {
        this.#fail(
          `unary expression only allowed on expressions of type scalar or instant vector, got "${describeType(ty)}"`,
          {
            start: t.start,
            end: operand.pos.end,
          },
        );
      }
      return {
        type: 'UnaryExpr',
        op: t.text as '-' | '+',
        expr: operand,
        pos: { start: t.start, end: operand.pos.end },
      };
    }
    return this.#parsePostfix(this.#parsePrimary());
  }

  #parsePostfix(e: Expr): Expr {
    for (;;) {
      const t = this.#peek();
      if (this.#isOp(t, '[')) e = this.#parseRangeOrSubquery(e);
      else if (this.#isWord(t, 'offset')) e = this.#parseOffset(e);
      else if (this.#isOp(t, '@')) e = this.#parseAt(e);
      else if (this.#isWord(t, 'anchored') || this.#isWord(t, 'smoothed')) e = this.#parseExtendedRange(e);
      else return e;
    }
  }

  #parseDurationValue(context: string, allowSign: boolean): number {
    let sign = 1;
    const first = this.#peek();
    if (allowSign && (this.#isOp(first, '-') || this.#isOp(first, '+'))) {
      this.#next();
      if (first.text === '-') sign = -1;
    }
    const t = this.#next();
    if (t.kind === 'duration') return sign * t.value;
    if (t.kind === 'number') {
      if (!Number.isFinite(t.value)) this.#fail(`invalid duration: ${t.text}`, t);
      return sign * Math.round(t.value * 1000);
    }
    return this.#unexpected(t, context, 'number or duration');
  }

  /** A range or step: a literal in milliseconds, or a duration expression (value 0 if not constant). */
  #parseRangeValue(context: string, open: Token): { ms: number; expr?: DurationExpr } {
    const d = this.#parseDurExpr(0);
    if (d.type === 'DurationLiteral') return { ms: Math.round(d.val * 1000) };
    const v = constantDuration(d);
    if (v !== undefined && !Number.isFinite(v)) this.#fail(`invalid ${context} duration: ${v}`, open);
    return { ms: v === undefined ? 0 : Math.round(v * 1000), expr: d };
  }

  #parseRangeOrSubquery(e: Expr): Expr {
    const open = this.#next();
    const { ms: range, expr: rangeExpr } = this.#parseRangeValue('range', open);
    const constantRange = rangeExpr === undefined || constantDuration(rangeExpr) !== undefined;
    if (this.#isOp(this.#peek(), ':')) {
      this.#next();
      let step: { ms: number; expr?: DurationExpr } = { ms: 0 };
      if (!this.#isOp(this.#peek(), ']')) step = this.#parseRangeValue('step', open);
      const close = this.#expectOp(']', 'subquery');
      const ty = typeOf(e);
      if (ty !== 'vector') {
        this.#fail(`subquery is only allowed on instant vector, got ${ty} instead`, {
          start: e.pos.start,
          end: close.end,
        });
      }
      if (constantRange && range <= 0) this.#fail(`subquery range must be positive`, open);
      const sq: SubqueryExpr = {
        type: 'SubqueryExpr',
        expr: e,
        range,
        step: step.ms,
        offset: 0,
        originalOffset: 0,
        at: null,
        pos: { start: e.pos.start, end: close.end },
      };
      if (rangeExpr) sq.rangeExpr = rangeExpr;
      if (step.expr) sq.stepExpr = step.expr;
      return sq;
    }
    const close = this.#expectOp(']', 'range');
    if (e.type !== 'VectorSelector') {
      this.#fail('ranges only allowed for vector selectors', { start: e.pos.start, end: close.end });
    }
    if (e.originalOffset !== 0)
      this.#fail('no offset modifiers allowed before range', { start: e.pos.start, end: close.end });
    if (e.at !== null)
      this.#fail('no @ modifiers allowed before range', { start: e.pos.start, end: close.end });
    if (constantRange && range <= 0) this.#fail(`range must be positive`, open);
    const m: MatrixSelector = {
      type: 'MatrixSelector',
      vectorSelector: e,
      range,
      pos: { start: e.pos.start, end: close.end },
    };
    if (rangeExpr) m.rangeExpr = rangeExpr;
    return m;
  }

  /** The node an offset or `@` applies to, or a failure naming the modifier. */
  #modifierTarget(e: Expr, what: string, at: PositionRange): VectorSelector | SubqueryExpr {
    if (e.type === 'VectorSelector' || e.type === 'SubqueryExpr') return e;
    if (e.type === 'MatrixSelector') return e.vectorSelector;
    return this.#fail(
      `${what} modifier must be preceded by an instant vector selector or range vector selector or a subquery`,
      at,
    );
  }

  #parseOffset(e: Expr): Expr {
    const kw = this.#next();
    const target = this.#modifierTarget(e, 'offset', kw);
    if (target.originalOffset !== 0 || target.offsetExpr)
      this.#fail('offset may not be set multiple times', kw);
    // `offset 5m`, `offset -5m`; or one duration expression term: `offset (1h / 2)`, `offset -step()`.
    let t = this.#peek();
    const signed = this.#isOp(t, '-') || this.#isOp(t, '+');
    if (signed) t = this.#peek(1);
    if (t.kind === 'number' || t.kind === 'duration') {
      const off = this.#parseDurationValue('offset', true);
      target.offset = off;
      target.originalOffset = off;
    } else {
      const d = this.#parseDurUnary(true);
      const v = constantDuration(d);
      const off = v === undefined ? 0 : Math.round(v * 1000);
      target.offset = off;
      target.originalOffset = off;
      target.offsetExpr = d;
    }
    const end = this.#toks[this.#i - 1].end;
    e.pos = { start: e.pos.start, end };
    return e;
  }

  /** Experimental `anchored` / `smoothed` after a vector or range selector. */
  #parseExtendedRange(e: Expr): Expr {
    const kw = this.#next();
    const word = kw.text.toLowerCase();
    const vs = e.type === 'VectorSelector' ? e : e.type === 'MatrixSelector' ? e.vectorSelector : null;
    if (vs === null)
      this.#fail(
        `${word} modifier must be preceded by an instant vector selector or range vector selector`,
        kw,
      );
    if (vs.anchored || vs.smoothed) this.#unexpected(kw);
    if (word === 'anchored') vs.anchored = true;
    else vs.smoothed = true;
    e.pos = { start: e.pos.start, end: kw.end };
    return e;
  }

  #parseAt(e: Expr): Expr {
    const atTok = this.#next();
    const target = this.#modifierTarget(e, '@', atTok);
    if (target.at !== null) this.#fail('@ <timestamp> may not be set multiple times', atTok);
    let at: AtModifier;
    const t = this.#peek();
    if ((this.#isWord(t, 'start') || this.#isWord(t, 'end')) && this.#isOp(this.#peek(1), '(')) {
      this.#next();
      this.#next();
      this.#expectOp(')', '@ modifier');
      at = t.text.toLowerCase() === 'start' ? 'start' : 'end';
    } else {
      let sign = 1;
      if (this.#isOp(t, '-') || this.#isOp(t, '+')) {
        this.#next();
        if (t.text === '-') sign = -1;
      }
      const n = this.#next();
      if (n.kind !== 'number' && n.kind !== 'duration') this.#unexpected(n, '@', 'timestamp');
      const seconds = n.kind === 'number' ? n.value : n.value / 1000;
      if (!Number.isFinite(seconds))
        this.#fail(`timestamp out of bounds for @ modifier: ${sign * seconds}`, n);
      at = Math.round(sign * seconds * 1000);
    }
    target.at = at;
    e.pos = { start: e.pos.start, end: this.#toks[this.#i - 1].end };
    return e;
  }

  // --- duration expressions ---

  #durOpAt(t: Token): '+' | '-' | '*' | '/' | '%' | '^' | undefined {
    if (t.kind !== 'op') return undefined;
    return ['+', '-', '*', '/', '%', '^'].includes(t.text)
      ? (t.text as '+' | '-' | '*' | '/' | '%' | '^')
      : undefined;
  }

  #parseDurExpr(minPrec: number): DurationExpr {
    let lhs = this.#parseDurUnary(false);
    for (;;) {
      const op = this.#durOpAt(this.#peek());
      if (op === undefined) return lhs;
      const prec = PRECEDENCE[op];
      if (prec < minPrec) return lhs;
      this.#next();
      const rhs = this.#parseDurExpr(op === '^' ? prec : prec + 1);
      lhs = { type: 'DurationBinary', op, lhs, rhs, pos: { start: lhs.pos.start, end: rhs.pos.end } };
    }
  }

  /** A signed term; with `single`, only one primary follows the sign (as after `offset`). */
  #parseDurUnary(single: boolean): DurationExpr {
    const t = this.#peek();
    if (this.#isOp(t, '-') || this.#isOp(t, '+')) {
      this.#next();
      const operand = single ? this.#parseDurPrimary() : this.#parseDurExpr(UNARY_OPERAND_PRECEDENCE);
      if (operand.type === 'DurationLiteral' && t.text === '-') {
        return { ...operand, val: -operand.val, pos: { start: t.start, end: operand.pos.end } };
      }
      return {
        type: 'DurationUnary',
        op: t.text as '-' | '+',
        expr: operand,
        pos: { start: t.start, end: operand.pos.end },
      };
    }
    return this.#parseDurPrimary();
  }

  #parseDurPrimary(): DurationExpr {
    const t = this.#next();
    const pos = { start: t.start, end: t.end };
    if (t.kind === 'number') return { type: 'DurationLiteral', val: t.value, duration: false, pos };
    if (t.kind === 'duration') return { type: 'DurationLiteral', val: t.value / 1000, duration: true, pos };
    if (this.#isOp(t, '(')) {
      const inner = this.#parseDurExpr(0);
      const close = this.#expectOp(')', 'duration expression');
      return { type: 'DurationParen', expr: inner, pos: { start: t.start, end: close.end } };
    }
    const func = t.kind === 'ident' ? t.text.toLowerCase() : '';
    if (
      (func === 'step' || func === 'range' || func === 'min_of' || func === 'max_of') &&
      this.#isOp(this.#peek(), '(')
    ) {
      this.#next();
      const args: DurationExpr[] = [];
      if (func === 'min_of' || func === 'max_of') {
        args.push(this.#parseDurExpr(0));
        this.#expectOp(',', 'duration expression');
        args.push(this.#parseDurExpr(0));
      }
      const close = this.#expectOp(')', 'duration expression');
      return { type: 'DurationCall', func, args, pos: { start: t.start, end: close.end } };
    }
    return this.#unexpected(t, 'duration expression', 'number or duration');
  }

  // --- primaries ---

  #parsePrimary(): Expr {
    const t = this.#peek();
    switch (t.kind) {
      case 'number':
        this.#next();
        return { type: 'NumberLiteral', val: t.value, pos: { start: t.start, end: t.end } };
      case 'duration':
        this.#next();
        return {
          type: 'NumberLiteral',
          val: t.value / 1000,
          duration: true,
          pos: { start: t.start, end: t.end },
        };
      case 'string':
        this.#next();
        return { type: 'StringLiteral', val: t.text, pos: { start: t.start, end: t.end } };
      case 'op':
        if (t.text === '(') {
          this.#next();
          const inner = this.#parseBinary(0);
          const close = this.#next();
          // No error rule on parentheses in Prometheus' grammar: the generic message.
          if (!this.#isOp(close, ')')) this.#unexpected(close);
          return { type: 'ParenExpr', expr: inner, pos: { start: t.start, end: close.end } };
        }
        if (t.text === '{') return this.#parseSelector(null);
        return this.#unexpected(t);
      case 'ident':
        return this.#parseWord(t);
      case 'eof':
        return this.#unexpected(t);
    }
  }

  #parseWord(t: Token): Expr {
    const lower = t.text.toLowerCase();
    if (AGGREGATORS.has(lower)) {
      const n = this.#peek(1);
      if (this.#isOp(n, '(') || this.#isWord(n, 'by') || this.#isWord(n, 'without'))
        return this.#parseAggregate();
    }
    if (this.#isOp(this.#peek(1), '(')) return this.#parseCall();
    if (WORD_OPERATORS.has(lower) || KEYWORDS.has(lower) || AGGREGATORS.has(lower)) this.#unexpected(t);
    return this.#parseSelector(t);
  }

  #parseCall(): Expr {
    const nameTok = this.#next();
    const f = getFunction(nameTok.text);
    if (f === undefined) this.#fail(`unknown function with name "${nameTok.text}"`, nameTok);
    this.#next();
    const args: Expr[] = [];
    if (!this.#isOp(this.#peek(), ')')) {
      for (;;) {
        this.#bypassEmptyMatcherCheck = f.name === 'info' && args.length === 1;
        args.push(this.#parseBinary(0));
        this.#bypassEmptyMatcherCheck = false;
        const sep = this.#peek();
        if (this.#isOp(sep, ',')) {
          this.#next();
          if (this.#isOp(this.#peek(), ')'))
            this.#fail('trailing commas not allowed in function call args', sep);
          continue;
        }
        if (this.#isOp(sep, ')')) break;
        // No error rule on a call's arguments in Prometheus' grammar: the generic message.
        this.#unexpected(sep);
      }
    }
    const close = this.#next();
    const pos = { start: nameTok.start, end: close.end };
    const { min, max } = argCountRange(f);
    const name = f.name;
    if (min === max && args.length !== min) {
      this.#fail(`expected ${min} argument(s) in call to "${name}", got ${args.length}`, pos);
    } else if (args.length < min) {
      this.#fail(`expected at least ${min} argument(s) in call to "${name}", got ${args.length}`, pos);
    } else if (args.length > max) {
      this.#fail(`expected at most ${max} argument(s) in call to "${name}", got ${args.length}`, pos);
    }
    if (name === 'info' && args.length > 1) {
      const sel = args[1];
      if (sel.type !== 'VectorSelector') this.#fail('expected label selectors only', sel.pos);
      else if (sel.name !== '')
        this.#fail('expected label selectors only, got vector selector instead', sel.pos);
    }
    args.forEach((a, i) => {
      const want = argType(f, i);
      const got = typeOf(a);
      if (want !== got) {
        this.#fail(
          `expected type ${describeType(want)} in call to function "${name}", got ${describeType(got)}`,
          a.pos,
        );
      }
    });
    return { type: 'Call', func: name, args, pos };
  }

  #parseAggregate(): Expr {
    const opTok = this.#next();
    const op = opTok.text.toLowerCase() as AggregateOp;
    let grouping: string[] = [];
    let without = false;
    let groupingSeen = false;
    const g = this.#peek();
    if (this.#isWord(g, 'by') || this.#isWord(g, 'without')) {
      this.#next();
      without = this.#isWord(g, 'without');
      grouping = this.#parseLabelList('grouping opts');
      groupingSeen = true;
    }
    this.#expectOp('(', 'aggregation');
    const args: Expr[] = [];
    if (this.#isOp(this.#peek(), ')')) {
      this.#fail('no arguments for aggregate expression provided', {
        start: opTok.start,
        end: this.#next().end,
      });
    }
    this.#aggregationDepth++;
    for (;;) {
      args.push(this.#parseBinary(0));
      const sep = this.#next();
      if (this.#isOp(sep, ',')) {
        // The body is a function call body in Prometheus' grammar, with the same rule.
        if (this.#isOp(this.#peek(), ')'))
          this.#fail('trailing commas not allowed in function call args', sep);
        continue;
      }
      if (this.#isOp(sep, ')')) break;
      this.#unexpected(sep);
    }
    this.#aggregationDepth--;
    let end = this.#toks[this.#i - 1].end;
    const after = this.#peek();
    if (this.#isWord(after, 'by') || this.#isWord(after, 'without')) {
      if (groupingSeen) this.#unexpected(after, 'aggregation');
      this.#next();
      without = this.#isWord(after, 'without');
      grouping = this.#parseLabelList('grouping opts');
      end = this.#toks[this.#i - 1].end;
    }
    const pos = { start: opTok.start, end };
    const wantArgs = AGGREGATORS_WITH_PARAM.has(op) ? 2 : 1;
    if (args.length !== wantArgs) {
      this.#fail(
        `wrong number of arguments for aggregate expression provided, expected ${wantArgs}, got ${args.length}`,
        pos,
      );
    }
    const expr = args[wantArgs - 1];
    const param = wantArgs === 2 ? args[0] : null;
    const et = typeOf(expr);
    if (et !== 'vector')
      this.#fail(`expected type instant vector in aggregation expression, got ${describeType(et)}`, expr.pos);
    if (param !== null) {
      const want: ValueType = op === 'count_values' ? 'string' : 'scalar';
      const pt = typeOf(param);
      if (pt !== want)
        this.#fail(
          `expected type ${describeType(want)} in aggregation parameter, got ${describeType(pt)}`,
          param.pos,
        );
    }
    const a: AggregateExpr = { type: 'AggregateExpr', op, expr, param, grouping, without, pos };
    return a;
  }

  /** `( label, … )` with an optional trailing comma; labels are words or quoted strings. */
  #parseLabelList(context: string): string[] {
    this.#expectOp('(', context);
    const out: string[] = [];
    for (;;) {
      const t = this.#next();
      if (this.#isOp(t, ')')) return out;
      if (t.kind === 'ident' || t.kind === 'string') {
        if (t.kind === 'ident' && t.text.includes(':')) this.#unexpected(t, context, 'label');
        out.push(t.text);
      } else {
        this.#unexpected(t, context, 'label');
      }
      const sep = this.#next();
      if (this.#isOp(sep, ')')) return out;
      if (!this.#isOp(sep, ',')) this.#unexpected(sep, context, '"," or ")"');
    }
  }

  /** A vector selector: `name`, `name{…}` or `{…}`; `nameTok` is the metric name word if any. */
  #parseSelector(nameTok: Token | null): VectorSelector {
    const bypassEmptyCheck = this.#bypassEmptyMatcherCheck;
    this.#bypassEmptyMatcherCheck = false;
    let name = '';
    let start: number;
    let end: number;
    const matchers: Matcher[] = [];
    if (nameTok !== null) {
      this.#next();
      name = nameTok.text;
      start = nameTok.start;
      end = nameTok.end;
    } else {
      start = this.#peek().start;
      end = start;
    }
    if (this.#isOp(this.#peek(), '{')) {
      this.#next();
      for (;;) {
        const t = this.#next();
        if (this.#isOp(t, '}')) {
          end = t.end;
          break;
        }
        let labelName: string;
        if (t.kind === 'string' && !MATCH_OPS.has(this.#peek().text)) {
          if (name !== '') this.#fail(`metric name must not be set twice: "${name}" or "${t.text}"`, t);
          name = t.text;
        } else if ((t.kind === 'ident' && !t.text.includes(':')) || t.kind === 'string') {
          labelName = t.text;
          const opTok = this.#next();
          if (opTok.kind !== 'op' || !MATCH_OPS.has(opTok.text)) {
            this.#unexpected(opTok, 'label matching', 'label matching operator');
          }
          const v = this.#next();
          if (v.kind !== 'string') this.#unexpected(v, 'label matching', 'string');
          try {
            matchers.push(new Matcher(opTok.text as MatchType, labelName, v.text));
          } catch (err) {
            if (err instanceof RegexSyntaxError) this.#fail(err.message, { start: t.start, end: v.end });
            throw err;
          }
        } else {
          this.#unexpected(t, 'label matching', 'label matching operator');
        }
        const sep = this.#next();
        if (this.#isOp(sep, '}')) {
          end = sep.end;
          break;
        }
        if (!this.#isOp(sep, ',')) this.#unexpected(sep, 'label matching', '"," or "}"');
      }
    }
    if (name !== '') {
      if (matchers.some((m) => m.name === METRIC_NAME)) {
        this.#fail(
          `metric name must not be set twice: "${name}" or "${matchers.find((m) => m.name === METRIC_NAME)!.value}"`,
          {
            start,
            end,
          },
        );
      }
      matchers.push(new Matcher('=', METRIC_NAME, name));
    }
    if (!bypassEmptyCheck && !matchers.some((m) => !m.matchesEmpty())) {
      this.#fail('vector selector must contain at least one non-empty matcher', { start, end });
    }
    return {
      type: 'VectorSelector',
      name,
      matchers,
      offset: 0,
      originalOffset: 0,
      at: null,
      pos: { start, end },
    };
  }
}
