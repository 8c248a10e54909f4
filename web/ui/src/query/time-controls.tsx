/** The Graph tab's range, end time, resolution and stacking controls; the Table tab's eval time. */
import { useEffect, useState } from 'preact/hooks';
import { autoStepSeconds, formatDuration, tryParseDuration } from '../lib/duration.js';
import { formatUTCInput, parseTimeInput } from '../lib/format-value.js';
import type { PanelState } from '../lib/url-state.js';

const RANGE_STEPS = [
  '1m',
  '5m',
  '15m',
  '30m',
  '1h',
  '2h',
  '6h',
  '12h',
  '1d',
  '2d',
  '1w',
  '2w',
  '4w',
  '8w',
  '1y',
].map((d) => tryParseDuration(d) ?? 0);

export function stepRange(rangeMs: number, dir: 1 | -1): number {
  if (dir > 0) return RANGE_STEPS.find((r) => r > rangeMs) ?? rangeMs;
  return [...RANGE_STEPS].reverse().find((r) => r < rangeMs) ?? rangeMs;
}

/** A text box that commits on Enter or blur, and shows the committed value otherwise. */
function CommitInput(props: {
  value: string;
  placeholder?: string;
  label: string;
  class?: string;
  onCommit: (text: string) => boolean;
}) {
  const [text, setText] = useState(props.value);
  const [bad, setBad] = useState(false);
  useEffect(() => setText(props.value), [props.value]);
  const commit = (): void => setBad(!props.onCommit(text));
  return (
    <input
      class={`${props.class ?? ''}${bad ? ' invalid' : ''}`}
      aria-label={props.label}
      title={props.label}
      placeholder={props.placeholder}
      value={text}
      onInput={(e) => setText(e.currentTarget.value)}
      onBlur={commit}
      onKeyDown={(e) => e.key === 'Enter' && commit()}
    />
  );
}

function EndTime({
  panel,
  onChange,
  label,
}: {
  panel: PanelState;
  onChange: (p: PanelState) => void;
  label: string;
}) {
  const shift = (dir: 1 | -1): void => {
    const end = panel.endMs ?? Date.now();
    const next = end + (dir * panel.rangeMs) / 2;
    onChange({ ...panel, endMs: next >= Date.now() ? null : Math.round(next) });
  };
  return (
    <div class="control-group">
      <button type="button" title="Earlier" onClick={() => shift(-1)}>
        ‹
      </button>
      <CommitInput
        class="time-input"
        label={label}
        placeholder="now (UTC)"
        value={panel.endMs === null ? '' : formatUTCInput(panel.endMs)}
        onCommit={(t) => {
          if (t.trim() === '') {
            onChange({ ...panel, endMs: null });
            return true;
          }
          const ms = parseTimeInput(t);
          if (ms !== null) onChange({ ...panel, endMs: ms });
          return ms !== null;
        }}
      />
      <button type="button" title="Later" onClick={() => shift(1)}>
        ›
      </button>
      {panel.endMs !== null && (
        <button type="button" title="Back to now" onClick={() => onChange({ ...panel, endMs: null })}>
          now
        </button>
      )}
    </div>
  );
}

export function GraphControls({ panel, onChange }: { panel: PanelState; onChange: (p: PanelState) => void }) {
  return (
    <div class="controls">
      <div class="control-group">
        <button
          type="button"
          title="Shorter range"
          onClick={() => onChange({ ...panel, rangeMs: stepRange(panel.rangeMs, -1) })}
        >
          −
        </button>
        <CommitInput
          class="range-input"
          label="Range"
          value={formatDuration(panel.rangeMs)}
          onCommit={(t) => {
            const ms = tryParseDuration(t);
            if (ms !== null && ms > 0) onChange({ ...panel, rangeMs: ms });
            return ms !== null && ms > 0;
          }}
        />
        <button
          type="button"
          title="Longer range"
          onClick={() => onChange({ ...panel, rangeMs: stepRange(panel.rangeMs, 1) })}
        >
          +
        </button>
      </div>
      <EndTime panel={panel} onChange={onChange} label="End time (UTC)" />
      <CommitInput
        class="step-input"
        label="Resolution in seconds (empty: automatic)"
        placeholder={`${autoStepSeconds(panel.rangeMs)}s (auto)`}
        value={panel.stepSec === null ? '' : String(panel.stepSec)}
        onCommit={(t) => {
          if (t.trim() === '') {
            onChange({ ...panel, stepSec: null });
            return true;
          }
          const n = Number(t.replace(/s$/, ''));
          const s = Number.isFinite(n) && n > 0 ? n : (tryParseDuration(t) ?? 0) / 1000;
          if (s > 0) onChange({ ...panel, stepSec: s });
          return s > 0;
        }}
      />
      <div class="segmented" role="group" aria-label="Display mode">
        <button
          type="button"
          aria-pressed={!panel.stacked}
          onClick={() => onChange({ ...panel, stacked: false })}
        >
          Lines
        </button>
        <button
          type="button"
          aria-pressed={panel.stacked}
          onClick={() => onChange({ ...panel, stacked: true })}
        >
          Stacked
        </button>
      </div>
    </div>
  );
}

export function TableControls({ panel, onChange }: { panel: PanelState; onChange: (p: PanelState) => void }) {
  return (
    <div class="controls">
      <EndTime panel={panel} onChange={onChange} label="Evaluation time (UTC)" />
    </div>
  );
}
