import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { VIGIL_BIN } from '../../test/support/paths.js';

const dir = mkdtempSync(path.join(tmpdir(), 'vigil-check-config-'));

function fixture(name: string, text: string): string {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
}

function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [VIGIL_BIN, ...args], (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : -1;
      resolve({ code, stdout, stderr });
    });
  });
}

const good = fixture(
  'good.yml',
  'global:\n  scrape_interval: 15s\nrule_files: [rules.yml]\nscrape_configs:\n  - job_name: a\n    static_configs: [{targets: [localhost:9090]}]\n',
);
const bad = fixture('bad.yml', 'scrape_configs:\n  - job_name: a\n    scrape_intervall: 1m\n');

test('check config good.yml: success, rule files listed, exit 0', async () => {
  const r = await run('check', 'config', good);
  assert.equal(r.code, 0);
  assert.equal(
    r.stdout,
    `Checking ${good}\n` +
      ' SUCCESS: 1 rule files found\n' +
      `  NOTE: rule file ${path.join(dir, 'rules.yml')} not checked: rule checking is not built yet\n` +
      ` SUCCESS: ${good} is valid prometheus config file syntax\n`,
  );
  assert.equal(r.stderr, '');
});

test('check config bad.yml: the error with its position, exit 1', async () => {
  const r = await run('check', 'config', bad);
  assert.equal(r.code, 1);
  assert.equal(r.stdout, `Checking ${bad}\n`);
  assert.equal(
    r.stderr,
    ` FAILED: ${bad}:3:5: field scrape_intervall not found in type config.ScrapeConfig\n`,
  );
});

test('check config bad.yml good.yml: every file checked, exit 1', async () => {
  const r = await run('check', 'config', bad, good);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /is valid prometheus config file syntax/);
  assert.match(r.stderr, /FAILED/);
});

test('check config missing.yml: read error, exit 1', async () => {
  const r = await run('check', 'config', path.join(dir, 'missing.yml'));
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^ FAILED: read .*missing\.yml: ENOENT/);
});

test('check config without files: usage error, exit 2', async () => {
  const r = await run('check', 'config');
  assert.equal(r.code, 2);
});
