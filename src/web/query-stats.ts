/** Query statistics as Prometheus reports them (`stats=true`, and in the query log). */

/** Timings in seconds and sample counts, in Prometheus' field order. */
export interface QueryStats {
  readonly timings: {
    readonly evalTotalTime: number;
    readonly resultSortTime: number;
    readonly queryPreparationTime: number;
    readonly innerEvalTime: number;
    readonly execQueueTime: number;
    readonly execTotalTime: number;
  };
  readonly samples: {
    readonly totalQueryableSamples: number;
    readonly peakSamples: number;
  };
}

/**
 * Statistics from what the API can measure around the engine call: the engine does not yet
 * report its phases or sample counts, so the whole call counts as evaluation and the counts are 0.
 */
export function measuredStats(queueSeconds: number, evalSeconds: number): QueryStats {
  return {
    timings: {
      evalTotalTime: evalSeconds,
      resultSortTime: 0,
      queryPreparationTime: 0,
      innerEvalTime: evalSeconds,
      execQueueTime: queueSeconds,
      execTotalTime: queueSeconds + evalSeconds,
    },
    samples: { totalQueryableSamples: 0, peakSamples: 0 },
  };
}
