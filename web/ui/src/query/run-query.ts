/** Executes a panel's query: instant for the Table tab, range for the Graph tab. */
import { fetchAPI } from '../api/client.js';
import type { QueryResult } from '../lib/api-types.js';
import type { Grid } from '../lib/series-data.js';
import { panelGrid, type PanelState } from '../lib/url-state.js';

export interface QueryOutcome {
  result: QueryResult;
  /** The range query's grid (Graph tab only). */
  grid: Grid | null;
  warnings: string[];
  infos: string[];
  /** Round trip in the browser, ms. */
  elapsedMs: number;
}

export async function runQuery(p: PanelState, signal: AbortSignal): Promise<QueryOutcome> {
  const started = performance.now();
  if (p.tab === 'graph') {
    const grid = panelGrid(p, Date.now());
    const r = await fetchAPI<QueryResult>(
      '/query_range',
      {
        query: p.expr,
        start: String(grid.start),
        end: String(grid.end),
        step: String(grid.step),
        stats: 'true',
      },
      signal,
    );
    return {
      result: r.data,
      grid,
      warnings: r.warnings,
      infos: r.infos,
      elapsedMs: performance.now() - started,
    };
  }
  const time = p.endMs === null ? undefined : String(p.endMs / 1000);
  const r = await fetchAPI<QueryResult>('/query', { query: p.expr, time, stats: 'true' }, signal);
  return {
    result: r.data,
    grid: null,
    warnings: r.warnings,
    infos: r.infos,
    elapsedMs: performance.now() - started,
  };
}
