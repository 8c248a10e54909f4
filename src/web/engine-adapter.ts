/** Adapts `promql/engine`'s `Engine` to the API's `QueryEngine`. */
import type { Engine } from '../promql/engine/engine.js';
import type { QueryEngine } from './sources.js';

/**
 * The one place the API calls the engine: the async entry points, which wait for a slot under
 * `--query.max-concurrency` and yield to the event loop while they evaluate, so scraping goes on.
 */
export function engineAdapter(engine: Engine): QueryEngine {
  return {
    instantQuery: (q, query, t, o) => engine.instantQueryAsync(q, query, t, o),
    rangeQuery: (q, query, start, end, step, o) => engine.rangeQueryAsync(q, query, start, end, step, o),
  };
}
