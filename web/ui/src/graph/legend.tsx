/** The graph's legend: one row a series with its colour and labels; a click shows or hides it. */
import { seriesColor } from '../lib/colors.js';

export interface LegendProps {
  names: readonly string[];
  dark: boolean;
  hidden: ReadonlySet<number>;
  onToggle: (index: number) => void;
  onShowAll: () => void;
  onHideAll: () => void;
}

export function Legend({ names, dark, hidden, onToggle, onShowAll, onHideAll }: LegendProps) {
  if (names.length === 0) return null;
  return (
    <div class="legend">
      {names.length > 1 && (
        <div class="legend-actions">
          <button type="button" class="link" onClick={onShowAll}>
            show all
          </button>
          <button type="button" class="link" onClick={onHideAll}>
            hide all
          </button>
        </div>
      )}
      <ul>
        {names.map((name, i) => (
          <li key={i}>
            <button
              type="button"
              class={hidden.has(i) ? 'legend-item off' : 'legend-item'}
              aria-pressed={!hidden.has(i)}
              onClick={() => onToggle(i)}
            >
              <span class="swatch" style={{ background: seriesColor(i, dark) }} />
              <span class="legend-name">{name}</span>
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
