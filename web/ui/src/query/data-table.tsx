/** The Table tab: an instant query's result, one row a series (or the scalar / string). */
import type { ComponentChildren } from 'preact';
import type { QueryResult, SamplePair } from '../lib/api-types.js';
import { formatSeriesName } from '../lib/format-labels.js';
import { formatTimestamp } from '../lib/format-value.js';
import { Empty } from '../components/status.js';

// Rendering tens of thousands of rows freezes the page; Prometheus' console stops at 10,000 too.
const MAX_ROWS = 10_000;

export function DataTable({ result }: { result: QueryResult }) {
  switch (result.resultType) {
    case 'scalar':
    case 'string':
      return (
        <table class="table data">
          <tbody>
            <tr>
              <td>{result.resultType}</td>
              <td class="value">{result.result[1]}</td>
            </tr>
          </tbody>
        </table>
      );
    case 'vector':
      if (result.result.length === 0) return <Empty>Empty query result</Empty>;
      return (
        <Rows count={result.result.length}>
          {result.result.slice(0, MAX_ROWS).map((s, i) => (
            <tr key={i}>
              <td class="series">{formatSeriesName(s.metric)}</td>
              <td class="value">
                {s.value !== undefined
                  ? s.value[1]
                  : s.histogram !== undefined
                    ? histogramText(s.histogram[1])
                    : ''}
              </td>
            </tr>
          ))}
        </Rows>
      );
    case 'matrix':
      if (result.result.length === 0) return <Empty>Empty query result</Empty>;
      return (
        <Rows count={result.result.length}>
          {result.result.slice(0, MAX_ROWS).map((s, i) => (
            <tr key={i}>
              <td class="series">{formatSeriesName(s.metric)}</td>
              <td class="value">
                <SampleList values={s.values ?? []} />
                {(s.histograms?.length ?? 0) > 0 && (
                  <div class="note">{s.histograms?.length} histogram samples</div>
                )}
              </td>
            </tr>
          ))}
        </Rows>
      );
  }
}

function Rows({ count, children }: { count: number; children: ComponentChildren }) {
  return (
    <>
      {count > MAX_ROWS && (
        <div class="note">
          Showing {MAX_ROWS} of {count} series.
        </div>
      )}
      <table class="table data">
        <tbody>{children}</tbody>
      </table>
    </>
  );
}

function SampleList({ values }: { values: SamplePair[] }) {
  return (
    <div class="samples">
      {values.map(([t, v]) => (
        <div key={t}>
          {v}{' '}
          <span class="muted" title={formatTimestamp(t * 1000)}>
            @{t}
          </span>
        </div>
      ))}
    </div>
  );
}

function histogramText(h: { count: string; sum: string }): string {
  return `histogram: count ${h.count}, sum ${h.sum}`;
}
