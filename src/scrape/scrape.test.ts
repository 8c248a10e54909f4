/**
 * The scrape side end to end: real HTTP servers on 127.0.0.1, the real config loader, and
 * MemoryStorage (transactional, with the head's rules) as the Appendable.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Registry } from 'prom-client';
import { ExpositionServer } from '../../test/helpers/exposition-server.js';
import { readSamples, readSeries, waitUntil } from '../../test/helpers/storage.js';
import { loadConfig } from '../config/load.js';
import type { ScrapeConfig } from '../config/scrape.js';
import type { TargetGroup } from '../discovery/discoverer.js';
import { Labels } from '../model/labels.js';
import { MemoryStorage } from '../storage/memory.js';
import { ScrapeManager } from './manager.js';
import { activeTargetJson } from './target-json.js';

/** Scrape configs from YAML, each job scraping fast (timeouts generous for a loaded machine). */
function configs(yaml: string): ScrapeConfig[] {
  return loadConfig(
    `global: { scrape_interval: 200ms, scrape_timeout: 200ms }\nscrape_configs:\n${yaml}`,
    't.yml',
  ).scrapeConfigs;
}

function group(...addresses: string[]): TargetGroup[] {
  return [
    { source: '0', targets: addresses.map((a) => Labels.from({ __address__: a })), labels: Labels.EMPTY },
  ];
}

/** Values of the samples, in time order. */
function values(s: [number, number | 'stale'][]): (number | 'stale')[] {
  return s.map(([, v]) => v);
}

async function metricValue(registry: Registry, name: string): Promise<number> {
  const m = await registry.getSingleMetric(name)?.get();
  return m?.values.reduce((a, v) => a + v.value, 0) ?? NaN;
}

