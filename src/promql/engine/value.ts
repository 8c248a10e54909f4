/** The values PromQL expressions evaluate to, as the engine passes them between steps. */
import type { Labels } from '../../model/labels.js';

/** One element of an instant vector at the current step. */
export interface Sample {
  labels: Labels;
  v: number;
  /** The sample's own timestamp when it comes straight from a selector (for `timestamp()`). */
  t?: number;
  /**
   * The metric name is to be dropped once the query's result is formed (Prometheus 3's delayed
   * name removal): kept until then so label_replace or `by (__name__)` can still see it.
   */
  dropName?: boolean;
}

/** An instant vector at one step. */
export type Vector = Sample[];

/**
 * One series of a range vector: views of the samples in the window, `ts` and `vs` equally long.
 * The arrays are views into the loaded series and valid for the current step only.
 */
export interface RangeSeries {
  labels: Labels;
  ts: Float64Array;
  vs: Float64Array;
}

/** The result of evaluating an expression at one step. */
export type StepValue =
  | { type: 'scalar'; v: number }
  | { type: 'string'; s: string }
  | { type: 'vector'; samples: Vector }
  | { type: 'matrix'; series: RangeSeries[] };

/** One series of a range-query result (or of a range vector from an instant query). */
export interface ResultSeries {
  labels: Labels;
  ts: Float64Array;
  vs: Float64Array;
}

/** What a query returns. */
export type QueryResult =
  | { type: 'scalar'; t: number; v: number }
  | { type: 'string'; t: number; s: string }
  | { type: 'vector'; t: number; samples: Vector }
  | { type: 'matrix'; series: ResultSeries[] };
