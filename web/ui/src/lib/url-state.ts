/**
 * The Query page's state in the URL, in Prometheus' format, so links between Prometheus and Vigil
 * (and old bookmarks of `/graph?…`) keep working: `g0.expr=…&g0.tab=graph&g0.stacked=0&
 * g0.range_input=1h&g0.end_input=2024-05-01 12:00:00&g0.step_input=15`, one `gN.` prefix a panel.
 */
import { autoStepSeconds, formatDuration, tryParseDuration } from './duration.js';
import { formatUTCInput, parseTimeInput } from './format-value.js';
import type { Grid } from './series-data.js';

export type PanelTab = 'table' | 'graph';

/** One query panel. */
export interface PanelState {
  expr: string;
  tab: PanelTab;
  /** Graph range in milliseconds. */
  rangeMs: number;
  /** End of the graph, or the table's evaluation time, in ms; `null` means "now". */
  endMs: number | null;
  /** Resolution in seconds; `null` picks one from the range. */
  stepSec: number | null;
  stacked: boolean;
}

export const DEFAULT_RANGE_MS = 3600_000;

export function newPanel(expr = ''): PanelState {
  return { expr, tab: 'table', rangeMs: DEFAULT_RANGE_MS, endMs: null, stepSec: null, stacked: false };
}

/**
 * Panels from a query string (`?g0.expr=…`). Panels are read from g0 upward until one has no
 * `expr`, as Prometheus does. Accepts the old console's values too: `tab=0|1`, `stacked=1`,
 * `moment_input` (the table's time), and the new console's `display_mode` and `res_step`.
 */
export function decodePanels(search: string): PanelState[] {
  const params = new URLSearchParams(search);
  const panels: PanelState[] = [];
  for (let i = 0; params.has(`g${i}.expr`); i++) {
    const get = (key: string): string | null => params.get(`g${i}.${key}`);
    const panel = newPanel(get('expr') ?? '');
    const tab = get('tab');
    // The old console numbered its tabs: 0 graph, 1 table.
    if (tab === 'graph' || tab === '0') panel.tab = 'graph';
    else if (tab === 'table' || tab === '1') panel.tab = 'table';
    const stacked = get('stacked');
    if (stacked !== null) panel.stacked = stacked === '1' || stacked === 'true';
    const mode = get('display_mode');
    if (mode !== null) panel.stacked = mode === 'stacked';
    const range = get('range_input');
    if (range !== null) {
      const ms = tryParseDuration(range);
      if (ms !== null && ms > 0) panel.rangeMs = ms;
    }
    // end_input (graph) and moment_input (table) name one instant; the tab's own one wins.
    const end = get('end_input');
    const moment = get('moment_input');
    const time = panel.tab === 'table' ? (moment ?? end) : (end ?? moment);
    if (time !== null) panel.endMs = parseTimeInput(time);
    panel.stepSec = parseStep(get('step_input')) ?? parseStep(get('res_step'));
    panels.push(panel);
  }
  return panels;
}

function parseStep(text: string | null): number | null {
  if (text === null || text.trim() === '') return null;
  const n = Number(text);
  if (Number.isFinite(n) && n > 0) return n;
  const ms = tryParseDuration(text);
  return ms !== null && ms > 0 ? ms / 1000 : null;
}

/** The query string (without `?`) for panels, in the field order Prometheus writes. */
export function encodePanels(panels: readonly PanelState[]): string {
  const params = new URLSearchParams();
  panels.forEach((p, i) => {
    const set = (key: string, value: string): void => params.set(`g${i}.${key}`, value);
    set('expr', p.expr);
    set('tab', p.tab);
    set('stacked', p.stacked ? '1' : '0');
    set('range_input', formatDuration(p.rangeMs));
    if (p.endMs !== null) {
      set('end_input', formatUTCInput(p.endMs));
      set('moment_input', formatUTCInput(p.endMs));
    }
    if (p.stepSec !== null) set('step_input', String(p.stepSec));
  });
  // URLSearchParams writes spaces as '+'; Prometheus' links use %20, and both decode the same.
  return params.toString().replace(/\+/g, '%20');
}

/**
 * The grid a Graph tab asks `query_range` for, in whole seconds: end (now when unset), start =
 * end − range, and the step (Prometheus' automatic one when unset).
 */
export function panelGrid(p: PanelState, nowMs: number): Grid {
  const end = Math.round((p.endMs ?? nowMs) / 1000);
  const step = p.stepSec ?? autoStepSeconds(p.rangeMs);
  return { start: end - Math.round(p.rangeMs / 1000), end, step };
}
