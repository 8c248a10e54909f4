/** TSDB status: head block figures and the cardinality tables of `/api/v1/status/tsdb`. */
import { useAPI } from '../api/client.js';
import { KVTable } from '../components/kv-table.js';
import { Loaded, Page } from '../components/status.js';
import { Table } from '../components/table.js';
import type { NameValue, TSDBStatus } from '../lib/api-types.js';
import { formatTimestamp } from '../lib/format-value.js';

function time(ms: number): string {
  // An empty head reports ±MaxInt64-ish bounds; show nothing rather than a year 292 million date.
  return Number.isFinite(ms) && Math.abs(ms) < 1e15 ? `${formatTimestamp(ms)} UTC` : '—';
}

function Cardinality({
  title,
  rows,
  unit,
  total,
}: {
  title: string;
  rows: NameValue[];
  unit: string;
  total?: number;
}) {
  const head = total === undefined ? ['Name', unit] : ['Name', unit, 'Share'];
  return (
    <Table class="cardinality" caption={title} head={head}>
      {rows.map((r) => (
        <tr key={r.name}>
          <td class="series">{r.name}</td>
          <td class="num">{r.value.toLocaleString('en')}</td>
          {total !== undefined && (
            <td class="num">{total > 0 ? `${((100 * r.value) / total).toFixed(1)}%` : ''}</td>
          )}
        </tr>
      ))}
    </Table>
  );
}

export function TSDBStatusPage() {
  const [status] = useAPI<TSDBStatus>('/status/tsdb');
  return (
    <Page title="TSDB status">
      <Loaded
        value={status}
        render={(d) => {
          const n = d.headStats.numSeries;
          return (
            <div class="stack">
              <KVTable
                caption="Head block"
                rows={[
                  ['Series', n.toLocaleString('en')],
                  ['Chunks', d.headStats.chunkCount.toLocaleString('en')],
                  ...(d.headStats.numLabelPairs !== undefined
                    ? [['Label pairs', d.headStats.numLabelPairs.toLocaleString('en')] as [string, string]]
                    : []),
                  ['Lowest timestamp', time(d.headStats.minTime)],
                  ['Highest timestamp', time(d.headStats.maxTime)],
                ]}
              />
              <div class="grid-2">
                <Cardinality
                  title="Top series count by metric name"
                  rows={d.seriesCountByMetricName}
                  unit="Series"
                  total={n}
                />
                <Cardinality
                  title="Top label names with value count"
                  rows={d.labelValueCountByLabelName}
                  unit="Values"
                />
                <Cardinality
                  title="Top label names with memory usage"
                  rows={d.memoryInBytesByLabelName}
                  unit="Bytes"
                />
                <Cardinality
                  title="Top series count by label value pair"
                  rows={d.seriesCountByLabelValuePair}
                  unit="Series"
                  total={n}
                />
              </div>
            </div>
          );
        }}
      />
    </Page>
  );
}
