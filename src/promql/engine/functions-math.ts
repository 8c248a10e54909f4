/** Element-wise math functions on instant vectors (abs, ceil, clamp, round, …). */
import type { FunctionImpl } from './functions.js';
import { scalarArg, vectorArg } from './function-args.js';
import type { StepValue } from './value.js';

type Fn = (v: number) => number;

function elementwise(f: Fn): FunctionImpl {
  return ({ args }): StepValue => ({
    type: 'vector',
    samples: vectorArg(args[0]).map((s) => ({ labels: s.labels, v: f(s.v), dropName: true })),
  });
}

function sgn(v: number): number {
  return Number.isNaN(v) ? NaN : v > 0 ? 1 : v < 0 ? -1 : 0;
}

const SIMPLE: [string, Fn][] = [
  ['abs', Math.abs],
  ['ceil', Math.ceil],
  ['floor', Math.floor],
  ['exp', Math.exp],
  ['sqrt', Math.sqrt],
  ['ln', Math.log],
  ['log2', Math.log2],
  ['log10', Math.log10],
  ['sgn', sgn],
  ['sin', Math.sin],
  ['cos', Math.cos],
  ['tan', Math.tan],
  ['asin', Math.asin],
  ['acos', Math.acos],
  ['atan', Math.atan],
  ['sinh', Math.sinh],
  ['cosh', Math.cosh],
  ['tanh', Math.tanh],
  ['asinh', Math.asinh],
  ['acosh', Math.acosh],
  ['atanh', Math.atanh],
  ['deg', (v) => (v * 180) / Math.PI],
  ['rad', (v) => (v * Math.PI) / 180],
];

const round: FunctionImpl = ({ args }) => {
  const to = args.length > 1 ? scalarArg(args[1]) : 1;
  const inv = 1 / to;
  return {
    type: 'vector',
    samples: vectorArg(args[0]).map((s) => ({
      labels: s.labels,
      dropName: true,
      v: Math.floor(s.v * inv + 0.5) / inv,
    })),
  };
};

function clampWith(lo: (a: StepValue[]) => number, hi: (a: StepValue[]) => number): FunctionImpl {
  return ({ args }) => {
    const min = lo(args);
    const max = hi(args);
    if (max < min) return { type: 'vector', samples: [] };
    return {
      type: 'vector',
      samples: vectorArg(args[0]).map((s) => ({
        labels: s.labels,
        dropName: true,
        v: Math.max(min, Math.min(max, s.v)),
      })),
    };
  };
}

/** The math functions by name. */
export const MATH_FUNCTIONS: [string, FunctionImpl][] = [
  ...SIMPLE.map(([n, f]): [string, FunctionImpl] => [n, elementwise(f)]),
  ['round', round],
  [
    'clamp',
    clampWith(
      (a) => scalarArg(a[1]),
      (a) => scalarArg(a[2]),
    ),
  ],
  [
    'clamp_min',
    clampWith(
      (a) => scalarArg(a[1]),
      () => Infinity,
    ),
  ],
  [
    'clamp_max',
    clampWith(
      () => -Infinity,
      (a) => scalarArg(a[1]),
    ),
  ],
];
