/** Adapts `promql/engine`'s `Engine` to the API's `QueryEngine`. */
import type { Engine } from '../promql/engine/engine.js';
import type { QueryEngine } from './sources.js';

/**
 * The one place the API calls the engine. The engine is synchronous today: the promise executor
 * runs it at once and turns a throw into a rejection. Once the engine returns promises these
 * lines stay as they are (resolving with a promise adopts it); only the method names change if
 * the async versions get new ones.
 */
export function engineAdapter(engine: Engine): QueryEngine {
  return {
    instantQuery: (q, query, t, o) => new Promise((resolve) => resolve(engine.instantQuery(q, query, t, o))),
    rangeQuery: (q, query, start, end, step, o) =>
      new Promise((resolve) => resolve(engine.rangeQuery(q, query, start, end, step, o))),
  };
}
