/** Helpers to read function arguments of a known type. */
import { QueryError } from './errors.js';
import type { WindowedMatrix } from './evaluator.js';
import type { StepValue, Vector } from './value.js';

/** The argument as an instant vector. */
export function vectorArg(v: StepValue | undefined): Vector {
  if (v?.type !== 'vector') throw new QueryError('expected an instant vector argument');
  return v.samples;
}

/** The argument as a scalar. */
export function scalarArg(v: StepValue | undefined): number {
  if (v?.type !== 'scalar') throw new QueryError('expected a scalar argument');
  return v.v;
}

/** The argument as a string. */
export function stringArg(v: StepValue | undefined): string {
  if (v?.type !== 'string') throw new QueryError('expected a string argument');
  return v.s;
}

/** The argument as a range vector with its window. */
export function matrixArg(v: StepValue | undefined): WindowedMatrix {
  if (v?.type !== 'matrix') throw new QueryError('expected a range vector argument');
  return v as WindowedMatrix;
}
