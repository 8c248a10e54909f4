/** The server around the API: compression, CORS, route prefix, readiness, lifecycle, console, federation. */
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Labels } from '../model/labels.js';
import { STALE_NAN } from '../model/value.js';
import { MemoryStorage } from '../storage/memory.js';
import { fetchRaw, startHarness } from './testing/harness.js';
import type { Harness } from './testing/harness.js';

describe('compression and CORS', () => {
  let h: Harness;
  before(async () => {
    const s = new MemoryStorage();
    for (let i = 0; i < 50; i++) s.add(Labels.from({ __name__: 'm', i: String(i) }), 0, i);
    h = await startHarness({ storage: s, options: { corsOrigin: 'https?://(a|b)\\.example' } });
  });
  after(() => h.close());

  test('gzip when accepted, plain otherwise, same content', async () => {
    const plain = await fetchRaw(`${h.base}/api/v1/series?match[]=m`);
    const gz = await fetchRaw(`${h.base}/api/v1/series?match[]=m`, {
      headers: { 'accept-encoding': 'br, gzip' },
    });
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.ok(gz.raw.length < plain.raw.length);
    assert.equal(gz.text, plain.text);
    const deflate = await fetchRaw(`${h.base}/api/v1/labels`, { headers: { 'accept-encoding': 'deflate' } });
    assert.equal(deflate.headers['content-encoding'], 'deflate');
    assert.equal(deflate.text, '{"status":"success","data":["__name__","i"]}');
    const refused = await fetchRaw(`${h.base}/api/v1/labels`, { headers: { 'accept-encoding': 'gzip;q=0' } });
    assert.equal(refused.headers['content-encoding'], undefined);
  });

  test('CORS: a matching origin is echoed, others get no Allow-Origin', async () => {
    const ok = await fetchRaw(`${h.base}/api/v1/labels`, { headers: { origin: 'https://a.example' } });
    assert.equal(ok.headers['access-control-allow-origin'], 'https://a.example');
    assert.equal(ok.headers['access-control-allow-methods'], 'GET, POST, OPTIONS');
    assert.equal(ok.headers['access-control-allow-headers'], 'Accept, Authorization, Content-Type, Origin');
    const other = await fetchRaw(`${h.base}/api/v1/labels`, {
      headers: { origin: 'https://a.example.evil' },
    });
    assert.equal(other.headers['access-control-allow-origin'], undefined);
    assert.equal(other.headers['access-control-expose-headers'], 'Date');
    const none = await fetchRaw(`${h.base}/api/v1/labels`);
    assert.equal(none.headers['access-control-allow-methods'], undefined);
  });

  test('OPTIONS preflight: 204 with CORS headers', async () => {
    const r = await fetchRaw(`${h.base}/api/v1/query_range`, {
      method: 'OPTIONS',
      headers: { origin: 'http://b.example' },
    });
    assert.equal(r.status, 204);
    assert.equal(r.headers['access-control-allow-origin'], 'http://b.example');
  });

  test('the default origin .* answers *', async () => {
    const d = await startHarness();
    try {
      const r = await fetchRaw(`${d.base}/api/v1/labels`, { headers: { origin: 'http://anything' } });
      assert.equal(r.headers['access-control-allow-origin'], '*');
    } finally {
      await d.close();
    }
  });
});

