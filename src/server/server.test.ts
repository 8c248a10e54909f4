/**
 * The server assembled, in process: a real HTTP target scraped into the real TSDB, read back
 * through the HTTP API; self-monitoring on /metrics; reloads that keep unchanged jobs scraping
 * without a gap and reject a bad file; restart with the data kept.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ExpositionServer } from '../../test/helpers/exposition-server.js';
import { freePort } from '../../test/support/network.js';
import { Labels } from '../model/labels.js';
import { noopLogger } from '../util/logger.js';
import { Server } from './server.js';
import type { ServerOptions } from './server.js';

const dirs: string[] = [];
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'vigil-server-'));
  dirs.push(d);
  return d;
}

function config(targets: Record<string, string>, interval = '200ms'): string {
  const jobs = Object.entries(targets).map(
    ([job, addr]) => `  - job_name: ${job}\n    static_configs:\n      - targets: ['${addr}']\n`,
  );
  return `global:\n  scrape_interval: ${interval}\n  scrape_timeout: ${interval}\nscrape_configs:\n${jobs.join('')}`;
}

async function options(dir: string, configFile: string): Promise<ServerOptions> {
  return {
    configFile,
    storagePath: join(dir, 'data'),
    retentionTime: 15 * 86_400_000,
    retentionSize: 0,
    walFsync: 'batch',
    walCompression: false,
    queryMaxSamples: 50_000_000,
    queryMaxConcurrency: 20,
    web: { listenAddress: `127.0.0.1:${await freePort()}`, enableLifecycle: true, enableAdminApi: true },
    logger: noopLogger,
  };
}

interface VectorSample {
  metric: Record<string, string>;
  value: [number, string];
}

async function api<T>(server: Server, path: string, init?: RequestInit): Promise<T> {
  const res = await fetch(`http://127.0.0.1:${server.address!.port}${path}`, init);
  const body = (await res.json()) as { status: string; data: T; error?: string };
  assert.equal(body.status, 'success', body.error);
  return body.data;
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Timestamps (ms) of the stored `up` samples of a job over the last `range`. */
async function upTimes(server: Server, job: string, range = '1h'): Promise<number[]> {
  const data = await api<{ result: { values: [number, string][] }[] }>(
    server,
    `/api/v1/query?query=${encodeURIComponent(`up{job="${job}"}[${range}]`)}`,
  );
  return (data.result[0]?.values ?? []).map(([t]) => Math.round(t * 1000));
}

