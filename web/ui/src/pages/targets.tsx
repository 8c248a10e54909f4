/** Targets grouped by scrape pool: health, last scrape, duration, error and labels. */
import { useState } from 'preact/hooks';
import { useAPI } from '../api/client.js';
import { FilterInput } from '../components/filter.js';
import { Group } from '../components/group.js';
import { HealthBadge } from '../components/health.js';
import { Labels } from '../components/labels.js';
import { Empty, Loaded, Page } from '../components/status.js';
import { Table } from '../components/table.js';
import { labelTexts, matches } from '../lib/text-filter.js';
import type { ActiveTarget, TargetsResult } from '../lib/api-types.js';
import { formatAgo, formatSeconds } from '../lib/duration.js';
import { groupBy } from '../lib/group.js';

export function TargetsPage() {
  const [targets, reload] = useAPI<TargetsResult>('/targets', { state: 'active' });
  const [filter, setFilter] = useState('');
  const [unhealthyOnly, setUnhealthyOnly] = useState(false);
  const actions = (
    <>
      <FilterInput value={filter} onInput={setFilter} label="Filter by endpoint or labels" />
      <label class="check">
        <input
          type="checkbox"
          checked={unhealthyOnly}
          onChange={(e) => setUnhealthyOnly(e.currentTarget.checked)}
        />
        Unhealthy only
      </label>
      <button type="button" onClick={reload}>
        Refresh
      </button>
    </>
  );
  return (
    <Page title="Targets" actions={actions}>
      <Loaded
        value={targets}
        render={(data) => {
          const shown = data.activeTargets.filter(
            (t) =>
              (!unhealthyOnly || t.health !== 'up') && matches(filter, t.scrapeUrl, ...labelTexts(t.labels)),
          );
          if (data.activeTargets.length === 0) return <Empty>No targets configured.</Empty>;
          if (shown.length === 0) return <Empty>No targets match the filter.</Empty>;
          return groupBy(shown, (t) => t.scrapePool).map(([pool, list]) => (
            <Pool key={pool} pool={pool} targets={list} />
          ));
        }}
      />
    </Page>
  );
}

function Pool({ pool, targets }: { pool: string; targets: ActiveTarget[] }) {
  const up = targets.filter((t) => t.health === 'up').length;
  const now = Date.now();
  return (
    <Group
      title={pool}
      count={`${up} / ${targets.length} up`}
      countClass={up === targets.length ? 'ok' : 'bad'}
    >
      <Table class="cards" head={['Endpoint', 'State', 'Labels', 'Last scrape', 'Duration', 'Error']}>
        {targets.map((t) => (
          <TargetRow key={t.scrapeUrl + JSON.stringify(t.labels)} target={t} now={now} />
        ))}
      </Table>
    </Group>
  );
}

function TargetRow({ target: t, now }: { target: ActiveTarget; now: number }) {
  const [showDiscovered, setShowDiscovered] = useState(false);
  return (
    <tr>
      <td class="endpoint" data-label="Endpoint">
        <a href={t.scrapeUrl} target="_blank" rel="noreferrer">
          {t.scrapeUrl}
        </a>
      </td>
      <td data-label="State">
        <HealthBadge state={t.health} />
      </td>
      <td data-label="Labels">
        <Labels metric={t.labels} />
        <button type="button" class="link small" onClick={() => setShowDiscovered(!showDiscovered)}>
          {showDiscovered ? 'hide discovered labels' : 'show discovered labels'}
        </button>
        {showDiscovered && (
          <div class="discovered">
            <div class="muted small">Before relabeling:</div>
            <Labels metric={t.discoveredLabels} />
          </div>
        )}
      </td>
      <td data-label="Last scrape" title={t.lastScrape}>
        {formatAgo(Date.parse(t.lastScrape), now)}
      </td>
      <td data-label="Duration">
        {t.lastScrape.startsWith('0001') ? '' : formatSeconds(t.lastScrapeDuration)}
      </td>
      <td class="error-text" data-label="Error">
        {t.lastError}
      </td>
    </tr>
  );
}
