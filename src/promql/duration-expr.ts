/** Evaluating and printing duration expressions (`x[5m * 2]`, `x offset (1h / 2)`). */
import { formatDuration } from '../model/index.js';
import type { DurationExpr } from './ast.js';
import { formatFloat } from './printer-float.js';
import { applyArithmetic } from './arithmetic.js';

/** The value in seconds, or `undefined` when it depends on `step()` or `range()`. */
export function constantDuration(e: DurationExpr): number | undefined {
  return evalDuration(e, undefined);
}

/**
 * The value in seconds, given the query's step and range in seconds (both `0` for instant
 * queries); `undefined` when `step()`/`range()` are used and no context is given.
 */
export function evalDuration(
  e: DurationExpr,
  ctx: { step: number; range: number } | undefined,
): number | undefined {
  switch (e.type) {
    case 'DurationLiteral':
      return e.val;
    case 'DurationParen':
      return evalDuration(e.expr, ctx);
    case 'DurationUnary': {
      const v = evalDuration(e.expr, ctx);
      return v === undefined ? undefined : e.op === '-' ? -v : v;
    }
    case 'DurationBinary': {
      const l = evalDuration(e.lhs, ctx);
      const r = evalDuration(e.rhs, ctx);
      if (l === undefined || r === undefined) return undefined;
      return applyArithmetic(e.op, l, r);
    }
    case 'DurationCall': {
      if (e.func === 'step') return ctx?.step;
      if (e.func === 'range') return ctx?.range;
      const a = evalDuration(e.args[0], ctx);
      const b = evalDuration(e.args[1], ctx);
      if (a === undefined || b === undefined) return undefined;
      return e.func === 'min_of' ? Math.min(a, b) : Math.max(a, b);
    }
  }
  return undefined;
}

/** A duration expression as PromQL text: `5m * 2`, `(1h / 2)`, `min_of(step(), 5s)`. */
export function formatDurationExpr(e: DurationExpr): string {
  switch (e.type) {
    case 'DurationLiteral': {
      if (!e.duration) return formatFloat(e.val);
      const ms = Math.round(e.val * 1000);
      return ms < 0 ? `-${formatDuration(-ms)}` : formatDuration(ms);
    }
    case 'DurationParen':
      return `(${formatDurationExpr(e.expr)})`;
    case 'DurationUnary':
      return `${e.op === '-' ? '-' : ''}${formatDurationExpr(e.expr)}`;
    case 'DurationBinary':
      return `${formatDurationExpr(e.lhs)} ${e.op} ${formatDurationExpr(e.rhs)}`;
    case 'DurationCall':
      return `${e.func}(${e.args.map(formatDurationExpr).join(', ')})`;
  }
}