describe('route prefix and external URL', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ options: { externalUrl: 'http://vigil.example/prom/' } });
  });
  after(() => h.close());

  test('endpoints live under the prefix', async () => {
    assert.equal((await fetchRaw(`${h.base}/prom/api/v1/labels`)).status, 200);
    assert.equal((await fetchRaw(`${h.base}/prom/-/healthy`)).text, 'Vigil Server is Healthy.\n');
    assert.equal((await fetchRaw(`${h.base}/api/v1/labels`)).status, 404);
  });

  test('/ redirects to the prefix; /graph to /query with its parameters', async () => {
    const root = await fetchRaw(`${h.base}/`);
    assert.equal(root.status, 302);
    assert.equal(root.headers.location, '/prom');
    const graph = await fetchRaw(`${h.base}/prom/graph?g0.expr=up`);
    assert.equal(graph.status, 302);
    assert.equal(graph.headers.location, '/prom/query?g0.expr=up');
  });

  test('an explicit --web.route-prefix wins over the URL path', async () => {
    const r = await startHarness({
      options: { externalUrl: 'http://vigil.example/prom/', routePrefix: '/' },
    });
    try {
      assert.equal((await fetchRaw(`${r.base}/api/v1/labels`)).status, 200);
    } finally {
      await r.close();
    }
  });
});

describe('readiness, health, lifecycle', () => {
  test('not ready: 503 Service Unavailable for the API and /-/ready; walreplay and health still answer', async () => {
    const h = await startHarness({ ready: false });
    try {
      const api = await fetchRaw(`${h.base}/api/v1/query?query=1`);
      assert.equal(api.status, 503);
      assert.equal(api.text, 'Service Unavailable');
      assert.equal((await fetchRaw(`${h.base}/-/ready`)).status, 503);
      assert.equal((await fetchRaw(`${h.base}/-/healthy`)).status, 200);
      assert.equal((await fetchRaw(`${h.base}/api/v1/status/walreplay`)).status, 200);
      h.server.setReady(true);
      const ready = await fetchRaw(`${h.base}/-/ready`);
      assert.equal(ready.text, 'Vigil Server is Ready.\n');
      assert.equal((await fetchRaw(`${h.base}/-/ready`, { method: 'HEAD' })).status, 200);
    } finally {
      await h.close();
    }
  });

  test('lifecycle disabled: 403 with Prometheus text; GET is 405', async () => {
    const h = await startHarness();
    try {
      for (const p of ['/-/reload', '/-/quit']) {
        const r = await fetchRaw(`${h.base}${p}`, { method: 'POST' });
        assert.equal(r.status, 403);
        assert.equal(r.text, 'Lifecycle API is not enabled.');
        const g = await fetchRaw(`${h.base}${p}`);
        assert.equal(g.status, 405);
        assert.equal(g.text, 'Only POST or PUT requests allowed');
      }
    } finally {
      await h.close();
    }
  });

  test('lifecycle enabled: reload reports failures, quit once', async () => {
    let reloads = 0;
    let quits = 0;
    let fail = false;
    const h = await startHarness({
      options: { enableLifecycle: true },
      sources: {
        lifecycle: {
          reload: () => {
            reloads++;
            return fail ? Promise.reject(new Error('bad yaml')) : Promise.resolve();
          },
          quit: () => {
            quits++;
          },
        },
      },
    });
    try {
      assert.equal((await fetchRaw(`${h.base}/-/reload`, { method: 'PUT' })).status, 200);
      fail = true;
      const bad = await fetchRaw(`${h.base}/-/reload`, { method: 'POST' });
      assert.equal(bad.status, 500);
      assert.equal(bad.text, 'failed to reload config: bad yaml\n');
      assert.equal(
        (await fetchRaw(`${h.base}/-/quit`, { method: 'POST' })).text,
        'Requesting termination... Goodbye!',
      );
      assert.equal(
        (await fetchRaw(`${h.base}/-/quit`, { method: 'POST' })).text,
        'Termination already in progress.',
      );
      assert.equal(reloads, 2);
      assert.equal(quits, 1);
    } finally {
      await h.close();
    }
  });

  test('unknown paths: 404 page not found', async () => {
    const h = await startHarness();
    try {
      const r = await fetchRaw(`${h.base}/nope`);
      assert.equal(r.status, 404);
      assert.equal(r.text, '404 page not found\n');
    } finally {
      await h.close();
    }
  });
});

