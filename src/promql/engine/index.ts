/** The PromQL engine: instant and range queries over a `Queryable`. */
export { Engine, defaultEngineOptions } from './engine.js';
export type { EngineOptions, QueryOptions, QueryOutcome } from './engine.js';
export {
  QueryCanceledError,
  QueryError,
  QueryTimeoutError,
  TooManySamplesError,
  abortedError,
} from './errors.js';
export type { QueryStage } from './errors.js';
export { QueryGate } from './query-gate.js';
export type { QueryResult, RangeSeries, ResultSeries, Sample, StepValue, Vector } from './value.js';
