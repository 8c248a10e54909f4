/**
 * Consul discovery against a real HTTP server that replays Consul API responses
 * (`testdata/consul/*.json`, each one exchange: status, headers with `X-Consul-Index`, body in
 * Consul's exact JSON shape). Consul cannot run here; the replay server also holds blocking queries
 * on an unchanged index until the test publishes a change, as Consul does.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConsulReplay, loadRecording } from '../../test/helpers/consul-replay.js';
import { GroupCollector } from '../../test/helpers/sd-collector.js';
import { defaultHTTPClientConfig } from '../config/http-client.js';
import type { Logger } from '../util/logger.js';
import { ConsulDiscoverer } from './consul.js';
import { consulOptionsFromConfig } from './consul-options.js';
import type { ConsulOptions } from './consul-options.js';
import { DiscoveryError } from './errors.js';

/** Fast timing so the tests run in milliseconds; blocking queries are released by publish(). */
const FAST: Partial<ConsulOptions> = {
  refreshIntervalMs: 5,
  retryIntervalMs: 20,
  maxBackoffMs: 40,
  watchTimeoutMs: 60_000,
};

function errorLogger(errors: string[]): Logger {
  const ignore = (): void => {};
  return {
    debug: ignore,
    info: ignore,
    warn: ignore,
    error: (msg, fields) => {
      const err = fields?.['err'];
      errors.push(`${msg}: ${err instanceof Error ? err.message : ''}`);
    },
  };
}

async function startReplay(t: { after: (fn: () => Promise<void>) => void }): Promise<[ConsulReplay, string]> {
  const replay = new ConsulReplay();
  replay.catalog = await loadRecording('catalog-services-1');
  replay.health.set('web', await loadRecording('health-web-1'));
  replay.health.set('db', await loadRecording('health-db-1'));
  replay.health.set('consul', await loadRecording('health-consul-1'));
  const server = await replay.start();
  t.after(() => replay.stop());
  return [replay, server];
}

function labelsOf(c: GroupCollector, address: string): Record<string, string> {
  for (const g of c.groups.values()) {
    for (const t of g.targets) {
      if (t.get('__address__') !== address) continue;
      return { ...g.labels.toRecord(), ...t.toRecord() };
    }
  }
  throw new Error(`no target ${address}`);
}

test('Consul SD: initial discovery, a blocking change, and a service leaving', async (t) => {
  const [replay, server] = await startReplay(t);
  const errors: string[] = [];
  const d = new ConsulDiscoverer(
    { ...FAST, server, token: 's3cr3t', datacenter: 'dc1' },
    { logger: errorLogger(errors) },
  );
  const c = new GroupCollector();
  const ac = new AbortController();
  const done = d.run(ac.signal, c.emit);
  try {
    await c.waitFor('initial targets', () => c.emits > 0);
    assert.equal(c.emits, 1, 'one first emit with every service');
    assert.deepEqual([...c.groups.keys()].sort(), ['consul', 'db', 'web']);
    assert.deepEqual(c.addresses(), [
      '10.0.0.11:8080',
      '10.0.0.11:8300',
      '192.168.7.2:8080',
      '[fd00::13]:5432',
    ]);
    assert.deepEqual(labelsOf(c, '10.0.0.11:8080'), {
      __address__: '10.0.0.11:8080',
      __meta_consul_address: '10.0.0.11',
      __meta_consul_dc: 'dc1',
      __meta_consul_health: 'passing',
      __meta_consul_metadata_consul_version: '1.19.2',
      __meta_consul_metadata_rack: 'r1',
      __meta_consul_namespace: 'default',
      __meta_consul_node: 'node-1',
      __meta_consul_partition: 'default',
      __meta_consul_service: 'web',
      __meta_consul_service_id: 'web-1',
      __meta_consul_service_metadata_team_name: 'frontend',
      __meta_consul_service_metadata_version: '1.4.2',
      __meta_consul_service_port: '8080',
      __meta_consul_tagged_address_lan: '10.0.0.11',
      __meta_consul_tagged_address_lan_ipv4: '10.0.0.11',
      __meta_consul_tagged_address_wan: '10.0.0.11',
      __meta_consul_tagged_address_wan_ipv4: '10.0.0.11',
      __meta_consul_tags: ',prod,v1,',
    });
    const web2 = labelsOf(c, '192.168.7.2:8080');
    assert.equal(web2['__meta_consul_service_address'], '192.168.7.2', 'the service address wins');
    assert.equal(web2['__meta_consul_address'], '10.0.0.12');
    assert.equal(web2['__meta_consul_health'], 'warning');
    assert.equal(labelsOf(c, '10.0.0.11:8300')['__meta_consul_tags'], ',,', 'no tags: two separators');

    const first = replay.requests[0];
    assert.ok(first);
    assert.equal(first.path, '/v1/catalog/services');
    assert.equal(first.token, 's3cr3t');
    assert.equal(first.query.get('dc'), 'dc1');
    assert.equal(first.query.has('stale'), true);
    assert.equal(first.query.has('index'), false, 'the first query does not block');

    // Every watch is now parked in a blocking query on its last index.
    await c.waitFor('all four watches blocking', () => replay.held === 4);
    const blocked = replay.requests.find((r) => r.path === '/v1/health/service/web' && r.query.has('index'));
    assert.equal(blocked?.query.get('index'), '44');
    assert.equal(blocked?.query.get('wait'), '60s');
    assert.equal(c.emits, 1, 'nothing emitted while Consul holds the queries');

    // web changes: web-3 registers (IPv6 node, in maintenance) and web-2 turns critical.
    replay.health.set('web', await loadRecording('health-web-2'));
    replay.publish();
    await c.waitFor('web-3', () => c.addresses().includes('[fd00::13]:8081'));
    assert.equal(labelsOf(c, '[fd00::13]:8081')['__meta_consul_health'], 'maintenance');
    assert.equal(labelsOf(c, '192.168.7.2:8080')['__meta_consul_health'], 'critical');
    assert.deepEqual([...c.groups.keys()].sort(), ['consul', 'db', 'web']);

    // db is deregistered: the catalog answers with a new index and db is emitted empty.
    replay.catalog = await loadRecording('catalog-services-2');
    replay.publish();
    await c.waitFor('db gone', () => !c.groups.has('db'));
    assert.deepEqual([...c.groups.keys()].sort(), ['consul', 'web']);
    assert.deepEqual(errors, []);
  } finally {
    ac.abort();
    await done;
  }
});

