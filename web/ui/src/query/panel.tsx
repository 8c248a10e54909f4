/**
 * One query panel: editor, Execute, Table and Graph tabs with their controls, and the result with
 * its warnings, errors and stats. The panel's settings live in the URL (via `onChange`); its
 * result lives here.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { errorText } from '../api/client.js';
import { ErrorBox, WarningBox } from '../components/status.js';
import { Editor } from '../editor/editor.js';
import { Graph } from '../graph/graph.js';
import type { PanelState, PanelTab } from '../lib/url-state.js';
import { DataTable } from './data-table.js';
import { QueryInfo } from './query-info.js';
import { runQuery, type QueryOutcome } from './run-query.js';
import { GraphControls, TableControls } from './time-controls.js';

export interface PanelProps {
  panel: PanelState;
  onChange: (p: PanelState) => void;
  onRemove: (() => void) | null;
}

type View =
  | { kind: 'idle' }
  | { kind: 'running' }
  | { kind: 'error'; error: string }
  | { kind: 'done'; outcome: QueryOutcome; id: number };

export function Panel({ panel, onChange, onRemove }: PanelProps) {
  // The editor owns its text; the panel only reads it on Execute. Feeding every keystroke back
  // as a prop races fast typing (an older text arrives after a newer one and replaces it).
  const draft = useRef(panel.expr);
  const [view, setView] = useState<View>({ kind: 'idle' });
  // Execute with an unchanged query must still run again (time "now" moved on).
  const [runs, setRuns] = useState(0);
  const results = useRef(0);

  useEffect(() => {
    if (panel.expr.trim() === '') {
      setView({ kind: 'idle' });
      return undefined;
    }
    const ctl = new AbortController();
    setView({ kind: 'running' });
    runQuery(panel, ctl.signal).then(
      (outcome) => setView({ kind: 'done', outcome, id: ++results.current }),
      (e: unknown) => {
        if (!ctl.signal.aborted) setView({ kind: 'error', error: errorText(e) });
      },
    );
    return () => ctl.abort();
  }, [panel.expr, panel.tab, panel.rangeMs, panel.endMs, panel.stepSec, runs]);

  const execute = (expr: string): void => {
    if (expr !== panel.expr) onChange({ ...panel, expr });
    else setRuns((r) => r + 1);
  };
  const setTab = (tab: PanelTab): void => onChange({ ...panel, tab });

  return (
    <article class="panel">
      <div class="panel-query">
        <Editor value={panel.expr} onChange={(d) => (draft.current = d)} onExecute={execute} />
        <button
          type="button"
          class="primary"
          onClick={() => execute(draft.current)}
          disabled={view.kind === 'running'}
        >
          {view.kind === 'running' ? 'Running…' : 'Execute'}
        </button>
        {onRemove !== null && (
          <button
            type="button"
            class="icon"
            title="Remove panel"
            aria-label="Remove panel"
            onClick={onRemove}
          >
            ✕
          </button>
        )}
      </div>
      {view.kind === 'done' && <QueryInfo outcome={view.outcome} />}
      <div class="tabs" role="tablist">
        {(['table', 'graph'] as const).map((t) => (
          <button type="button" role="tab" key={t} aria-selected={panel.tab === t} onClick={() => setTab(t)}>
            {t === 'table' ? 'Table' : 'Graph'}
          </button>
        ))}
      </div>
      <div class="tab-body">
        {panel.tab === 'graph' ? (
          <GraphControls panel={panel} onChange={onChange} />
        ) : (
          <TableControls panel={panel} onChange={onChange} />
        )}
        <Result view={view} panel={panel} onChange={onChange} />
      </div>
    </article>
  );
}

function Result({
  view,
  panel,
  onChange,
}: {
  view: View;
  panel: PanelState;
  onChange: (p: PanelState) => void;
}) {
  if (view.kind === 'idle') return <div class="empty">No query executed yet.</div>;
  if (view.kind === 'running') return <div class="loading">Running query…</div>;
  if (view.kind === 'error') return <ErrorBox>Error executing query: {view.error}</ErrorBox>;
  const { outcome } = view;
  const notes = (
    <>
      {outcome.warnings.map((w) => (
        <WarningBox key={w}>Warning: {w}</WarningBox>
      ))}
      {outcome.infos.map((w) => (
        <div class="alert info" key={w}>
          Info: {w}
        </div>
      ))}
    </>
  );
  const r = outcome.result;
  if (panel.tab === 'graph' && outcome.grid !== null) {
    if (r.resultType !== 'matrix') {
      return (
        <>
          {notes}
          <ErrorBox>
            A {r.resultType} result cannot be graphed; use an instant vector or scalar expression.
          </ErrorBox>
        </>
      );
    }
    return (
      <>
        {notes}
        {r.result.length === 0 ? (
          <div class="empty">Empty query result</div>
        ) : (
          <Graph
            key={view.id}
            series={r.result}
            grid={outcome.grid}
            stacked={panel.stacked}
            onZoom={(start, end) =>
              onChange({
                ...panel,
                endMs: Math.round(end),
                rangeMs: Math.max(1000, Math.round((end - start) / 1000) * 1000),
              })
            }
          />
        )}
      </>
    );
  }
  return (
    <>
      {notes}
      <DataTable result={r} />
    </>
  );
}
