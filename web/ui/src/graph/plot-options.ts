/** uPlot options for a panel: axes in the theme's colours, SI ticks, UTC time, stacking bands. */
import uPlot from 'uplot';
import { seriesColor } from '../lib/colors.js';
import { formatSI } from '../lib/format-value.js';
import { isolatedPoints } from '../lib/series-data.js';

// 24-hour UTC tick labels, as Prometheus' console shows them; uPlot's table format: tick size,
// its label, then the label added where the year / month / day / hour / minute / second rolls over.
const TIME_TICKS: (string | number | null)[][] = [
  [3600 * 24 * 365, '{YYYY}', null, null, null, null, null, null, 1],
  [3600 * 24 * 28, '{MMM}', '\n{YYYY}', null, null, null, null, null, 1],
  [3600 * 24, '{MM}-{DD}', '\n{YYYY}', null, null, null, null, null, 1],
  [3600, '{HH}:{mm}', '\n{YYYY}-{MM}-{DD}', null, '\n{MM}-{DD}', null, null, null, 1],
  [60, '{HH}:{mm}', '\n{YYYY}-{MM}-{DD}', null, '\n{MM}-{DD}', null, null, null, 1],
  [1, '{HH}:{mm}:{ss}', '\n{YYYY}-{MM}-{DD}', null, '\n{MM}-{DD}', null, null, null, 1],
  [0.001, '{HH}:{mm}:{ss}.{fff}', '\n{YYYY}-{MM}-{DD}', null, '\n{MM}-{DD}', null, null, null, 1],
];

export interface PlotStyle {
  dark: boolean;
  fg: string;
  grid: string;
}

/** Reads the theme's colours from CSS variables: the canvas cannot use them directly. */
export function plotStyle(dark: boolean): PlotStyle {
  const css = getComputedStyle(document.documentElement);
  return {
    dark,
    fg: css.getPropertyValue('--fg-muted').trim() || '#666',
    grid: css.getPropertyValue('--grid').trim() || '#ddd',
  };
}

export interface PlotSeriesSpec {
  label: string;
  show: boolean;
}

export function plotOptions(
  specs: readonly PlotSeriesSpec[],
  stacked: boolean,
  style: PlotStyle,
  width: number,
  height: number,
  hooks: uPlot.Hooks.Arrays,
): uPlot.Options {
  const axis = (extra: Partial<uPlot.Axis>): uPlot.Axis => ({
    stroke: style.fg,
    grid: { stroke: style.grid, width: 1 },
    ticks: { stroke: style.grid, width: 1 },
    ...extra,
  });
  const series: uPlot.Series[] = [
    {},
    ...specs.map((s, i) => {
      const color = seriesColor(i, style.dark);
      return {
        label: s.label,
        show: s.show,
        stroke: color,
        width: 1.5,
        spanGaps: false,
        // Lines only, except points with no neighbour, which a line cannot draw.
        points: {
          show: false,
          size: 5,
          fill: color,
          filter: (u: uPlot, seriesIdx: number) => {
            const idxs = isolatedPoints(u.data[seriesIdx]);
            return idxs.length > 0 ? idxs : null;
          },
        },
        fill: stacked ? color.replace('hsl(', 'hsla(').replace(/\)$/, ', 0.35)') : undefined,
      };
    }),
  ];
  // Stacked areas fill between a series and the shown one below it, not down to zero.
  const bands: uPlot.Band[] = [];
  if (stacked) {
    let below = -1;
    specs.forEach((s, i) => {
      if (!s.show) return;
      if (below >= 0) bands.push({ series: [i + 1, below + 1] });
      below = i;
    });
  }
  return {
    width,
    height,
    series,
    bands,
    legend: { show: false },
    scales: { x: { time: true } },
    // Times read in UTC everywhere in the console, as in the URL's end_input.
    tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
    axes: [
      axis({ values: TIME_TICKS }),
      axis({ size: 56, values: (_u, splits) => splits.map((v) => formatSI(v)) }),
    ],
    // A drag selects a new range; the panel re-queries it rather than uPlot zooming the old data.
    cursor: { drag: { x: true, y: false, setScale: false }, focus: { prox: 24 } },
    focus: { alpha: 0.35 },
    hooks,
  };
}
