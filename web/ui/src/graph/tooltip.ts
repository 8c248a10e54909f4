/**
 * The hover box: time and values under the cursor. Built with DOM calls, not a component, because
 * it changes on every mouse move and must not re-render the legend; text only, never HTML, since
 * label values come from scraped targets.
 */
import type { Columns } from '../lib/series-data.js';
import { formatSI, formatTimestamp } from '../lib/format-value.js';

export interface TooltipSeries {
  name: string;
  color: string;
  show: boolean;
}

const MAX_ROWS = 10;

/** Fills `box` for point `idx`; `focused` (0-based series) shows alone when set. */
export function renderTooltip(
  box: HTMLElement,
  raw: Columns,
  series: readonly TooltipSeries[],
  idx: number,
  focused: number | null,
): void {
  const el = (tag: string, cls: string, text?: string): HTMLElement => {
    const e = document.createElement(tag);
    e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  };
  box.replaceChildren(el('div', 'tt-time', formatTimestamp(raw[0][idx] * 1000)));
  let rows: { i: number; v: number }[] = [];
  if (focused !== null && raw[focused + 1][idx] !== null)
    rows = [{ i: focused, v: raw[focused + 1][idx] as number }];
  else {
    for (let i = 0; i < series.length; i++) {
      const v = raw[i + 1][idx];
      if (series[i].show && v !== null) rows.push({ i, v });
    }
    rows.sort((a, b) => b.v - a.v);
  }
  for (const { i, v } of rows.slice(0, MAX_ROWS)) {
    const row = el('div', 'tt-row');
    const swatch = el('span', 'swatch');
    swatch.style.background = series[i].color;
    row.append(swatch, el('span', 'tt-value', formatSI(v, 4)), el('span', 'tt-name', series[i].name));
    box.append(row);
  }
  if (rows.length > MAX_ROWS) box.append(el('div', 'tt-more', `… ${rows.length - MAX_ROWS} more`));
  if (rows.length === 0) box.append(el('div', 'tt-more', 'no value'));
}
