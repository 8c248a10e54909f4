/**
 * A range query drawn with uPlot: legend (click to toggle a series), hover values, drag to select
 * a new range. Each (re)build is timed as `vigil:graph-render` — data transformation through the
 * first draw — which `bench/ui-render` reads.
 */
import { useContext, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { RangeSeries } from '../lib/api-types.js';
import { seriesColor } from '../lib/colors.js';
import { formatSeriesName } from '../lib/format-labels.js';
import { stackColumns, toColumns, type Grid } from '../lib/series-data.js';
import { ThemeContext } from '../theme-context.js';
import { Legend } from './legend.js';
import { plotOptions, plotStyle } from './plot-options.js';
import { renderTooltip } from './tooltip.js';

/** Keyed by result in the panel, so a new result starts with all series shown. */
export interface GraphProps {
  series: RangeSeries[];
  grid: Grid;
  stacked: boolean;
  /** A range selected by dragging, in ms. */
  onZoom: (startMs: number, endMs: number) => void;
}

const HEIGHT = 320;

export function Graph({ series, grid, stacked, onZoom }: GraphProps) {
  const theme = useContext(ThemeContext);
  const host = useRef<HTMLDivElement>(null);
  const tooltip = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const [hidden, setHidden] = useState<ReadonlySet<number>>(new Set());
  const [dropped, setDropped] = useState({ nonFinite: 0, histograms: 0 });
  const zoom = useRef(onZoom);
  zoom.current = onZoom;
  const names = useMemo(() => series.map((s) => formatSeriesName(s.metric)), [series]);

  useEffect(() => {
    const el = host.current!;
    const start = performance.now();
    const { columns, nonFinite, histograms } = toColumns(series, grid);
    setDropped({ nonFinite, histograms });
    const shown = names.map((_, i) => !hidden.has(i));
    const data = stacked ? stackColumns(columns, shown) : columns;
    const dark = theme === 'dark';
    const tt = names.map((name, i) => ({ name, color: seriesColor(i, dark), show: shown[i] }));
    let focused: number | null = null;
    let timed = false;
    const opts = plotOptions(
      names.map((label, i) => ({ label, show: shown[i] })),
      stacked,
      plotStyle(dark),
      el.clientWidth || 800,
      HEIGHT,
      {
        draw: [
          () => {
            if (timed) return;
            timed = true;
            performance.measure('vigil:graph-render', { start, end: performance.now() });
          },
        ],
        setSeries: [
          (_u, idx, o) => {
            // uPlot passes `{ focus: true }` when the cursor nears a series; its types omit it.
            if ((o as { focus?: boolean }).focus === true) focused = idx === null ? null : idx - 1;
          },
        ],
        setCursor: [
          (u) => {
            const box = tooltip.current!;
            const idx = u.cursor.idx;
            if (idx === null || idx === undefined || u.cursor.left === undefined || u.cursor.left < 0) {
              box.hidden = true;
              return;
            }
            renderTooltip(box, columns, tt, idx, focused);
            box.hidden = false;
            const left = u.cursor.left + u.over.offsetLeft;
            const flip = left > el.clientWidth / 2;
            box.style.left = flip ? '' : `${left + 16}px`;
            box.style.right = flip ? `${el.clientWidth - left + 16}px` : '';
            box.style.top = `${(u.cursor.top ?? 0) + 8}px`;
          },
        ],
        setSelect: [
          (u) => {
            if (u.select.width < 2) return;
            const from = u.posToVal(u.select.left, 'x');
            const to = u.posToVal(u.select.left + u.select.width, 'x');
            u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
            zoom.current(from * 1000, to * 1000);
          },
        ],
      },
    );
    const u = new uPlot(opts, data, el);
    plot.current = u;
    const resize = new ResizeObserver(() => {
      if (el.clientWidth > 0 && el.clientWidth !== u.width)
        u.setSize({ width: el.clientWidth, height: HEIGHT });
    });
    resize.observe(el);
    return () => {
      resize.disconnect();
      u.destroy();
      plot.current = null;
    };
  }, [series, grid, stacked, theme, hidden, names]);

  const toggle = (i: number): void =>
    setHidden((prev) => {
      const next = new Set(prev);
      if (next.has(i)) next.delete(i);
      else next.add(i);
      return next;
    });

  return (
    <div class="graph">
      {dropped.nonFinite > 0 && (
        <div class="note">{dropped.nonFinite} NaN or ±Inf values are not drawn (gaps in the lines).</div>
      )}
      {dropped.histograms > 0 && (
        <div class="note">{dropped.histograms} native histogram samples are not drawn.</div>
      )}
      <div class="plot" ref={host} onMouseLeave={() => tooltip.current && (tooltip.current.hidden = true)}>
        <div class="tooltip" ref={tooltip} hidden />
      </div>
      <Legend
        names={names}
        dark={theme === 'dark'}
        hidden={hidden}
        onToggle={toggle}
        onShowAll={() => setHidden(new Set())}
        onHideAll={() => setHidden(new Set(names.map((_, i) => i)))}
      />
    </div>
  );
}