describe('vigil server', () => {
  it('scrapes a target into the TSDB and answers queries, /metrics and the targets API', async () => {
    const target = await new ExpositionServer().start();
    target.answers.set('/metrics', { body: '# TYPE requests_total counter\nrequests_total{path="/"} 42\n' });
    const dir = await tempDir();
    const file = join(dir, 'prometheus.yml');
    await writeFile(file, config({ app: target.address }));
    const server = await Server.start(await options(dir, file));
    try {
      await until('a scrape', async () => (await upTimes(server, 'app')).length >= 2);
      const v = await api<{ result: VectorSample[] }>(server, '/api/v1/query?query=requests_total');
      assert.deepEqual(v.result[0].metric, {
        __name__: 'requests_total',
        instance: target.address,
        job: 'app',
        path: '/',
      });
      assert.equal(v.result[0].value[1], '42');
      const targets = await api<{ activeTargets: { health: string; labels: Record<string, string> }[] }>(
        server,
        '/api/v1/targets',
      );
      assert.equal(targets.activeTargets[0].health, 'up');
      const metrics = await (await fetch(`http://127.0.0.1:${server.address!.port}/metrics`)).text();
      assert.match(metrics, /^prometheus_tsdb_head_series [1-9]/m);
      assert.match(metrics, /^prometheus_config_last_reload_successful 1$/m);
      assert.match(metrics, /^process_resident_memory_bytes /m);
    } finally {
      await server.stop();
      await target.close();
    }
  });

  it('takes storage.tsdb.out_of_order_time_window from the file and applies a change on reload', async () => {
    const dir = await tempDir();
    const file = join(dir, 'prometheus.yml');
    await writeFile(file, 'scrape_configs: []\n');
    const server = await Server.start(await options(dir, file));
    const port = server.address!.port;
    const labels = Labels.from({ __name__: 'ooo_reload' });
    const appendAt = async (t: number): Promise<string> => {
      const app = server.db.appender();
      try {
        app.append(0, labels, t, t);
        await app.commit();
        return 'ok';
      } catch (e) {
        await app.rollback();
        return e instanceof Error ? e.message : String(e);
      }
    };
    try {
      assert.equal(await appendAt(3_600_000), 'ok');
      assert.equal(await appendAt(3_000_000), 'out of order sample');
      await writeFile(file, 'storage:\n  tsdb:\n    out_of_order_time_window: 30m\nscrape_configs: []\n');
      assert.equal((await fetch(`http://127.0.0.1:${port}/-/reload`, { method: 'POST' })).status, 200);
      assert.equal(await appendAt(3_000_000), 'ok');
      assert.equal(await appendAt(1_000_000), 'too old sample');
      const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      assert.match(metrics, /^prometheus_tsdb_head_out_of_order_samples_appended_total\{type="float"\} 1$/m);
      assert.match(metrics, /^prometheus_tsdb_too_old_samples_total\{type="float"\} 1$/m);
      const got = await api<{ result: { values: [number, string][] }[] }>(
        server,
        `/api/v1/query?query=${encodeURIComponent('ooo_reload[2h]')}&time=3600`,
      );
      assert.deepEqual(
        got.result[0].values.map(([t]) => t),
        [3000, 3600],
      );
    } finally {
      await server.stop();
    }
  });

  it('reloads without losing scrapes of an unchanged job, and keeps the old config when the new one is bad', async () => {
    const a = await new ExpositionServer().start();
    const b = await new ExpositionServer().start();
    a.answers.set('/metrics', { body: 'a_metric 1\n' });
    b.answers.set('/metrics', { body: 'b_metric 1\n' });
    const dir = await tempDir();
    const file = join(dir, 'prometheus.yml');
    await writeFile(file, config({ a: a.address }));
    const server = await Server.start(await options(dir, file));
    const port = server.address!.port;
    try {
      await until('job a scraped', async () => (await upTimes(server, 'a')).length >= 3);
      await writeFile(file, config({ a: a.address, b: b.address }));
      const res = await fetch(`http://127.0.0.1:${port}/-/reload`, { method: 'POST' });
      assert.equal(res.status, 200);
      await until('job b scraped', async () => (await upTimes(server, 'b')).length >= 3);

      await writeFile(file, 'scrape_configs:\n  - job_name: a\n    scrape_interval: nonsense\n');
      const bad = await fetch(`http://127.0.0.1:${port}/-/reload`, { method: 'POST' });
      assert.equal(bad.status, 500);
      const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      assert.match(metrics, /^prometheus_config_last_reload_successful 0$/m);
      const before = (await upTimes(server, 'b')).length;
      await until('job b still scraped', async () => (await upTimes(server, 'b')).length > before + 2);
    } finally {
      await server.stop();
      // Nothing lost on job a through both reloads: every scrape its target answered is stored.
      // (Counted after stop, when no scrape is in flight; timing-free, so a loaded machine passes.)
      const scrapes = a.requests.filter((r) => r.path === '/metrics').length;
      const reopened = await Server.start({ ...(await options(dir, file)), configFile: undefined });
      try {
        assert.equal((await upTimes(reopened, 'a')).length, scrapes);
      } finally {
        await reopened.stop();
      }
      await a.close();
      await b.close();
    }
  });

  it('shows the loaded configuration with defaults and secrets redacted on status/config, rewritten on reload', async () => {
    const dir = await tempDir();
    const file = join(dir, 'prometheus.yml');
    const job = (name: string): string =>
      `  - job_name: ${name}\n    basic_auth: {username: u, password: hunter2}\n` +
      `    static_configs: [{targets: ['127.0.0.1:1']}]\n`;
    await writeFile(file, `global:\n  scrape_interval: 90s\nscrape_configs:\n${job('a')}`);
    const server = await Server.start(await options(dir, file));
    const port = server.address!.port;
    const shown = async (): Promise<string> =>
      (await api<{ yaml: string }>(server, '/api/v1/status/config')).yaml;
    try {
      const first = await shown();
      assert.match(
        first,
        /^ {2}scrape_interval: 1m30s\n {2}scrape_timeout: 10s\n {2}evaluation_interval: 1m\n/m,
      );
      assert.match(first, /^ {2}metrics_path: \/metrics\n {2}scheme: http\n/m);
      assert.match(first, /^ {4}password: <secret>$/m);
      assert.doesNotMatch(first, /hunter2/);

      await writeFile(file, `scrape_configs:\n${job('a')}${job('b')}`);
      assert.equal((await fetch(`http://127.0.0.1:${port}/-/reload`, { method: 'POST' })).status, 200);
      const second = await shown();
      assert.match(second, /^- job_name: b$/m);
      assert.match(second, /^ {2}scrape_interval: 1m\n/m, 'the new global default');

      await writeFile(file, 'scrape_configs:\n  - job_name: a\n    scrape_interval: nonsense\n');
      assert.equal((await fetch(`http://127.0.0.1:${port}/-/reload`, { method: 'POST' })).status, 500);
      assert.equal(await shown(), second, 'a rejected file leaves the running configuration shown');
    } finally {
      await server.stop();
    }
  });

  it('keeps every stored sample across a clean restart', async () => {
    const target = await new ExpositionServer().start();
    target.answers.set('/metrics', { body: 'kept_metric 7\n' });
    const dir = await tempDir();
    const file = join(dir, 'prometheus.yml');
    await writeFile(file, config({ k: target.address }));
    const opts = await options(dir, file);
    let server = await Server.start(opts);
    await until('scrapes', async () => (await upTimes(server, 'k')).length >= 3);
    await server.stop();
    await target.close();
    server = await Server.start({ ...opts, configFile: undefined });
    try {
      const after = await upTimes(server, 'k');
      assert.ok(after.length >= 3);
      // Stopping wrote staleness markers: the series is gone from an instant query now.
      const v = await api<{ result: VectorSample[] }>(server, '/api/v1/query?query=kept_metric');
      assert.deepEqual(v.result, []);
    } finally {
      await server.stop();
    }
  });
});
