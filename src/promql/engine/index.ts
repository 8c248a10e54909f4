/** The PromQL engine: instant and range queries over a `Queryable`. */
export { Engine, defaultEngineOptions } from './engine.js';
export type { EngineOptions, QueryOptions, QueryOutcome } from './engine.js';
export { QueryCancelledError, QueryError, TooManySamplesError } from './errors.js';
export type { QueryResult, RangeSeries, ResultSeries, Sample, StepValue, Vector } from './value.js';
