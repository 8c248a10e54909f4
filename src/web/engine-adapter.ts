/** Adapts `promql/engine`'s `Engine` to the API's `QueryEngine`. */
import type { Engine } from '../promql/engine/engine.js';
import type { QueryEngine } from './sources.js';

/**
 * The one place the API calls the engine. The engine is synchronous today; these async wrappers
 * turn its throws into rejections, and keep working unchanged once the engine returns promises
 * (an async function resolves with the promise it returns).
 */
export function engineAdapter(engine: Engine): QueryEngine {
  return {
    instantQuery: async (q, query, t, o) => engine.instantQuery(q, query, t, o),
    rangeQuery: async (q, query, start, end, step, o) => engine.rangeQuery(q, query, start, end, step, o),
  };
}
