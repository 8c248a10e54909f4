import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { Registry } from 'prom-client';
import { waitUntil } from '../../test/helpers/storage.js';
import { loadConfig } from '../config/load.js';
import { recordingLogger } from '../../test/helpers/recording-logger.js';
import { DiscoveryManager, scrapeDiscoveryConfigs } from './manager.js';
import type { TargetSets } from './manager.js';

function sdConfigs(yaml: string): ReturnType<typeof scrapeDiscoveryConfigs> {
  return scrapeDiscoveryConfigs(loadConfig(`scrape_configs:\n${yaml}`, 'test.yml').scrapeConfigs);
}

/** Addresses per job of one update, sorted. */
function addresses(sets: TargetSets): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [job, groups] of sets) {
    out[job] = groups.flatMap((g) => g.targets.map((t) => t.get('__address__'))).sort();
  }
  return out;
}

/** Records every published update with its time. */
function record(m: DiscoveryManager): { at: number; sets: Record<string, string[]> }[] {
  const updates: { at: number; sets: Record<string, string[]> }[] = [];
  m.subscribe((sets) => updates.push({ at: Date.now(), sets: addresses(sets) }));
  return updates;
}

test('discovery manager merges jobs, follows real file edits and throttles updates', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'vigil-sd-manager-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'targets.json');
  await writeFile(file, JSON.stringify([{ targets: ['a:1'] }]));
  const registry = new Registry();
  const m = new DiscoveryManager({ updateIntervalMs: 150 }, { registry });
  const updates = record(m);
  const started = Date.now();
  await m.applyConfig(
    sdConfigs(`
- job_name: files
  file_sd_configs: [{ files: ['${dir}/*.json'], refresh_interval: 1h }]
- job_name: static
  static_configs: [{ targets: ['s:1', 's:2'] }, { targets: ['s:3'] }]
`),
  );
  try {
    await waitUntil('first targets', () => updates.at(-1)?.sets['files']?.join() === 'a:1');
    assert.ok(updates[0].at - started < 1000, 'the first update is not held back');
    assert.deepEqual(updates.at(-1)?.sets['static'], ['s:1', 's:2', 's:3']);

    await writeFile(file, JSON.stringify([{ targets: ['b:1', 'b:2'] }]));
    await waitUntil('edited file', () => updates.at(-1)?.sets['files']?.join() === 'b:1,b:2');
    for (let i = 1; i < updates.length; i++) {
      assert.ok(updates[i].at - updates[i - 1].at >= 140, `updates ${i - 1} and ${i} too close`);
    }
    const discovered = await registry.getSingleMetric('prometheus_sd_discovered_targets')?.get();
    const files = discovered?.values.find((v) => v.labels['config'] === 'files');
    assert.equal(files?.value, 2);
  } finally {
    await m.stop();
  }
});

test('discovery manager reload keeps unchanged discoverers and stops removed ones', async (t) => {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(req.url ?? '');
    const v = new URL(req.url ?? '/', 'http://x').searchParams.get('v') ?? '0';
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify([{ targets: [`${req.url?.startsWith('/keep') ? 'keep' : 'change'}-v${v}:1`] }]));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const config = (v: number, withGone: boolean): string => `
- job_name: keep
  http_sd_configs: [{ url: '${base}/keep', refresh_interval: 1h }]
- job_name: change
  http_sd_configs: [{ url: '${base}/change?v=${v}', refresh_interval: 1h }]
${withGone ? `- job_name: gone\n  static_configs: [{ targets: ['g:1'] }]\n` : ''}`;

  const m = new DiscoveryManager({ updateIntervalMs: 50 }, {});
  const updates = record(m);
  try {
    await m.applyConfig(sdConfigs(config(1, true)));
    await waitUntil('all jobs', () => {
      const s = updates.at(-1)?.sets;
      return s?.['keep']?.length === 1 && s['change']?.length === 1 && s['gone']?.length === 1;
    });
    await m.applyConfig(sdConfigs(config(2, false)));
    await waitUntil('changed job', () => updates.at(-1)?.sets['change']?.join() === 'change-v2:1');
    const last = updates.at(-1)!.sets;
    assert.deepEqual(last, { keep: ['keep-v0:1'], change: ['change-v2:1'] });
    assert.equal(
      requests.filter((r) => r.startsWith('/keep')).length,
      1,
      'the unchanged discoverer was not restarted',
    );
    assert.deepEqual(
      requests.filter((r) => r.startsWith('/change')),
      ['/change?v=1', '/change?v=2'],
    );
  } finally {
    await m.stop();
  }
});

test('discovery manager logs and counts a discoverer that cannot start', async () => {
  const registry = new Registry();
  const logger = recordingLogger();
  const m = new DiscoveryManager({ updateIntervalMs: 50 }, { registry, logger });
  const updates = record(m);
  try {
    await m.applyConfig(
      sdConfigs(`
- job_name: k8s
  kubernetes_sd_configs: [{ role: pod, kubeconfig_file: /nonexistent/kubeconfig }]
  static_configs: [{ targets: ['s:1'] }]
`),
    );
    await waitUntil('error logged', () => logger.errors.length > 0);
    assert.match(logger.errors[0], /^Cannot create service discovery /);
    const failed = await registry.getSingleMetric('prometheus_sd_failed_configs')?.get();
    assert.equal(failed?.values[0]?.value, 1);
    await waitUntil('static targets still published', () => updates.at(-1)?.sets['k8s']?.join() === 's:1');
  } finally {
    await m.stop();
  }
});

test('discovery manager keeps the last targets of a discoverer that starts failing', async (t) => {
  let status = 200;
  let requests = 0;
  const server = createServer((_req, res) => {
    requests++;
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify([{ targets: ['a:1'] }]));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sd`;
  const logger = recordingLogger();
  const m = new DiscoveryManager({ updateIntervalMs: 50 }, { logger });
  const updates = record(m);
  try {
    await m.applyConfig(
      sdConfigs(`- job_name: h\n  http_sd_configs: [{ url: '${url}', refresh_interval: 50ms }]\n`),
    );
    await waitUntil('targets', () => updates.at(-1)?.sets['h']?.join() === 'a:1');
    status = 500;
    const seen = requests;
    await waitUntil('failed refreshes', () => requests >= seen + 2 && logger.errors.length >= 2);
    assert.deepEqual(addresses(m.targetSets()), { h: ['a:1'] });
    assert.deepEqual(updates.at(-1)?.sets, { h: ['a:1'] });
  } finally {
    await m.stop();
  }
});