test('Consul SD: services, tags, node_meta and filters select what is watched', async (t) => {
  const [replay, server] = await startReplay(t);
  const d = new ConsulDiscoverer({
    ...FAST,
    server,
    allowStale: false,
    services: ['web', 'consul'],
    tags: ['prod'],
    nodeMeta: { rack: 'r1' },
    filter: 'ServiceTags contains "prod"',
    healthFilter: 'Service.Meta.version == "1.4.2"',
  });
  const c = new GroupCollector();
  const ac = new AbortController();
  const done = d.run(ac.signal, c.emit);
  try {
    await c.waitFor('initial targets', () => c.emits > 0);
    // consul is named but lacks the tag prod; db has the tag but is not named.
    assert.deepEqual([...c.groups.keys()], ['web']);
    const paths = new Set(replay.requests.map((r) => r.path));
    assert.deepEqual([...paths].sort(), ['/v1/catalog/services', '/v1/health/service/web']);

    const catalog = replay.requests.find((r) => r.path === '/v1/catalog/services');
    assert.equal(catalog?.query.get('filter'), 'ServiceTags contains "prod"');
    assert.deepEqual(catalog?.query.getAll('node-meta'), ['rack:r1']);
    assert.equal(catalog?.query.has('stale'), false);
    const health = replay.requests.find((r) => r.path === '/v1/health/service/web');
    assert.deepEqual(health?.query.getAll('tag'), ['prod']);
    assert.deepEqual(health?.query.getAll('node-meta'), ['rack:r1']);
    assert.equal(health?.query.get('filter'), 'Service.Meta.version == "1.4.2"');
  } finally {
    ac.abort();
    await done;
  }
});

