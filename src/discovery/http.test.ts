import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GroupCollector } from '../../test/helpers/sd-collector.js';
import type { Logger } from '../util/logger.js';
import { DiscoveryError } from './errors.js';
import { HttpDiscoverer } from './http.js';

interface Answer {
  status: number;
  type: string;
  body: string;
}

test('HTTP SD follows a real server and keeps the last targets on failure', async (t) => {
  let answer: Answer = {
    status: 200,
    type: 'application/json',
    body: JSON.stringify([{ targets: ['a:9100', 'b:9100'], labels: { __meta_datacenter: 'london' } }]),
  };
  const refreshHeaders: (string | undefined)[] = [];
  const server = createServer((req, res) => {
    const h = req.headers['x-prometheus-refresh-interval-seconds'];
    refreshHeaders.push(Array.isArray(h) ? h[0] : h);
    res.writeHead(answer.status, { 'content-type': answer.type });
    res.end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sd`;

  const errors: string[] = [];
  const ignore = (): void => {};
  const logger: Logger = {
    debug: ignore,
    info: ignore,
    warn: ignore,
    error: (_msg, fields) =>
      errors.push(String(fields?.['err'] instanceof Error ? fields['err'].message : '')),
  };
  const d = new HttpDiscoverer({ url, refreshIntervalMs: 50 }, { logger });
  const c = new GroupCollector();
  const ac = new AbortController();
  const done = d.run(ac.signal, c.emit);
  try {
    await c.waitFor('first answer', () => c.addresses().join() === 'a:9100,b:9100');
    const g = c.groups.get(`${url}:0`);
    assert.ok(g, 'source is url:index');
    assert.equal(g.labels.get('__meta_url'), url);
    assert.equal(g.labels.get('__meta_datacenter'), 'london');
    assert.equal(refreshHeaders[0], '0.05');

    // A changed answer: a second group appears, the first changes.
    answer = {
      ...answer,
      body: JSON.stringify([{ targets: ['a:9100'] }, { targets: ['c:9100'], labels: { job: 'x' } }]),
    };
    await c.waitFor('changed answer', () => c.addresses().join() === 'a:9100,c:9100');
    assert.equal(c.groups.get(`${url}:1`)?.labels.get('job'), 'x');

    // Failures keep the last targets.
    const emits = c.emits;
    answer = { status: 500, type: 'text/plain', body: 'oops' };
    await c.waitFor('HTTP 500 logged', () => errors.some((e) => e.includes('500')));
    answer = { status: 200, type: 'application/json', body: '[{"targets": ' };
    await c.waitFor('bad JSON logged', () => errors.some((e) => e.includes('parse response')));
    answer = { status: 200, type: 'text/html', body: '[]' };
    await c.waitFor('bad content type logged', () => errors.some((e) => e.includes('content type')));
    assert.equal(c.emits, emits, 'no emit while failing');
    assert.deepEqual(c.addresses(), ['a:9100', 'c:9100']);

    // An empty list empties every group.
    answer = { status: 200, type: 'application/json; charset=utf-8', body: '[]' };
    await c.waitFor('empty answer', () => c.addresses().length === 0);
  } finally {
    ac.abort();
    await done;
  }
});

test('HTTP SD logs an unreachable endpoint and stops promptly', async () => {
  // Port 9 on loopback is closed: the connection is refused.
  const errors: string[] = [];
  const ignore = (): void => {};
  const d = new HttpDiscoverer(
    { url: 'http://127.0.0.1:9/sd', refreshIntervalMs: 60_000 },
    { logger: { debug: ignore, info: ignore, warn: ignore, error: (m) => errors.push(m) } },
  );
  const c = new GroupCollector();
  const ac = new AbortController();
  const done = d.run(ac.signal, c.emit);
  await c.waitFor('error logged', () => errors.length > 0);
  assert.equal(c.emits, 0);
  ac.abort();
  await done;
});

test('HTTP SD rejects URLs that are not http or https', () => {
  for (const url of ['not a url', 'ftp://x/sd']) {
    assert.throws(
      () => new HttpDiscoverer({ url }),
      (err: unknown) => err instanceof DiscoveryError && err.code === 'ERR_SD_INVALID_URL',
    );
  }
});
