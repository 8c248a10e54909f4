/** Alerts: alerting rules with their state and the alerts each has pending or firing. */
import { useState } from 'preact/hooks';
import { useAPI } from '../api/client.js';
import { Group } from '../components/group.js';
import { HealthBadge } from '../components/health.js';
import { Labels } from '../components/labels.js';
import { Empty, Loaded, Page } from '../components/status.js';
import { Table } from '../components/table.js';
import type { AlertingRule, RulesResult } from '../lib/api-types.js';
import { formatAgo } from '../lib/duration.js';

type StateFilter = 'all' | 'firing' | 'pending' | 'inactive';

function ruleState(r: AlertingRule): 'firing' | 'pending' | 'inactive' {
  if (r.state !== undefined) return r.state;
  if (r.alerts.some((a) => a.state === 'firing')) return 'firing';
  return r.alerts.some((a) => a.state === 'pending') ? 'pending' : 'inactive';
}

export function AlertsPage() {
  const [rules] = useAPI<RulesResult>('/rules', { type: 'alert' });
  const [filter, setFilter] = useState<StateFilter>('all');
  const actions = (
    <div class="segmented" role="group" aria-label="State">
      {(['all', 'firing', 'pending', 'inactive'] as const).map((s) => (
        <button type="button" key={s} aria-pressed={filter === s} onClick={() => setFilter(s)}>
          {s}
        </button>
      ))}
    </div>
  );
  return (
    <Page title="Alerts" actions={actions}>
      <Loaded
        value={rules}
        render={(data) => {
          const all = data.groups.flatMap((g) =>
            g.rules.filter((r): r is AlertingRule => r.type === 'alerting'),
          );
          if (all.length === 0) return <Empty>No alerting rules configured.</Empty>;
          const shown = all.filter((r) => filter === 'all' || ruleState(r) === filter);
          if (shown.length === 0) return <Empty>No {filter} alerts.</Empty>;
          return shown.map((r) => <AlertRule key={r.name + r.query} rule={r} />);
        }}
      />
    </Page>
  );
}

function AlertRule({ rule: r }: { rule: AlertingRule }) {
  const state = ruleState(r);
  return (
    <Group
      open={state !== 'inactive'}
      title={
        <>
          <HealthBadge state={state} /> {r.name}
        </>
      }
      count={`${r.alerts.length} active`}
    >
      <pre class="code">{r.query}</pre>
      {r.alerts.length > 0 && (
        <Table head={['Labels', 'State', 'Active since', 'Value']}>
          {r.alerts.map((a) => (
            <tr key={JSON.stringify(a.labels)}>
              <td>
                <Labels metric={a.labels} />
                {Object.entries(a.annotations).map(([k, v]) => (
                  <div class="small" key={k}>
                    <span class="muted">{k}:</span> {v}
                  </div>
                ))}
              </td>
              <td>
                <HealthBadge state={a.state} />
              </td>
              <td title={a.activeAt}>
                {a.activeAt === undefined ? '' : formatAgo(Date.parse(a.activeAt), Date.now())}
              </td>
              <td>{a.value}</td>
            </tr>
          ))}
        </Table>
      )}
    </Group>
  );
}
