/** The engine's function table: each PromQL function name mapped to its implementation. */
import type { Call, Expr } from '../ast.js';
import { ANCHORED_FUNCTIONS, SMOOTHED_FUNCTIONS } from '../grammar.js';
import { QueryError } from './errors.js';
import type { Evaluator } from './evaluator.js';
import { info } from './functions-info.js';
import { LABEL_FUNCTIONS } from './functions-labels.js';
import { MATH_FUNCTIONS } from './functions-math.js';
import { MISC_FUNCTIONS } from './functions-misc.js';
import { RANGE_FUNCTIONS } from './functions-range.js';
import type { StepValue } from './value.js';

/** What a function implementation receives. */
export interface FunctionContext {
  /** The arguments, evaluated at the current step. */
  args: StepValue[];
  call: Call;
  ev: Evaluator;
  /** The step time. */
  t: number;
}

/** A function implementation. */
export type FunctionImpl = (ctx: FunctionContext) => StepValue;

const TABLE = new Map<string, FunctionImpl>([
  ...MATH_FUNCTIONS,
  ...RANGE_FUNCTIONS,
  ...LABEL_FUNCTIONS,
  ...MISC_FUNCTIONS,
  ['info', info],
]);

/** Whether the engine implements `name`. */
export function hasFunction(name: string): boolean {
  return TABLE.has(name);
}

/** The argument expressions evaluated for a call: info's second is a label selector for its own lookup. */
export function functionArgs(call: Call): Expr[] {
  return call.func === 'info' ? call.args.slice(0, 1) : call.args;
}

/** Applies a function to its arguments, evaluated at step `t` (see `functionArgs`). */
export function applyFunction(ev: Evaluator, call: Call, args: StepValue[], t: number): StepValue {
  const impl = TABLE.get(call.func);
  if (impl === undefined)
    throw new QueryError(`function "${call.func}" is not supported yet`, 'ERR_UNSUPPORTED');
  checkExtendedRange(call);
  const out = impl({ args, call, ev, t });
  if (out.type === 'vector') checkUnique(out.samples.map((s) => s.labels.key));
  return out;
}

/**
 * `anchored` and `smoothed` range selectors work with a few functions only; Prometheus rejects
 * the rest when the query is evaluated (the message has no position).
 */
function checkExtendedRange(call: Call): void {
  for (const a of call.args) {
    if (a.type !== 'MatrixSelector') continue;
    const vs = a.vectorSelector;
    const [modifier, allowed] = vs.smoothed
      ? ['smoothed', SMOOTHED_FUNCTIONS]
      : vs.anchored
        ? ['anchored', ANCHORED_FUNCTIONS]
        : ['', []];
    if (modifier !== '' && !allowed.includes(call.func))
      throw new QueryError(
        `${modifier} modifier can only be used with: ${allowed.join(', ')} - not with ${call.func}`,
      );
  }
}

/** Throws Prometheus' error when a function's output has two series with the same labels. */
export function checkUnique(keys: string[]): void {
  const seen = new Set<string>();
  for (const k of keys) {
    if (seen.has(k)) throw new QueryError('vector cannot contain metrics with the same labelset');
    seen.add(k);
  }
}
