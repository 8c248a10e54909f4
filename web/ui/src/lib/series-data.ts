/**
 * Range-query results to the column arrays uPlot draws: one shared x array (Unix seconds) and one
 * y array a series, `null` where the series has no point. Gaps stay gaps, never drawn across.
 */
import type { RangeSeries } from './api-types.js';

/** One x column and one y column a series, as uPlot's `AlignedData` wants. */
export type Columns = [number[], ...(number | null)[][]];

export interface GraphData {
  columns: Columns;
  /** NaN and ±Inf samples, which cannot be drawn and are left as gaps. */
  nonFinite: number;
  /** Native-histogram samples, which the line graph does not draw. */
  histograms: number;
}

/** The query's grid: `start`, `end` and `step` in seconds, as sent to `query_range`. */
export interface Grid {
  start: number;
  end: number;
  step: number;
}

// Timestamps come as float seconds (`1435781430.781`); this is how far one may sit from the grid.
const EPSILON = 1e-6;

/**
 * Aligns series on the query's grid in one pass: O(points), no sorting and no maps. A point off
 * the grid (a server that does not step exactly) falls back to the sorted union of all timestamps.
 */
export function toColumns(series: readonly RangeSeries[], grid: Grid): GraphData {
  const n = grid.step > 0 ? Math.floor((grid.end - grid.start) / grid.step + EPSILON) + 1 : 0;
  return (n > 0 && n <= 1_000_000 && alignOnGrid(series, grid, n)) || alignOnUnion(series);
}

function alignOnGrid(series: readonly RangeSeries[], grid: Grid, n: number): GraphData | null {
  const xs = new Array<number>(n);
  for (let k = 0; k < n; k++) xs[k] = grid.start + k * grid.step;
  const columns: Columns = [xs];
  const counts = { nonFinite: 0, histograms: 0 };
  for (const s of series) {
    const ys = new Array<number | null>(n).fill(null);
    const values = s.values ?? [];
    for (let i = 0; i < values.length; i++) {
      const t = values[i][0];
      const k = Math.round((t - grid.start) / grid.step);
      if (k < 0 || k >= n || Math.abs(xs[k] - t) > EPSILON * Math.max(1, t)) return null;
      const v = toFinite(values[i][1]);
      if (v === null) counts.nonFinite++;
      else ys[k] = v;
    }
    counts.histograms += s.histograms?.length ?? 0;
    columns.push(ys);
  }
  return { columns, ...counts };
}

/** The value of a sample string, or `null` for NaN and ±Inf, which a line cannot show. */
function toFinite(text: string): number | null {
  // Fast path: `+text` is NaN for Go's "NaN", "+Inf" and "-Inf", so one check catches all three.
  const v = +text;
  return v - v === 0 ? v : null;
}

function alignOnUnion(series: readonly RangeSeries[]): GraphData {
  const times = new Set<number>();
  for (const s of series) for (const [t] of s.values ?? []) times.add(t);
  const xs = [...times].sort((a, b) => a - b);
  const index = new Map<number, number>();
  xs.forEach((t, i) => index.set(t, i));
  const columns: Columns = [xs];
  let nonFinite = 0;
  let histograms = 0;
  for (const s of series) {
    const ys = new Array<number | null>(xs.length).fill(null);
    for (const [t, text] of s.values ?? []) {
      const v = toFinite(text);
      if (v === null) nonFinite++;
      else ys[index.get(t) ?? 0] = v;
    }
    histograms += s.histograms?.length ?? 0;
    columns.push(ys);
  }
  return { columns, nonFinite, histograms };
}

/**
 * The indices of a column's isolated points: a value with a gap or an edge on both sides. A line
 * needs a neighbour, so such a point (a series' first scrape, a short-lived series, a wide step)
 * would not show at all; the graph draws these as dots.
 */
export function isolatedPoints(ys: ArrayLike<number | null | undefined>): number[] {
  const out: number[] = [];
  const gap = (k: number): boolean => k < 0 || k >= ys.length || ys[k] === null || ys[k] === undefined;
  for (let k = 0; k < ys.length; k++) if (!gap(k) && gap(k - 1) && gap(k + 1)) out.push(k);
  return out;
}

/**
 * Cumulative sums for a stacked graph: each shown series is drawn at its value plus those of the
 * shown series before it. A point where the series itself has no value stays a gap; a hidden
 * series adds nothing. Hover values must read the unstacked columns.
 */
export function stackColumns(columns: Columns, shown: readonly boolean[]): Columns {
  const [xs, ...ys] = columns;
  const sums = new Float64Array(xs.length);
  const out: Columns = [xs];
  ys.forEach((col, i) => {
    if (shown[i] === false) {
      out.push(col);
      return;
    }
    const stacked = new Array<number | null>(col.length);
    for (let k = 0; k < col.length; k++) {
      const v = col[k];
      if (v === null) stacked[k] = null;
      else stacked[k] = sums[k] += v;
    }
    out.push(stacked);
  });
  return out;
}
