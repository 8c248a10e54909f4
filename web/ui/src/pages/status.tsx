/** Runtime and build information, as `/api/v1/status/runtimeinfo` and `/buildinfo` report it. */
import { useAPI } from '../api/client.js';
import { KVTable } from '../components/kv-table.js';
import { Loaded, Page } from '../components/status.js';
import type { BuildInfo, RuntimeInfo } from '../lib/api-types.js';

// Prometheus' field names, spelled out for people.
const TITLES: Record<string, string> = {
  startTime: 'Start time',
  CWD: 'Working directory',
  hostname: 'Hostname',
  serverTime: 'Server time',
  reloadConfigSuccess: 'Configuration reload',
  lastConfigTime: 'Last successful configuration reload',
  corruptionCount: 'WAL corruptions',
  goroutineCount: 'Goroutines',
  timeSeriesCount: 'Time series',
  storageRetention: 'Storage retention',
  version: 'Version',
  revision: 'Revision',
  branch: 'Branch',
  buildUser: 'Build user',
  buildDate: 'Build date',
  goVersion: 'Go version',
};

function show(v: string | number | boolean, key: string): string {
  if (key === 'reloadConfigSuccess') return v === true ? 'Successful' : 'Unsuccessful';
  return String(v);
}

export function StatusPage() {
  const [runtime] = useAPI<RuntimeInfo>('/status/runtimeinfo');
  const [build] = useAPI<BuildInfo>('/status/buildinfo');
  return (
    <Page title="Runtime & build information">
      <div class="stack">
        <Loaded
          value={runtime}
          render={(d) => (
            <KVTable
              caption="Runtime information"
              rows={Object.entries(d).map(([k, v]) => [TITLES[k] ?? k, show(v, k)])}
            />
          )}
        />
        <Loaded
          value={build}
          render={(d) => (
            <KVTable
              caption="Build information"
              rows={Object.entries(d).map(([k, v]) => [TITLES[k] ?? k, v])}
            />
          )}
        />
      </div>
    </Page>
  );
}
