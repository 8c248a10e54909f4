import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../config/load.js';
import type { ScrapeConfig } from '../config/scrape.js';
import { Labels } from '../model/labels.js';
import { scrapeDelay } from './loop.js';
import { targetsFromGroup } from './target.js';
import type { GroupTargets, Target } from './target.js';

/** The first scrape config of a YAML `scrape_configs` list. */
function job(yaml: string): ScrapeConfig {
  return loadConfig(`scrape_configs:\n${yaml}`, 'test.yml').scrapeConfigs[0];
}

function build(
  cfg: ScrapeConfig,
  targets: Record<string, string>[],
  groupLabels: Record<string, string> = {},
): GroupTargets {
  const out: GroupTargets = { active: [], dropped: [], failures: [] };
  targetsFromGroup(
    { source: '0', targets: targets.map((t) => Labels.from(t)), labels: Labels.from(groupLabels) },
    cfg,
    out,
  );
  return out;
}

describe('target labels', () => {
  const basic = job(`- job_name: node\n  scrape_interval: 15s\n  scrape_timeout: 5s\n`);

  it('adds the job defaults, instance and URL', () => {
    const { active } = build(basic, [{ __address__: 'h:9100', __meta_x: 'm' }], { env: 'prod' });
    assert.equal(active.length, 1);
    const t = active[0];
    assert.deepEqual(t.discoveredLabels.toRecord(), {
      __address__: 'h:9100',
      __meta_x: 'm',
      __metrics_path__: '/metrics',
      __scheme__: 'http',
      __scrape_interval__: '15s',
      __scrape_timeout__: '5s',
      env: 'prod',
      job: 'node',
    });
    assert.deepEqual(t.publicLabels.toRecord(), { env: 'prod', instance: 'h:9100', job: 'node' });
    assert.equal(t.labels.has('__meta_x'), false);
    assert.equal(t.url, 'http://h:9100/metrics');
    assert.equal(t.intervalMs, 15_000);
    assert.equal(t.timeoutMs, 5_000);
    assert.equal(t.health, 'unknown');
  });

  it('target labels win over group labels, and relabeled internal labels shape the URL', () => {
    const cfg = job(`- job_name: blackbox
  metrics_path: /probe
  params: { module: [http_2xx], b: [x, y] }
  relabel_configs:
    - source_labels: [__address__]
      target_label: __param_target
    - target_label: __address__
      replacement: exporter:9115
    - source_labels: [__param_target]
      target_label: instance
`);
    const { active } = build(cfg, [{ __address__: 'example.com', env: 't' }], { env: 'g' });
    const t = active[0];
    assert.equal(t.url, 'http://exporter:9115/probe?b=x&module=http_2xx&target=example.com');
    assert.deepEqual(t.publicLabels.toRecord(), { env: 't', instance: 'example.com', job: 'blackbox' });
  });

  it('keeps dropped targets with their discovered labels', () => {
    const cfg = job(`- job_name: j
  relabel_configs:
    - source_labels: [__address__]
      regex: 'drop.*'
      action: drop
`);
    const out = build(cfg, [{ __address__: 'keep:1' }, { __address__: 'drop:1' }]);
    assert.deepEqual(
      out.active.map((t) => t.labels.get('instance')),
      ['keep:1'],
    );
    assert.equal(out.dropped.length, 1);
    assert.equal(out.dropped[0].discoveredLabels.get('__address__'), 'drop:1');
    assert.equal(out.dropped[0].discoveredLabels.get('job'), 'j');
    assert.equal(out.dropped[0].scrapePool, 'j');
  });

  const errors: [string, string, Record<string, string>][] = [
    [
      'no address',
      `- job_name: j\n  relabel_configs: [{ target_label: __address__, replacement: '' }]\n`,
      { __address__: 'a:1' },
    ],
    ['"a/b" is not a valid hostname', `- job_name: j\n`, { __address__: 'a/b' }],
    ['scrape interval cannot be 0', `- job_name: j\n`, { __address__: 'a:1', __scrape_interval__: '0' }],
    ['error parsing scrape timeout', `- job_name: j\n`, { __address__: 'a:1', __scrape_timeout__: 'x' }],
    [
      'scrape timeout cannot be greater than scrape interval ("2m" > "1m")',
      `- job_name: j\n`,
      { __address__: 'a:1', __scrape_timeout__: '2m' },
    ],
  ];
  for (const [want, yaml, target] of errors) {
    it(`fails with: ${want}`, () => {
      const out = build(job(yaml), [target]);
      assert.equal(out.active.length, 0);
      assert.equal(out.failures.length, 1);
      assert.match(out.failures[0].message, new RegExp(want.replace(/[()"]/g, '.')));
    });
  }
});

describe('scrape offsets', () => {
  it('put a target at one phase of the interval, whenever asked', () => {
    const cfg = job(`- job_name: j\n  scrape_interval: 10s\n`);
    const [a, b] = build(cfg, [{ __address__: 'a:1' }, { __address__: 'b:1' }]).active;
    const phase = (t: Target, seed: number, now: number): number =>
      (now + scrapeDelay(t, 10_000, seed, now)) % 10_000;
    const now = 1_700_000_000_123;
    for (const later of [0, 1, 999, 4321, 9999, 123_456]) {
      const d = scrapeDelay(a, 10_000, 7, now + later);
      assert.ok(d >= 0 && d < 10_000);
      assert.equal(phase(a, 7, now + later), phase(a, 7, now));
    }
    assert.notEqual(phase(a, 7, now), phase(b, 7, now));
    assert.notEqual(phase(a, 7, now), phase(a, 8, now));
  });
});
