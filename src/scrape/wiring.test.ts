/**
 * Discovery and scraping wired as `vigil server` will wire them: file SD (real file edits) →
 * DiscoveryManager → ScrapeManager → MemoryStorage.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { ExpositionServer } from '../../test/helpers/exposition-server.js';
import { readSamples, waitUntil } from '../../test/helpers/storage.js';
import { loadConfig } from '../config/load.js';
import { DiscoveryManager, scrapeDiscoveryConfigs } from '../discovery/manager.js';
import { MemoryStorage } from '../storage/memory.js';
import { ScrapeManager } from './manager.js';

test('targets found by file SD are scraped, and marked stale when the file drops them', async (t) => {
  const server = await new ExpositionServer().start();
  const dir = await mkdtemp(path.join(tmpdir(), 'vigil-scrape-wiring-'));
  t.after(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });
  server.answers.set('/metrics', { body: 'a 1\n' });
  const file = path.join(dir, 'targets.yml');
  await writeFile(file, `- targets: ['${server.address}']\n  labels: { team: x }\n`);
  const config = loadConfig(
    `global: { scrape_interval: 200ms, scrape_timeout: 200ms }
scrape_configs:
  - job_name: files
    file_sd_configs: [{ files: ['${dir}/*.yml'] }]
`,
    't.yml',
  );

  const db = new MemoryStorage();
  const scrape = new ScrapeManager({}, { appendable: db });
  const discovery = new DiscoveryManager({ updateIntervalMs: 100 }, {});
  discovery.subscribe((sets) => scrape.sync(sets));
  await scrape.applyConfig(config.scrapeConfigs);
  await discovery.applyConfig(scrapeDiscoveryConfigs(config.scrapeConfigs));
  try {
    await waitUntil('scrapes', () => readSamples(db, 'a').length >= 2);
    const [target] = scrape.activeTargets().get('files')!;
    assert.deepEqual(target.publicLabels.toRecord(), { instance: server.address, job: 'files', team: 'x' });
    assert.equal(target.discoveredLabels.get('__meta_filepath'), file);

    await writeFile(file, '[]\n');
    await waitUntil('stale markers', () => readSamples(db, 'up').at(-1)?.[1] === 'stale');
    assert.equal(readSamples(db, 'a').at(-1)?.[1], 'stale');
    assert.deepEqual(scrape.activeTargets().get('files'), []);
  } finally {
    await discovery.stop();
    await scrape.stop();
  }
});
