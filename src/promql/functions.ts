/**
 * The PromQL function table: every function of Prometheus 3's `functions.md` with its argument
 * types, how many trailing arguments are optional or repeated, and its return type. One source
 * of truth for the parser's type checks, the engine and the editor's completion.
 */
import type { ValueType } from './ast.js';

/** One function's signature. */
export interface FunctionSignature {
  name: string;
  /** The argument types in order; with `variadic` ≠ 0 the last one may be omitted or repeated. */
  argTypes: readonly ValueType[];
  /**
   * As in Prometheus: `0` means exactly `argTypes.length` arguments; `n > 0` means between
   * `argTypes.length - 1` and `argTypes.length - 1 + n` arguments; `-1` means at least
   * `argTypes.length - 1`, without upper bound. Extra arguments have the last argument's type.
   */
  variadic: number;
  returnType: ValueType;
  /** Only available with `--enable-feature=promql-experimental-functions`. */
  experimental: boolean;
}

const V: ValueType = 'vector';
const M: ValueType = 'matrix';
const S: ValueType = 'scalar';
const STR: ValueType = 'string';

function fn(
  name: string,
  argTypes: readonly ValueType[],
  returnType: ValueType,
  variadic = 0,
  experimental = false,
): FunctionSignature {
  return { name, argTypes, variadic, returnType, experimental };
}

const vectorToVector = [
  'abs',
  'ceil',
  'exp',
  'floor',
  'ln',
  'log2',
  'log10',
  'sgn',
  'sqrt',
  'timestamp',
  'histogram_avg',
  'histogram_count',
  'histogram_sum',
  'histogram_stddev',
  'histogram_stdvar',
  'acos',
  'acosh',
  'asin',
  'asinh',
  'atan',
  'atanh',
  'cos',
  'cosh',
  'sin',
  'sinh',
  'tan',
  'tanh',
  'deg',
  'rad',
];

const matrixToVector = [
  'absent_over_time',
  'changes',
  'delta',
  'deriv',
  'idelta',
  'increase',
  'irate',
  'rate',
  'resets',
  'avg_over_time',
  'min_over_time',
  'max_over_time',
  'sum_over_time',
  'count_over_time',
  'stddev_over_time',
  'stdvar_over_time',
  'last_over_time',
  'first_over_time',
  'present_over_time',
];

const experimentalMatrixToVector = [
  'mad_over_time',
  'ts_of_min_over_time',
  'ts_of_max_over_time',
  'ts_of_last_over_time',
  'ts_of_first_over_time',
];

/** `f(v=vector(time()) instant-vector)`: the date functions with an optional argument. */
const dateFunctions = [
  'day_of_month',
  'day_of_week',
  'day_of_year',
  'days_in_month',
  'hour',
  'minute',
  'month',
  'year',
];

const all: FunctionSignature[] = [
  ...vectorToVector.map((n) => fn(n, [V], V)),
  ...matrixToVector.map((n) => fn(n, [M], V)),
  ...experimentalMatrixToVector.map((n) => fn(n, [M], V, 0, true)),
  ...dateFunctions.map((n) => fn(n, [V], V, 1)),
  fn('absent', [V], V),
  fn('clamp', [V, S, S], V),
  fn('clamp_max', [V, S], V),
  fn('clamp_min', [V, S], V),
  fn('double_exponential_smoothing', [M, S, S], V, 0, true),
  fn('histogram_fraction', [S, S, V], V),
  fn('histogram_quantile', [S, V], V),
  fn('histogram_quantiles', [V, STR, S], V, 10, true),
  fn('info', [V, V], V, 1, true),
  fn('label_join', [V, STR, STR, STR], V, -1),
  fn('label_replace', [V, STR, STR, STR, STR], V),
  fn('predict_linear', [M, S], V),
  fn('quantile_over_time', [S, M], V),
  fn('round', [V, S], V, 1),
  fn('scalar', [V], S),
  fn('sort', [V], V),
  fn('sort_desc', [V], V),
  fn('sort_by_label', [V, STR], V, -1, true),
  fn('sort_by_label_desc', [V, STR], V, -1, true),
  fn('start_timestamp', [V], V),
  fn('time', [], S),
  fn('pi', [], S),
  fn('vector', [S], V),
  fn('start', [], S, 0, true),
  fn('end', [], S, 0, true),
  fn('range', [], S, 0, true),
  fn('step', [], S, 0, true),
  fn('max_of', [S, S], S, 0, true),
  fn('min_of', [S, S], S, 0, true),
];

/** Every PromQL function by name. */
export const FUNCTIONS: ReadonlyMap<string, FunctionSignature> = new Map(all.map((f) => [f.name, f]));

/** The signature of a function, or `undefined` when there is no such function. */
export function getFunction(name: string): FunctionSignature | undefined {
  return FUNCTIONS.get(name);
}

/** The smallest and largest number of arguments a function accepts (`Infinity` when unbounded). */
export function argCountRange(f: FunctionSignature): { min: number; max: number } {
  const n = f.argTypes.length;
  if (f.variadic === 0) return { min: n, max: n };
  if (f.variadic < 0) return { min: n - 1, max: Infinity };
  return { min: n - 1, max: n - 1 + f.variadic };
}

/** The expected type of argument `i` (the last declared type for repeated arguments). */
export function argType(f: FunctionSignature, i: number): ValueType {
  return f.argTypes[Math.min(i, f.argTypes.length - 1)];
}