describe('console assets', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'vigil-ui-'));
    await mkdir(path.join(dir, 'assets'));
    await writeFile(
      path.join(dir, 'index.html'),
      '<title>TITLE_PLACEHOLDER</title><script src="assets/app.js"></script>',
    );
    await writeFile(path.join(dir, 'assets', 'app.js'), 'console.log(1);');
    await writeFile(path.join(tmpdir(), 'vigil-secret.txt'), 'secret');
  });
  after(async () => {
    await rm(dir, { recursive: true });
    await rm(path.join(tmpdir(), 'vigil-secret.txt'), { force: true });
  });

  test('index.html for / and SPA routes; assets by path; no escape from the directory', async () => {
    const h = await startHarness({ options: { uiDir: dir, pageTitle: 'My <Vigil>' } });
    try {
      for (const p of ['/', '/query', '/targets', '/tsdb-status']) {
        const r = await fetchRaw(`${h.base}${p}`);
        assert.equal(r.status, 200, p);
        assert.equal(r.headers['content-type'], 'text/html; charset=utf-8');
        assert.match(r.text, /<title>My &lt;Vigil&gt;<\/title>/);
      }
      const js = await fetchRaw(`${h.base}/assets/app.js`, { headers: { 'accept-encoding': 'gzip' } });
      assert.equal(js.headers['content-type'], 'text/javascript; charset=utf-8');
      assert.equal(js.text, 'console.log(1);');
      assert.equal((await fetchRaw(`${h.base}/assets/..%2F..%2Fvigil-secret.txt`)).status, 404);
      assert.equal((await fetchRaw(`${h.base}/assets/missing.js`)).status, 404);
    } finally {
      await h.close();
    }
  });

  test('without a build: a plain page saying so', async () => {
    const h = await startHarness();
    try {
      const r = await fetchRaw(`${h.base}/query`);
      assert.equal(r.status, 200);
      assert.match(r.text, /console is not built/);
    } finally {
      await h.close();
    }
  });
});

describe('/federate', () => {
  test('latest samples within the lookback, untyped families, external labels, stale series left out', async () => {
    const s = new MemoryStorage();
    const now = 1_000_000;
    s.add(Labels.from({ __name__: 'up', job: 'api', instance: 'a' }), now - 30_000, 1);
    s.add(Labels.from({ __name__: 'up', job: 'api', instance: 'a' }), now - 15_000, 0);
    s.add(Labels.from({ __name__: 'up', job: 'db' }), now - 10_000, 1);
    s.add(Labels.from({ __name__: 'old', job: 'api' }), now - 600_000, 1);
    s.add(Labels.from({ __name__: 'gone', job: 'api' }), now - 20_000, 1);
    s.add(Labels.from({ __name__: 'gone', job: 'api' }), now - 5_000, STALE_NAN);
    s.add(Labels.from({ __name__: 'a_metric', job: 'api', zone: 'mine' }), now - 1_000, 2.5);
    const h = await startHarness({
      storage: s,
      options: { now: () => now },
      sources: { config: { configYaml: () => '', externalLabels: () => Labels.from({ zone: 'eu' }) } },
    });
    try {
      const r = await fetchRaw(`${h.base}/federate?match[]=${encodeURIComponent('{job=~".+"}')}`);
      assert.equal(r.status, 200);
      assert.equal(r.headers['content-type'], 'text/plain; version=0.0.4; charset=utf-8');
      assert.equal(
        r.text,
        '# TYPE a_metric untyped\n' +
          'a_metric{instance="",job="api",zone="mine"} 2.5 999000\n' +
          '# TYPE up untyped\n' +
          'up{instance="a",job="api",zone="eu"} 0 985000\n' +
          'up{instance="",job="db",zone="eu"} 1 990000\n',
      );
      assert.equal((await fetchRaw(`${h.base}/federate`)).text, '');
      const bad = await fetchRaw(`${h.base}/federate?match[]=up{`);
      assert.equal(bad.status, 400);
    } finally {
      await h.close();
    }
  });
});
