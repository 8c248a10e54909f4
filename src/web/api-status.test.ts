/** Contract tests of targets, metadata, status, rules and admin endpoints over real HTTP. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Labels } from '../model/labels.js';
import type { Matcher } from '../model/matcher.js';
import type { ActiveTargetJson, DroppedTargetJson } from '../scrape/target-json-types.js';
import { MemoryStorage } from '../storage/memory.js';
import { fetchJson, fetchRaw, startHarness } from './testing/harness.js';
import type { Harness } from './testing/harness.js';
import type { ActiveTarget, AdminSource, TargetsSource } from './sources.js';

const target = (pool: string, instance: string, health: 'up' | 'down'): ActiveTarget => ({
  discoveredLabels: Labels.from({
    __address__: instance,
    __metrics_path__: '/metrics',
    __scheme__: 'http',
    job: pool,
  }),
  labels: Labels.from({ instance, job: pool }),
  scrapePool: pool,
  scrapeUrl: `http://${instance}/metrics`,
  globalUrl: `http://${instance}/metrics`,
  lastError: health === 'up' ? '' : 'connection refused',
  lastScrape: new Date(Date.UTC(2017, 0, 17, 14, 7, 44, 723)),
  lastScrapeDuration: 0.050688943,
  health,
  scrapeInterval: '1m',
  scrapeTimeout: '10s',
  metadata: [
    { metric: 'go_goroutines', type: 'gauge', help: 'Number of goroutines that currently exist.', unit: '' },
    {
      metric: 'http_requests_total',
      type: 'counter',
      help: pool === 'node' ? 'Amount of HTTP requests' : 'Number of HTTP requests',
      unit: '',
    },
  ],
});

const targets: TargetsSource = {
  activeTargets: () => [
    target('prometheus', '127.0.0.1:9090', 'up'),
    target('node', '127.0.0.1:9100', 'down'),
  ],
  droppedTargets: () => [
    { discoveredLabels: Labels.from({ __address__: '127.0.0.1:9200', job: 'node' }), scrapePool: 'node' },
  ],
  droppedTargetCounts: () => new Map([['node', 3]]),
  scrapePools: () => ['prometheus', 'node'],
};

const adminCalls: string[] = [];
const admin: AdminSource = {
  snapshot: (name, withHead) => {
    adminCalls.push(`snapshot ${name.length} ${withHead}`);
    return Promise.resolve();
  },
  deleteSeries: (mint: number, maxt: number, ms: readonly Matcher[]) => {
    adminCalls.push(`delete ${mint} ${maxt} ${ms.map(String).join(',')}`);
    return Promise.resolve();
  },
  cleanTombstones: () => {
    adminCalls.push('clean');
    return Promise.resolve();
  },
};

let h: Harness;
let closed: Harness;
before(async () => {
  const s = new MemoryStorage();
  s.add(Labels.from({ __name__: 'up', job: 'api', instance: 'a' }), 1000, 1);
  s.add(Labels.from({ __name__: 'up', job: 'db', instance: 'b' }), 2000, 1);
  s.add(Labels.from({ __name__: 'x', job: 'api' }), 1000, 1);
  h = await startHarness({
    storage: s,
    sources: {
      targets,
      admin,
      config: { configYaml: () => 'global:\n  scrape_interval: 15s\n', externalLabels: () => Labels.EMPTY },
    },
    options: {
      enableAdminApi: true,
      flags: { 'query.lookback-delta': '5m', 'web.enable-admin-api': 'true' },
    },
  });
  closed = await startHarness({ storage: s, sources: { admin } });
});
after(async () => {
  await h.close();
  await closed.close();
});

const get = (path: string): ReturnType<typeof fetchRaw> => fetchRaw(`${h.base}${path}`);

describe('targets', () => {
  test('/api/v1/targets: pools in name order, Prometheus fields', async () => {
    const r = await fetchJson(`${h.base}/api/v1/targets`);
    const data = (
      r.body as {
        data: {
          activeTargets: Record<string, unknown>[];
          droppedTargets: unknown[];
          droppedTargetCounts: unknown;
        };
      }
    ).data;
    assert.deepEqual(
      data.activeTargets.map((t) => t.scrapePool),
      ['node', 'prometheus'],
    );
    // Typed as the JSON types the console imports: the wire format and those types move together.
    const expected: ActiveTargetJson = {
      discoveredLabels: {
        __address__: '127.0.0.1:9090',
        __metrics_path__: '/metrics',
        __scheme__: 'http',
        job: 'prometheus',
      },
      labels: { instance: '127.0.0.1:9090', job: 'prometheus' },
      scrapePool: 'prometheus',
      scrapeUrl: 'http://127.0.0.1:9090/metrics',
      globalUrl: 'http://127.0.0.1:9090/metrics',
      lastError: '',
      lastScrape: '2017-01-17T14:07:44.723Z',
      lastScrapeDuration: 0.050688943,
      health: 'up',
      scrapeInterval: '1m',
      scrapeTimeout: '10s',
    };
    assert.deepEqual(data.activeTargets[1], expected);
    const dropped: DroppedTargetJson[] = [
      { discoveredLabels: { __address__: '127.0.0.1:9200', job: 'node' }, scrapePool: 'node' },
    ];
    assert.deepEqual(data.droppedTargets, dropped);
    assert.deepEqual(data.droppedTargetCounts, { node: 3 });
  });

  test('state and scrapePool filters keep empty arrays', async () => {
    const r = await fetchJson(`${h.base}/api/v1/targets?state=dropped`);
    assert.deepEqual((r.body as { data: { activeTargets: unknown[] } }).data.activeTargets, []);
    const p = await fetchJson(`${h.base}/api/v1/targets?scrapePool=prometheus&state=active`);
    const d = (p.body as { data: { activeTargets: unknown[]; droppedTargets: unknown[] } }).data;
    assert.equal(d.activeTargets.length, 1);
    assert.deepEqual(d.droppedTargets, []);
  });

  test('/api/v1/scrape_pools', async () => {
    assert.equal(
      (await get('/api/v1/scrape_pools')).text,
      '{"status":"success","data":{"scrapePools":["node","prometheus"]}}',
    );
  });

  test('/api/v1/targets/metadata', async () => {
    const r = await fetchJson(
      `${h.base}/api/v1/targets/metadata?metric=go_goroutines&match_target=${encodeURIComponent('{job="prometheus"}')}`,
    );
    assert.deepEqual((r.body as { data: unknown }).data, [
      {
        target: { instance: '127.0.0.1:9090', job: 'prometheus' },
        type: 'gauge',
        help: 'Number of goroutines that currently exist.',
        unit: '',
      },
    ]);
    const all = await fetchJson(`${h.base}/api/v1/targets/metadata?limit=1`);
    const rows = (all.body as { data: { metric: string }[] }).data;
    assert.deepEqual(
      rows.map((x) => x.metric),
      ['go_goroutines', 'http_requests_total'],
    );
    assert.equal(
      (await get('/api/v1/targets/metadata?limit=x')).text,
      '{"status":"error","errorType":"bad_data","error":"limit must be a number"}',
    );
  });

  test('/api/v1/metadata: distinct metadata per metric, limits', async () => {
    const r = await fetchJson(`${h.base}/api/v1/metadata`);
    assert.deepEqual((r.body as { data: unknown }).data, {
      go_goroutines: [{ type: 'gauge', help: 'Number of goroutines that currently exist.', unit: '' }],
      http_requests_total: [
        { type: 'counter', help: 'Number of HTTP requests', unit: '' },
        { type: 'counter', help: 'Amount of HTTP requests', unit: '' },
      ],
    });
    const lim = await fetchJson(`${h.base}/api/v1/metadata?limit=1&limit_per_metric=1`);
    assert.deepEqual(Object.keys((lim.body as { data: object }).data), ['go_goroutines']);
    const one = await fetchJson(`${h.base}/api/v1/metadata?metric=http_requests_total&limit_per_metric=1`);
    assert.deepEqual((one.body as { data: unknown }).data, {
      http_requests_total: [{ type: 'counter', help: 'Number of HTTP requests', unit: '' }],
    });
  });

  test('without a targets source: empty shapes', async () => {
    assert.equal(
      (await fetchRaw(`${closed.base}/api/v1/targets`)).text,
      '{"status":"success","data":{"activeTargets":[],"droppedTargets":[],"droppedTargetCounts":{}}}',
    );
    assert.equal((await fetchRaw(`${closed.base}/api/v1/metadata`)).text, '{"status":"success","data":{}}');
  });
});

describe('status', () => {
  test('config, flags, buildinfo', async () => {
    assert.equal(
      (await get('/api/v1/status/config')).text,
      '{"status":"success","data":{"yaml":"global:\\n  scrape_interval: 15s\\n"}}',
    );
    assert.equal(
      (await get('/api/v1/status/flags')).text,
      '{"status":"success","data":{"query.lookback-delta":"5m","web.enable-admin-api":"true"}}',
    );
    const b = await fetchJson(`${h.base}/api/v1/status/buildinfo`);
    assert.deepEqual(Object.keys((b.body as { data: object }).data), [
      'version',
      'revision',
      'branch',
      'buildUser',
      'buildDate',
      'goVersion',
    ]);
  });

  test('runtimeinfo has Prometheus fields', async () => {
    const r = await fetchJson(`${h.base}/api/v1/status/runtimeinfo`);
    const d = (r.body as { data: Record<string, unknown> }).data;
    for (const k of [
      'startTime',
      'CWD',
      'hostname',
      'serverTime',
      'reloadConfigSuccess',
      'lastConfigTime',
      'storageRetention',
    ])
      assert.ok(k in d, k);
    assert.equal(d.lastConfigTime, '0001-01-01T00:00:00Z');
  });

  test('tsdb statistics from the storage', async () => {
    const r = await fetchJson(`${h.base}/api/v1/status/tsdb?limit=1`);
    assert.deepEqual((r.body as { data: unknown }).data, {
      headStats: { numSeries: 3, numLabelPairs: 6, chunkCount: 3, minTime: 1000, maxTime: 2000 },
      seriesCountByMetricName: [{ name: 'up', value: 2 }],
      labelValueCountByLabelName: [{ name: '__name__', value: 2 }],
      memoryInBytesByLabelName: [{ name: 'job', value: 5 }],
      seriesCountByLabelValuePair: [{ name: 'job=api', value: 2 }],
    });
    assert.equal(
      (await get('/api/v1/status/tsdb?limit=0')).text,
      '{"status":"error","errorType":"bad_data","error":"limit must be a positive number"}',
    );
  });

  test('walreplay', async () => {
    assert.equal(
      (await get('/api/v1/status/walreplay')).text,
      '{"status":"success","data":{"min":0,"max":0,"current":0}}',
    );
  });

  test('rules, alerts, alertmanagers: empty shapes', async () => {
    assert.equal((await get('/api/v1/rules')).text, '{"status":"success","data":{"groups":[]}}');
    assert.equal((await get('/api/v1/alerts')).text, '{"status":"success","data":{"alerts":[]}}');
    assert.equal(
      (await get('/api/v1/alertmanagers')).text,
      '{"status":"success","data":{"activeAlertmanagers":[],"droppedAlertmanagers":[]}}',
    );
    assert.equal(
      (await get('/api/v1/rules?type=x')).text,
      '{"status":"error","errorType":"bad_data","error":"invalid parameter \\"type\\": not supported value \\"x\\""}',
    );
  });
});

describe('admin', () => {
  test('disabled: unavailable, HTTP 500 as in Prometheus', async () => {
    for (const p of ['snapshot', 'delete_series?match[]=up', 'clean_tombstones']) {
      const r = await fetchRaw(`${closed.base}/api/v1/admin/tsdb/${p}`, { method: 'POST' });
      assert.equal(r.status, 500);
      assert.equal(r.text, '{"status":"error","errorType":"unavailable","error":"admin APIs disabled"}');
    }
  });

  test('snapshot, delete_series, clean_tombstones', async () => {
    adminCalls.length = 0;
    const snap = await fetchJson(`${h.base}/api/v1/admin/tsdb/snapshot?skip_head=true`, { method: 'PUT' });
    assert.match((snap.body as { data: { name: string } }).data.name, /^\d{8}T\d{6}Z-[0-9a-f]{16}$/);
    const del = await fetchRaw(`${h.base}/api/v1/admin/tsdb/delete_series?match[]=up&start=1&end=2`, {
      method: 'POST',
    });
    assert.equal(del.status, 204);
    const clean = await fetchRaw(`${h.base}/api/v1/admin/tsdb/clean_tombstones`, { method: 'POST' });
    assert.equal(clean.status, 204);
    assert.deepEqual(adminCalls, ['snapshot 33 false', 'delete 1000 2000 __name__="up"', 'clean']);
    const noMatch = await fetchRaw(`${h.base}/api/v1/admin/tsdb/delete_series`, { method: 'POST' });
    assert.equal(
      noMatch.text,
      '{"status":"error","errorType":"bad_data","error":"no match[] parameter provided"}',
    );
    const get405 = await fetchRaw(`${h.base}/api/v1/admin/tsdb/snapshot`);
    assert.equal(get405.status, 405);
  });
});

describe('features and unknown paths', () => {
  test('/api/v1/features lists the PromQL functions the engine has, and the admin flag', async () => {
    const r = await fetchJson(`${h.base}/api/v1/features`);
    const data = (r.body as { data: Record<string, Record<string, boolean>> }).data;
    assert.equal(data.promql_functions.rate, true);
    assert.equal(data.promql_functions.histogram_quantile, true);
    assert.equal(data.promql_operators['+'], true);
    assert.equal(typeof data.api.admin, 'boolean');
    assert.equal(data.service_discovery.kubernetes, true);
  });

  test('an API path that does not exist is 404, not 405', async () => {
    const r = await fetchRaw(`${h.base}/api/v1/nonexistent`);
    assert.equal(r.status, 404);
  });
});
