/** The Table tab: an instant query's result, one row a series (or the scalar / string). */
import type { ComponentChildren } from 'preact';
import type { Metric, QueryResult, SamplePair } from '../lib/api-types.js';
import { formatSeriesName } from '../lib/format-labels.js';
import { formatTimestamp } from '../lib/format-value.js';
import { Empty } from '../components/status.js';
import { Table } from '../components/table.js';

// Rendering tens of thousands of rows freezes the page; Prometheus' console stops at 10,000 too.
const MAX_ROWS = 10_000;

export function DataTable({ result }: { result: QueryResult }) {
  switch (result.resultType) {
    case 'scalar':
    case 'string':
      return (
        <Table class="data">
          <tr>
            <td>{result.resultType}</td>
            <td class="value">{result.result[1]}</td>
          </tr>
        </Table>
      );
    case 'vector':
      return (
        <SeriesRows
          items={result.result}
          value={(s) =>
            s.value !== undefined
              ? s.value[1]
              : s.histogram !== undefined
                ? histogramText(s.histogram[1])
                : ''
          }
        />
      );
    case 'matrix':
      return (
        <SeriesRows
          items={result.result}
          value={(s) => (
            <>
              <SampleList values={s.values ?? []} />
              {(s.histograms?.length ?? 0) > 0 && (
                <div class="note">{s.histograms?.length} histogram samples</div>
              )}
            </>
          )}
        />
      );
  }
}

/** One row a series: its name, then `value(series)`; at most MAX_ROWS rows. */
function SeriesRows<T extends { metric: Metric }>({
  items,
  value,
}: {
  items: T[];
  value: (s: T) => ComponentChildren;
}) {
  if (items.length === 0) return <Empty>Empty query result</Empty>;
  return (
    <>
      {items.length > MAX_ROWS && (
        <div class="note">
          Showing {MAX_ROWS} of {items.length} series.
        </div>
      )}
      <Table class="data">
        {items.slice(0, MAX_ROWS).map((s, i) => (
          <tr key={i}>
            <td class="series">{formatSeriesName(s.metric)}</td>
            <td class="value">{value(s)}</td>
          </tr>
        ))}
      </Table>
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
