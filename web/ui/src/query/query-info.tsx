/** A line under the editor: how long the query took, how much it returned, and the server's stats. */
import type { QueryResult } from '../lib/api-types.js';
import { formatSeconds } from '../lib/duration.js';
import type { QueryOutcome } from './run-query.js';

function resultSize(r: QueryResult): string {
  if (r.resultType === 'scalar' || r.resultType === 'string') return r.resultType;
  return `${r.result.length} series`;
}

export function QueryInfo({ outcome }: { outcome: QueryOutcome }) {
  const stats = outcome.result.stats;
  const parts = [`Load time: ${Math.round(outcome.elapsedMs)}ms`, `Result: ${resultSize(outcome.result)}`];
  if (outcome.grid !== null) parts.push(`Resolution: ${outcome.grid.step}s`);
  const evalTime = stats?.timings?.evalTotalTime;
  if (evalTime !== undefined) parts.push(`Eval: ${formatSeconds(evalTime)}`);
  const samples = stats?.samples?.totalQueryableSamples;
  if (samples !== undefined) parts.push(`Samples: ${samples.toLocaleString('en')}`);
  const peak = stats?.samples?.peakSamples;
  if (peak !== undefined) parts.push(`Peak samples: ${peak.toLocaleString('en')}`);
  return <div class="query-info">{parts.join(' · ')}</div>;
}
