/** Service discovery: every discovered target with its labels before and after relabeling. */
import { useState } from 'preact/hooks';
import { useAPI } from '../api/client.js';
import { FilterInput } from '../components/filter.js';
import { Group } from '../components/group.js';
import { Labels } from '../components/labels.js';
import { Empty, Loaded, Page } from '../components/status.js';
import { Table } from '../components/table.js';
import { labelTexts, matches } from '../lib/text-filter.js';
import type { Metric, TargetsResult } from '../lib/api-types.js';
import { groupBy } from '../lib/group.js';

interface Row {
  pool: string;
  discovered: Metric;
  /** `null` when relabeling dropped the target. */
  labels: Metric | null;
}

function rows(data: TargetsResult): Row[] {
  return [
    ...data.activeTargets.map((t) => ({
      pool: t.scrapePool,
      discovered: t.discoveredLabels,
      labels: t.labels,
    })),
    ...data.droppedTargets.map((t) => ({
      pool: t.scrapePool ?? t.discoveredLabels.job ?? '',
      discovered: t.discoveredLabels,
      labels: null,
    })),
  ];
}

export function ServiceDiscoveryPage() {
  const [targets] = useAPI<TargetsResult>('/targets', { state: 'any' });
  const [filter, setFilter] = useState('');
  return (
    <Page
      title="Service discovery"
      actions={<FilterInput value={filter} onInput={setFilter} label="Filter by labels" />}
    >
      <Loaded
        value={targets}
        render={(data) => {
          const all = rows(data).filter((r) => matches(filter, ...labelTexts(r.discovered)));
          if (all.length === 0) return <Empty>No discovered targets.</Empty>;
          return groupBy(all, (r) => r.pool).map(([pool, list]) => {
            const active = list.filter((r) => r.labels !== null).length;
            const dropped = data.droppedTargetCounts?.[pool];
            return (
              <Group
                key={pool}
                title={pool}
                count={`${active} active / ${dropped ?? list.length - active} dropped`}
              >
                <Table head={['Discovered labels', 'Target labels']}>
                  {list.map((r, i) => (
                    <tr key={i}>
                      <td>
                        <Labels metric={r.discovered} />
                      </td>
                      <td>
                        {r.labels === null ? (
                          <span class="badge neutral">DROPPED</span>
                        ) : (
                          <Labels metric={r.labels} />
                        )}
                      </td>
                    </tr>
                  ))}
                </Table>
              </Group>
            );
          });
        }}
      />
    </Page>
  );
}