test('Consul SD: a failing Consul keeps the last targets, backs off, and recovers', async (t) => {
  const [replay, server] = await startReplay(t);
  const noLeader = await loadRecording('error-no-leader');
  replay.failure = noLeader;
  const errors: string[] = [];
  const d = new ConsulDiscoverer({ ...FAST, server, services: ['web'] }, { logger: errorLogger(errors) });
  const c = new GroupCollector();
  const ac = new AbortController();
  const done = d.run(ac.signal, c.emit);
  try {
    // Down from the start: errors are logged, nothing is emitted.
    await c.waitFor('first error', () => errors.length >= 2);
    assert.equal(c.emits, 0);
    assert.match(errors[0] ?? '', /^Error refreshing service list: .*HTTP status 500/);

    replay.failure = undefined;
    await c.waitFor('recovered', () => c.addresses().join() === '10.0.0.11:8080,192.168.7.2:8080');

    // Fails again while the watches block: the held queries get the 500, targets stay.
    await c.waitFor('watches blocking', () => replay.held === 2);
    const emits = c.emits;
    const logged = errors.length;
    replay.failure = noLeader;
    replay.publish();
    await c.waitFor('errors while failing', () => errors.length >= logged + 4);
    assert.ok(errors.some((e) => e.startsWith('Error refreshing service: ')));
    assert.equal(c.emits, emits, 'no emit while failing');
    assert.deepEqual(c.addresses(), ['10.0.0.11:8080', '192.168.7.2:8080']);

    // Backoff: retries are spaced out (20ms doubling to 40ms), not a hot loop.
    const before = replay.requests.length;
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.ok(replay.requests.length - before < 25, `${replay.requests.length - before} requests in 200ms`);

    // Recovery with a change.
    replay.health.set('web', await loadRecording('health-web-2'));
    replay.failure = undefined;
    await c.waitFor('recovered with web-3', () => c.addresses().includes('[fd00::13]:8081'));
  } finally {
    ac.abort();
    await done;
  }
});

test('Consul SD: an answer without X-Consul-Index or with bad JSON is an error', async (t) => {
  const [replay, server] = await startReplay(t);
  const errors: string[] = [];
  replay.failure = { status: 200, headers: { 'Content-Type': 'application/json' }, body: {} };
  const d = new ConsulDiscoverer({ ...FAST, server }, { logger: errorLogger(errors) });
  const c = new GroupCollector();
  const ac = new AbortController();
  const done = d.run(ac.signal, c.emit);
  try {
    await c.waitFor('missing index logged', () => errors.some((e) => e.includes('X-Consul-Index')));
    replay.failure = { status: 200, headers: { 'X-Consul-Index': '9' }, body: '{"web": [' };
    await c.waitFor('bad JSON logged', () => errors.some((e) => e.includes('parse response')));
    replay.failure = { status: 200, headers: { 'X-Consul-Index': '9' }, body: { web: 'prod' } };
    await c.waitFor('bad shape logged', () => errors.some((e) => e.includes('invalid Consul response')));
    assert.equal(c.emits, 0);
  } finally {
    ac.abort();
    await done;
  }
});

test('Consul SD: path_prefix is put before every API path', async (t) => {
  const [replay, server] = await startReplay(t);
  replay.prefix = '/consul';
  const d = new ConsulDiscoverer({ ...FAST, server, pathPrefix: '/consul/', services: ['db'] });
  const c = new GroupCollector();
  const ac = new AbortController();
  const done = d.run(ac.signal, c.emit);
  try {
    await c.waitFor('db', () => c.addresses().join() === '[fd00::13]:5432');
    assert.deepEqual([...new Set(replay.requests.map((r) => r.path))].sort(), [
      '/consul/v1/catalog/services',
      '/consul/v1/health/service/db',
    ]);
  } finally {
    ac.abort();
    await done;
  }
});

test('Consul SD: options map from a parsed consul_sd_config', () => {
  const o = consulOptionsFromConfig({
    server: 'consul.example:8500',
    pathPrefix: '/consul',
    token: 't',
    datacenter: 'dc2',
    namespace: 'ns',
    partition: 'p',
    scheme: 'https',
    username: '',
    password: '',
    services: ['a'],
    filter: 'f',
    healthFilter: 'h',
    tags: ['x'],
    nodeMeta: { k: 'v' },
    tagSeparator: ';',
    allowStale: false,
    refreshInterval: 10_000,
    httpClient: defaultHTTPClientConfig(),
  });
  assert.equal(o.server, 'consul.example:8500');
  assert.equal(o.pathPrefix, '/consul');
  assert.equal(o.refreshIntervalMs, 10_000);
  assert.equal(o.tagSeparator, ';');
  assert.equal(o.allowStale, false);
  assert.equal(o.healthFilter, 'h');
  assert.deepEqual(o.nodeMeta, { k: 'v' });
  assert.equal(o.watchTimeoutMs, 120_000);
});

test('Consul SD rejects a scheme other than http or https', () => {
  assert.throws(
    () => new ConsulDiscoverer({ scheme: 'ftp' }),
    (err: unknown) => err instanceof DiscoveryError && err.code === 'ERR_SD_INVALID_URL',
  );
});
