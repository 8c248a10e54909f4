import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GroupCollector } from '../../test/helpers/sd-collector.js';
import { recordingLogger } from '../../test/helpers/recording-logger.js';
import { DiscoveryError } from './errors.js';
import { FileDiscoverer, readGroups } from './file.js';

test('file SD follows real file edits', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'vigil-file-sd-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const jsonFile = path.join(dir, 'a.json');
  const yamlFile = path.join(dir, 'b.yml');
  await writeFile(jsonFile, JSON.stringify([{ targets: ['a1:9100'], labels: { env: 'prod' } }]));
  await writeFile(path.join(dir, 'ignored.txt'), 'not a target file');

  const logger = recordingLogger();
  // A long refresh interval: changes must come from the watcher, not the fallback poll.
  const d = new FileDiscoverer(
    { files: [path.join(dir, '*.json'), path.join(dir, '*.yml')], refreshIntervalMs: 60_000 },
    { logger },
  );
  const c = new GroupCollector();
  const ac = new AbortController();
  const done = d.run(ac.signal, c.emit);
  try {
    await c.waitFor('initial file', () => c.addresses().join() === 'a1:9100');
    const g = c.groups.get(`${jsonFile}:0`);
    assert.ok(g, 'source is path:index');
    assert.equal(g.labels.get('__meta_filepath'), jsonFile);
    assert.equal(g.labels.get('env'), 'prod');

    // Create a YAML file.
    await writeFile(yamlFile, '- targets: [b1:9100, b2:9100]\n  labels:\n    team: x\n');
    await c.waitFor('new YAML file', () => c.addresses().join() === 'a1:9100,b1:9100,b2:9100');

    // Change the JSON file by atomic rename, as config management tools do.
    await writeFile(path.join(dir, 'a.json.tmp'), JSON.stringify([{ targets: ['a2:9100'] }]));
    await rename(path.join(dir, 'a.json.tmp'), jsonFile);
    await c.waitFor('changed JSON file', () => c.addresses().join() === 'a2:9100,b1:9100,b2:9100');

    // Bad content is logged and the last good targets stay.
    await writeFile(yamlFile, '- targets: [b3:9100\n');
    await c.waitFor('error logged', () => logger.errors.some((e) => e.includes(yamlFile)));
    assert.deepEqual(c.addresses(), ['a2:9100', 'b1:9100', 'b2:9100']);
    await writeFile(jsonFile, JSON.stringify([{ targets: ['http://x/metrics'] }]));
    await c.waitFor('second error', () => logger.errors.some((e) => e.includes(jsonFile)));
    assert.deepEqual(c.addresses(), ['a2:9100', 'b1:9100', 'b2:9100']);

    // Fixed content applies again.
    await writeFile(yamlFile, '- targets: [b3:9100]\n');
    await c.waitFor('fixed YAML file', () => c.addresses().join() === 'a2:9100,b3:9100');

    // Deleting a file drops its groups.
    await unlink(jsonFile);
    await c.waitFor('deleted JSON file', () => c.addresses().join() === 'b3:9100');

    // Deleting the directory drops everything.
    await rm(dir, { recursive: true, force: true });
    await c.waitFor('deleted directory', () => c.addresses().length === 0);
  } finally {
    ac.abort();
    await done;
  }
});

test('file SD re-reads on the refresh interval without watch events', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'vigil-file-sd-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  // The directory does not exist at start, so there is nothing to watch: only polling finds the file.
  const sub = path.join(dir, 'later');
  const d = new FileDiscoverer({ files: [path.join(sub, 'targets.json')], refreshIntervalMs: 100 });
  const c = new GroupCollector();
  const ac = new AbortController();
  const done = d.run(ac.signal, c.emit);
  try {
    await c.waitFor('first emit', () => c.emits > 0);
    assert.deepEqual(c.addresses(), []);
    const { mkdir } = await import('node:fs/promises');
    await mkdir(sub);
    await writeFile(path.join(sub, 'targets.json'), '[{"targets": ["p:1"]}]');
    await c.waitFor('polled file', () => c.addresses().join() === 'p:1');
  } finally {
    ac.abort();
    await done;
  }
});

test('readGroups accepts an empty YAML file and rejects unknown fields', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'vigil-file-sd-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await writeFile(path.join(dir, 'empty.yaml'), '');
  assert.deepEqual(await readGroups(path.join(dir, 'empty.yaml')), []);
  await writeFile(path.join(dir, 'bad.json'), '[{"targets": [], "lables": {}}]');
  await assert.rejects(readGroups(path.join(dir, 'bad.json')), /unknown field "lables"/);
});

test('file SD rejects paths Prometheus rejects', () => {
  for (const files of [['targets/*/a.json'], ['targets.txt'], ['targets/*']]) {
    assert.throws(
      () => new FileDiscoverer({ files }),
      (err: unknown) => err instanceof DiscoveryError && err.code === 'ERR_SD_INVALID_PATH',
      files[0],
    );
  }
  assert.doesNotThrow(() => new FileDiscoverer({ files: ['a/b/*.yaml', 'c.JSON', 'd/node-[0-9].yml'] }));
});