describe('scrape manager', () => {
  const server = new ExpositionServer();
  before(() => server.start());
  after(() => server.close());

  it('stores samples and the synthetic series, with gzip and Prometheus headers', async () => {
    server.answers.set('/basic', { body: 'a 1\nb{x="y"} 2.5\n', gzip: true });
    const db = new MemoryStorage();
    const m = new ScrapeManager({}, { appendable: db });
    await m.applyConfig(configs(`- job_name: basic\n  metrics_path: /basic\n`));
    m.sync(new Map([['basic', group(server.address)]]));
    const labels = { job: 'basic', instance: server.address };
    // Successful scrapes only: on a machine loaded enough, a 200 ms timeout can strike.
    const ok = (): number[] => readSamples(db, 'up', labels).flatMap(([t, v]) => (v === 1 ? [t] : []));
    try {
      await waitUntil('three successful scrapes', () => ok().length >= 3);
    } finally {
      await m.stop();
    }
    const times = ok().slice(0, 3);
    /** The values of `name` at the successful scrapes. */
    const at = (name: string, match: Record<string, string> = labels): (number | 'stale' | undefined)[] => {
      const samples = readSamples(db, name, match);
      return times.map((t) => samples.find(([st]) => st === t)?.[1]);
    };
    assert.deepEqual(at('a'), [1, 1, 1]);
    assert.deepEqual(at('b', { ...labels, x: 'y' }), [2.5, 2.5, 2.5]);
    assert.deepEqual(at('scrape_samples_scraped'), [2, 2, 2]);
    assert.deepEqual(at('scrape_samples_post_metric_relabeling'), [2, 2, 2]);
    assert.deepEqual(at('scrape_series_added'), [2, 0, 0]);
    const duration = at('scrape_duration_seconds')[0];
    assert.ok(typeof duration === 'number' && duration > 0 && duration < 1);
    // Successive scrapes are an interval apart, give or take a stalled event loop.
    const gap = times[1] - times[0];
    assert.ok(gap >= 100 && gap < 2000, `gap ${gap}`);

    const req = server.requests.find((r) => r.path === '/basic');
    assert.ok(req);
    assert.equal(req.headers['accept-encoding'], 'gzip');
    assert.match(
      String(req.headers['accept']),
      /^application\/openmetrics-text;version=1\.0\.0;escaping=allow-utf-8;q=0\.6,/,
    );
    assert.equal(req.headers['x-prometheus-scrape-timeout-seconds'], '0.2');
    assert.match(String(req.headers['user-agent']), /^Vigil\//);
  });

  it('reports target state for the API', async () => {
    server.answers.set('/state', { body: 'a 1\n' });
    const db = new MemoryStorage();
    const m = new ScrapeManager({}, { appendable: db });
    await m.applyConfig(configs(`- job_name: state\n  metrics_path: /state\n`));
    m.sync(new Map([['state', group(server.address)]]));
    try {
      await waitUntil('a scrape', () => m.activeTargets().get('state')?.[0]?.health === 'up');
      const t = m.activeTargets().get('state')![0];
      assert.equal(t.scrapePool, 'state');
      assert.equal(t.url, `http://${server.address}/state`);
      assert.equal(t.lastError, '');
      assert.ok(t.lastScrape > Date.now() - 5000);
      assert.ok(t.lastScrapeDuration >= 0);
      assert.equal(t.discoveredLabels.get('__metrics_path__'), '/state');
      const json = activeTargetJson(t);
      assert.deepEqual(json.labels, { instance: server.address, job: 'state' });
      assert.equal(json.health, 'up');
      assert.equal(json.scrapeInterval, '200ms');
      assert.equal(json.scrapeTimeout, '200ms');
      assert.match(json.lastScrape, /^\d{4}-\d\d-\d\dT/);
    } finally {
      await m.stop();
    }
  });

  it('marks vanished series stale, then every series when the target goes away', async () => {
    server.answers.set('/vanish', { body: 'a 1\nb 2\n' });
    const db = new MemoryStorage();
    const m = new ScrapeManager({}, { appendable: db });
    await m.applyConfig(configs(`- job_name: vanish\n  metrics_path: /vanish\n`));
    m.sync(new Map([['vanish', group(server.address)]]));
    try {
      await waitUntil('b scraped', () => readSamples(db, 'b').length >= 2);
      server.answers.set('/vanish', { body: 'a 1\n' });
      await waitUntil('b stale', () => readSamples(db, 'b').at(-1)?.[1] === 'stale');
      const staleAt = readSamples(db, 'b').at(-1)![0];
      // The marker carries the timestamp of the first scrape without b.
      assert.ok(readSamples(db, 'up').some(([t]) => t === staleAt));
      assert.notEqual(readSamples(db, 'a').at(-1)?.[1], 'stale');

      m.sync(new Map([['vanish', []]]));
      await waitUntil('a and up stale', () =>
        ['a', 'up', 'scrape_duration_seconds'].every((n) => readSamples(db, n).at(-1)?.[1] === 'stale'),
      );
      assert.deepEqual(m.activeTargets().get('vanish'), []);
    } finally {
      await m.stop();
    }
  });

  it('fails scrapes over the limits with up=0 and Prometheus texts', async () => {
    server.answers.set('/limits', { body: 'a{l="long value"} 1\nb 2\n' });
    server.answers.set('/limits-gz', { body: 'a{l="long value"} 1\nb 2\n', gzip: true });
    const registry = new Registry();
    const db = new MemoryStorage();
    const m = new ScrapeManager({}, { appendable: db, registry });
    await m.applyConfig(
      configs(`
- job_name: samples
  metrics_path: /limits
  sample_limit: 1
- job_name: labels
  metrics_path: /limits
  label_limit: 3
- job_name: body
  metrics_path: /limits
  body_size_limit: 10B
- job_name: bodygz
  metrics_path: /limits-gz
  body_size_limit: 10B
- job_name: targets
  metrics_path: /limits
  target_limit: 1
`),
    );
    m.sync(
      new Map([
        ['samples', group(server.address)],
        ['labels', group(server.address)],
        ['body', group(server.address)],
        ['bodygz', group(server.address)],
        ['targets', group(server.address, `localhost:${server.port}`)],
      ]),
    );
    try {
      await waitUntil('every job scraped twice', () =>
        ['samples', 'labels', 'body', 'bodygz', 'targets'].every((job) => {
          const series = readSeries(db, 'up', { job });
          return series.length > 0 && series.every((s) => s.samples.length >= 2);
        }),
      );
      const errors = new Map([...m.activeTargets()].map(([job, ts]) => [job, ts.map((t) => t.lastError)]));
      assert.deepEqual(errors.get('samples'), ['sample limit exceeded']);
      assert.deepEqual(errors.get('labels'), [
        'label_limit exceeded (metric: a, number of labels: 4, limit: 3)',
      ]);
      assert.deepEqual(errors.get('body'), ['body size limit exceeded']);
      // The limit applies to the decompressed body.
      assert.deepEqual(errors.get('bodygz'), ['body size limit exceeded']);
      assert.deepEqual(errors.get('targets'), [
        'target_limit exceeded (number of targets: 2, limit: 1)',
        'target_limit exceeded (number of targets: 2, limit: 1)',
      ]);
      for (const job of ['samples', 'labels', 'body', 'bodygz', 'targets']) {
        for (const s of readSeries(db, 'up', { job }))
          assert.deepEqual(values(s.samples).slice(0, 2), [0, 0], job);
        // Nothing of a failed scrape is stored.
        assert.deepEqual(readSeries(db, 'a', { job }), [], job);
        assert.deepEqual(readSeries(db, 'b', { job }), [], job);
      }
      // The sample limit counts what was scraped; nothing was stored.
      assert.equal(readSamples(db, 'scrape_samples_scraped', { job: 'samples' })[0][1], 2);
      assert.ok((await metricValue(registry, 'prometheus_target_scrapes_exceeded_sample_limit_total')) >= 2);
      assert.ok(
        (await metricValue(registry, 'prometheus_target_scrapes_exceeded_body_size_limit_total')) >= 2,
      );
      assert.ok(
        (await metricValue(registry, 'prometheus_target_scrape_pool_exceeded_label_limits_total')) >= 2,
      );
      assert.ok(
        (await metricValue(registry, 'prometheus_target_scrape_pool_exceeded_target_limit_total')) >= 1,
      );
      assert.equal(await metricValue(registry, 'prometheus_target_scrape_pool_targets'), 6);
    } finally {
      await m.stop();
    }
  });

  it('honor_labels, exported_ prefixes and metric relabeling', async () => {
    server.answers.set('/labels', { body: 'm{job="inner"} 1\ndropme 2\n' });
    const db = new MemoryStorage();
    const m = new ScrapeManager({}, { appendable: db });
    await m.applyConfig(
      configs(`
- job_name: honor
  metrics_path: /labels
  honor_labels: true
- job_name: plain
  metrics_path: /labels
  metric_relabel_configs:
    - source_labels: [__name__]
      regex: dropme
      action: drop
`),
    );
    m.sync(
      new Map([
        ['honor', group(server.address)],
        ['plain', group(server.address)],
      ]),
    );
    try {
      await waitUntil('both scraped', () => readSeries(db, 'up').length === 2);
    } finally {
      await m.stop();
    }
    const m1 = readSeries(db, 'm').map((s) => s.labels.toRecord());
    assert.deepEqual(
      m1.sort((a, b) => (a.job < b.job ? -1 : 1)),
      [
        { __name__: 'm', instance: server.address, job: 'inner' },
        { __name__: 'm', exported_job: 'inner', instance: server.address, job: 'plain' },
      ],
    );
    assert.deepEqual(
      readSeries(db, 'dropme').map((s) => s.labels.get('job')),
      ['honor'],
    );
    assert.equal(readSamples(db, 'scrape_samples_scraped', { job: 'plain' })[0][1], 2);
    assert.equal(readSamples(db, 'scrape_samples_post_metric_relabeling', { job: 'plain' })[0][1], 1);
    // Synthetic series always carry the target's labels.
    assert.equal(readSeries(db, 'up', { job: 'honor' }).length, 1);
  });

  it('times out slow targets with up=0 and marks their series stale', async () => {
    server.answers.set('/slow', { body: 'a 1\n' });
    const db = new MemoryStorage();
    const m = new ScrapeManager({}, { appendable: db });
    await m.applyConfig(configs(`- job_name: slow\n  metrics_path: /slow\n  scrape_timeout: 50ms\n`));
    m.sync(new Map([['slow', group(server.address)]]));
    try {
      await waitUntil('a scraped', () => readSamples(db, 'a').length >= 1);
      server.answers.set('/slow', { body: 'a 1\n', delayMs: 300 });
      await waitUntil('down', () => readSamples(db, 'up').at(-1)?.[1] === 0);
      const t = m.activeTargets().get('slow')![0];
      assert.equal(t.health, 'down');
      assert.equal(t.lastError, `Get "http://${server.address}/slow": context deadline exceeded`);
      assert.equal(readSamples(db, 'a').at(-1)?.[1], 'stale');
    } finally {
      await m.stop();
    }
  });

  it('fails on a parse error, an unexpected status and an unknown Content-Type', async () => {
    server.answers.set('/bad', { body: 'a{ 1\n' });
    server.answers.set('/500', { body: 'oops', status: 500 });
    server.answers.set('/notype', { body: 'a 1\n', contentType: 'application/json' });
    const db = new MemoryStorage();
    const m = new ScrapeManager({}, { appendable: db });
    await m.applyConfig(
      configs(`
- job_name: bad
  metrics_path: /bad
- job_name: e500
  metrics_path: /500
- job_name: notype
  metrics_path: /notype
- job_name: fallback
  metrics_path: /notype
  fallback_scrape_protocol: PrometheusText0.0.4
`),
    );
    m.sync(new Map(['bad', 'e500', 'notype', 'fallback'].map((job) => [job, group(server.address)])));
    try {
      await waitUntil('all scraped', () =>
        [...m.activeTargets().values()].every((ts) => ts[0] !== undefined && ts[0].health !== 'unknown'),
      );
      const error = (job: string): string => m.activeTargets().get(job)![0].lastError;
      assert.equal(error('e500'), 'server returned HTTP status 500 Internal Server Error');
      assert.notEqual(error('bad'), '');
      assert.equal(
        error('notype'),
        'received unsupported Content-Type "application/json" and no fallback_scrape_protocol specified for target',
      );
      assert.equal(error('fallback'), '');
    } finally {
      await m.stop();
    }
  });

  it('follows redirects unless told not to', async () => {
    server.answers.set('/moved', { body: '', status: 302, headers: { Location: '/target' } });
    server.answers.set('/target', { body: 'a 1\n' });
    const db = new MemoryStorage();
    const m = new ScrapeManager({}, { appendable: db });
    await m.applyConfig(
      configs(`
- job_name: follow
  metrics_path: /moved
- job_name: stay
  metrics_path: /moved
  follow_redirects: false
`),
    );
    m.sync(new Map(['follow', 'stay'].map((job) => [job, group(server.address)])));
    try {
      await waitUntil('both scraped', () =>
        [...m.activeTargets().values()].every((ts) => ts[0] !== undefined && ts[0].health !== 'unknown'),
      );
      assert.equal(m.activeTargets().get('follow')![0].health, 'up');
      assert.equal(m.activeTargets().get('stay')![0].lastError, 'server returned HTTP status 302 Found');
    } finally {
      await m.stop();
    }
  });

  it('reads OpenMetrics when the target answers with it', async () => {
    server.answers.set('/om', {
      body: '# TYPE c counter\nc_total 3 1.5\nc_created 1\n# EOF\n',
      contentType: 'application/openmetrics-text; version=1.0.0; charset=utf-8',
    });
    const registry = new Registry();
    const db = new MemoryStorage();
    const m = new ScrapeManager({}, { appendable: db, registry });
    await m.applyConfig(configs(`- job_name: om\n  metrics_path: /om\n`));
    m.sync(new Map([['om', group(server.address)]]));
    try {
      await waitUntil('two scrapes', () => readSamples(db, 'up').length >= 2);
    } finally {
      await m.stop();
    }
    // The sample's own timestamp (seconds in OpenMetrics) is honored.
    assert.deepEqual(readSamples(db, 'c_total'), [[1500, 3]]);
    const interval = await registry.getSingleMetric('prometheus_target_interval_length_seconds')?.get();
    assert.ok(interval?.values.some((v) => v.labels['interval'] === '200ms' && v.labels['quantile'] === 0.5));
  });

  it('keeps an unchanged pool running across a reload: no missed or repeated scrapes', async () => {
    server.answers.set('/keep', { body: 'a 1\n' });
    server.answers.set('/change', { body: 'a 1\n' });
    const db = new MemoryStorage();
    const m = new ScrapeManager({}, { appendable: db });
    const first = `- job_name: keep\n  metrics_path: /keep\n- job_name: change\n  metrics_path: /change\n`;
    await m.applyConfig(configs(first));
    m.sync(
      new Map([
        ['keep', group(server.address)],
        ['change', group(server.address)],
      ]),
    );
    await waitUntil('scrapes', () => readSamples(db, 'up', { job: 'keep' }).length >= 3);
    const keepTarget = m.activeTargets().get('keep')![0];
    const changeTarget = m.activeTargets().get('change')![0];
    await m.applyConfig(configs(first + `  sample_limit: 1000\n`));
    await m.applyConfig(configs(first + `  sample_limit: 1000\n`)); // a no-op reload
    assert.equal(m.activeTargets().get('keep')![0], keepTarget, 'unchanged pool kept its loop');
    assert.notEqual(m.activeTargets().get('change')![0], changeTarget, 'changed pool restarted');
    const before = readSamples(db, 'up', { job: 'keep' }).length;
    await waitUntil('more scrapes', () => readSamples(db, 'up', { job: 'keep' }).length >= before + 3);
    await m.stop();

    const up = readSamples(db, 'up', { job: 'keep' });
    assert.equal(up.at(-1)?.[1], 'stale', 'stop writes staleness markers');
    const scrapes = up.filter(([, v]) => v !== 'stale');
    // One stored `up` per request, at distinct, increasing timestamps.
    assert.equal(scrapes.length, server.requests.filter((r) => r.path === '/keep').length);
    for (let i = 1; i < scrapes.length; i++) {
      const gap = scrapes[i][0] - scrapes[i - 1][0];
      assert.ok(gap > 0 && gap < 2000, `gap ${gap} between scrapes ${i - 1} and ${i}`);
    }
    // The changed pool's new loop kept the cache, so no series was added again.
    const added = values(readSamples(db, 'scrape_series_added', { job: 'change' }));
    assert.equal(added.filter((v) => v === 1).length, 1);
  });
});
