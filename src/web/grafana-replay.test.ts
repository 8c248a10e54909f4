/**
 * Replays what Grafana's Prometheus data source sends when a user saves the data source, opens
 * the query editor's metric browser and loads a dashboard panel: its health check (`1+1` instant
 * query and build info), metadata, label and series look-ups bounded by the time picker (whole
 * Unix seconds), range queries with start and end aligned to the step (POST forms, gzip
 * accepted, as its Go backend sends them), and exemplars. Checks the answers Grafana reads.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Labels } from '../model/labels.js';
import { MemoryStorage } from '../storage/memory.js';
import { fetchJson } from './testing/harness.js';
import { startHarness } from './testing/harness.js';
import type { Harness } from './testing/harness.js';
import type { TargetsSource } from './sources.js';

const T0 = 1_700_000_000_000; // the dashboard's "from"
const HOUR = 3_600_000;
const GRAFANA_HEADERS = {
  'user-agent': 'Grafana/11.3.0',
  'accept-encoding': 'gzip',
  'x-grafana-org-id': '1',
  accept: 'application/json, text/plain, */*',
};

let h: Harness;
before(async () => {
  const s = new MemoryStorage();
  for (const [job, instance] of [
    ['api', 'api-1:8080'],
    ['api', 'api-2:8080'],
    ['db', 'db-1:9187'],
  ]) {
    const up = Labels.from({ __name__: 'up', job, instance });
    for (const code of ['200', '500']) {
      const l = Labels.from({ __name__: 'http_requests_total', job, instance, code });
      for (let t = T0 - 10 * 60_000, n = 0; t <= T0 + HOUR; t += 15_000, n++)
        s.add(l, t, n * (code === '200' ? 10 : 1));
    }
    for (let t = T0 - 10 * 60_000; t <= T0 + HOUR; t += 15_000) s.add(up, t, 1);
  }
  const targets: TargetsSource = {
    activeTargets: () => [],
    droppedTargets: () => [],
    droppedTargetCounts: () => new Map(),
    scrapePools: () => [],
  };
  h = await startHarness({
    storage: s,
    options: { now: () => T0 + HOUR },
    sources: {
      targets: {
        ...targets,
        activeTargets: () => [
          {
            discoveredLabels: Labels.EMPTY,
            labels: Labels.from({ job: 'api', instance: 'api-1:8080' }),
            scrapePool: 'api',
            scrapeUrl: 'http://api-1:8080/metrics',
            globalUrl: 'http://api-1:8080/metrics',
            lastError: '',
            lastScrape: undefined,
            lastScrapeDuration: 0,
            health: 'up',
            scrapeInterval: '15s',
            scrapeTimeout: '10s',
            metadata: [
              { metric: 'http_requests_total', type: 'counter', help: 'Requests served.', unit: '' },
            ],
          },
        ],
      },
    },
  });
});
after(() => h.close());

interface Envelope<T> {
  status: string;
  data: T;
  warnings?: string[];
}

async function grafana<T>(path: string, form?: Record<string, string | string[]>): Promise<Envelope<T>> {
  const r = await fetchJson(`${h.base}${path}`, { headers: GRAFANA_HEADERS, form });
  assert.equal(r.status, 200, `${path}: ${r.text}`);
  assert.equal(r.headers['content-encoding'], 'gzip');
  const body = r.body as Envelope<T>;
  assert.equal(body.status, 'success');
  return body;
}

const sec = (ms: number): string => String(Math.floor(ms / 1000));

test('Save & test: 1+1 instant query and build info', async () => {
  const q = await grafana<{ resultType: string; result: [number, string] }>(
    `/api/v1/query?query=1%2B1&time=${sec(T0 + HOUR)}`,
  );
  assert.deepEqual(q.data, { resultType: 'scalar', result: [(T0 + HOUR) / 1000, '2'] });
  const b = await grafana<{ version: string }>('/api/v1/status/buildinfo');
  assert.equal(typeof b.data.version, 'string');
});

test('metric browser: metadata, metric names, labels, label values, series', async () => {
  const start = sec(T0);
  const end = sec(T0 + HOUR);
  const md = await grafana<Record<string, { type: string }[]>>('/api/v1/metadata');
  assert.deepEqual(md.data, {
    http_requests_total: [{ type: 'counter', help: 'Requests served.', unit: '' }],
  });
  const names = await grafana<string[]>(`/api/v1/label/__name__/values?start=${start}&end=${end}`);
  assert.deepEqual(names.data, ['http_requests_total', 'up']);
  const labels = await grafana<string[]>(`/api/v1/labels?start=${start}&end=${end}`);
  assert.deepEqual(labels.data, ['__name__', 'code', 'instance', 'job']);
  const withMatch = await grafana<string[]>(
    `/api/v1/labels?match[]=${encodeURIComponent('http_requests_total')}&start=${start}&end=${end}`,
  );
  assert.deepEqual(withMatch.data, ['__name__', 'code', 'instance', 'job']);
  const jobs = await grafana<string[]>(
    `/api/v1/label/job/values?match[]=${encodeURIComponent('{__name__="up"}')}&start=${start}&end=${end}`,
  );
  assert.deepEqual(jobs.data, ['api', 'db']);
  const instances = await grafana<string[]>(
    `/api/v1/label/instance/values?match[]=${encodeURIComponent('http_requests_total{job="api"}')}&start=${start}&end=${end}`,
  );
  assert.deepEqual(instances.data, ['api-1:8080', 'api-2:8080']);
  const series = await grafana<Record<string, string>[]>(
    `/api/v1/series?match[]=${encodeURIComponent('{__name__="up",job="db"}')}&start=${start}&end=${end}`,
  );
  assert.deepEqual(series.data, [{ __name__: 'up', instance: 'db-1:9187', job: 'db' }]);
});

test('panel: range query with aligned steps, POST form', async () => {
  const step = 60;
  const from = T0 + 7_000; // the time picker is not aligned; Grafana aligns start and end to the step
  const to = T0 + HOUR - 3_000;
  const start = Math.floor(from / 1000 / step) * step;
  const end = Math.floor(to / 1000 / step) * step;
  const r = await grafana<{
    resultType: string;
    result: { metric: Record<string, string>; values: [number, string][] }[];
  }>('/api/v1/query_range', {
    query: 'sum by (job) (rate(http_requests_total[1m]))',
    start: String(start),
    end: String(end),
    step: String(step),
  });
  assert.equal(r.data.resultType, 'matrix');
  assert.deepEqual(
    r.data.result.map((s) => s.metric),
    [{ job: 'api' }, { job: 'db' }],
  );
  const api = r.data.result[0].values;
  assert.equal(api.length, (end - start) / step + 1);
  assert.deepEqual(api[0], [start, '1.4666666666666666']);
  // Every timestamp sits on the step grid, as Grafana draws them.
  for (const [t] of api) assert.equal(t % step, 0);
});

test('panel: instant query for a table, then exemplars', async () => {
  const q = await grafana<{
    resultType: string;
    result: { metric: Record<string, string>; value: [number, string] }[];
  }>('/api/v1/query', { query: 'count by (job) (up)', time: sec(T0 + HOUR) });
  assert.deepEqual(q.data.result.map((s) => [s.metric.job, s.value[1]]).sort(), [
    ['api', '2'],
    ['db', '1'],
  ]);
  const ex = await grafana<unknown[]>('/api/v1/query_exemplars', {
    query: 'http_requests_total',
    start: sec(T0),
    end: sec(T0 + HOUR),
  });
  assert.deepEqual(ex.data, []);
});
