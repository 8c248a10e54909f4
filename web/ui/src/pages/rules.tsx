/** Rules: each group's recording and alerting rules with health, last evaluation and errors. */
import { useAPI } from '../api/client.js';
import { Group } from '../components/group.js';
import { HealthBadge } from '../components/health.js';
import { Labels } from '../components/labels.js';
import { Empty, Loaded, Page } from '../components/status.js';
import { Table } from '../components/table.js';
import type { Rule, RulesResult } from '../lib/api-types.js';
import { formatAgo, formatDuration, formatSeconds } from '../lib/duration.js';

export function RulesPage() {
  const [rules] = useAPI<RulesResult>('/rules', { exclude_alerts: 'true' });
  return (
    <Page title="Rules">
      <Loaded
        value={rules}
        render={(data) =>
          data.groups.length === 0 ? (
            <Empty>No rule groups configured. Add rule files with `rule_files` in the configuration.</Empty>
          ) : (
            data.groups.map((g) => (
              <Group
                key={`${g.file}/${g.name}`}
                title={
                  <>
                    {g.name} <span class="muted small">{g.file}</span>
                  </>
                }
                count={`every ${formatDuration(g.interval * 1000)}`}
              >
                <Table head={['Rule', 'State', 'Last evaluation', 'Evaluation time']}>
                  {g.rules.map((r) => (
                    <RuleRow key={r.name + r.query} rule={r} />
                  ))}
                </Table>
              </Group>
            ))
          )
        }
      />
    </Page>
  );
}

function RuleRow({ rule: r }: { rule: Rule }) {
  return (
    <tr>
      <td>
        <div class="rule-def">
          <span class="muted">{r.type === 'alerting' ? 'alert: ' : 'record: '}</span>
          <strong>{r.name}</strong>
          <pre class="code">{r.query}</pre>
          {r.type === 'alerting' && r.duration > 0 && (
            <div class="small">for: {formatDuration(r.duration * 1000)}</div>
          )}
          {r.labels !== undefined && Object.keys(r.labels).length > 0 && <Labels metric={r.labels} />}
          {r.lastError !== undefined && r.lastError !== '' && <div class="error-text">{r.lastError}</div>}
        </div>
      </td>
      <td>
        <HealthBadge state={r.health} />
      </td>
      <td>{r.lastEvaluation === undefined ? '' : formatAgo(Date.parse(r.lastEvaluation), Date.now())}</td>
      <td>{r.evaluationTime === undefined ? '' : formatSeconds(r.evaluationTime)}</td>
    </tr>
  );
}
