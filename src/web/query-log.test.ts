import assert from 'node:assert/strict';
import { mkdtemp, readFile, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { Labels } from '../model/labels.js';
import { MemoryStorage } from '../storage/memory.js';
import { QueryLog } from './query-log.js';
import { fetchRaw, startHarness } from './testing/harness.js';

test('format: Prometheus query log fields in sorted key order', () => {
  const line = QueryLog.format({
    query: 'up == 0',
    start: Date.UTC(2020, 1, 8, 13, 59, 50, 368),
    end: Date.UTC(2020, 1, 8, 14, 59, 50, 368),
    step: 5000,
    stats: {
      timings: {
        evalTotalTime: 1,
        resultSortTime: 0,
        queryPreparationTime: 0,
        innerEvalTime: 1,
        execQueueTime: 0,
        execTotalTime: 1,
      },
      samples: { totalQueryableSamples: 0, peakSamples: 0 },
    },
    httpRequest: { clientIP: '127.0.0.1', method: 'GET', path: '/api/v1/query_range' },
    ts: Date.UTC(2020, 1, 8, 14, 59, 50, 387),
  });
  assert.equal(
    line,
    '{"httpRequest":{"clientIP":"127.0.0.1","method":"GET","path":"/api/v1/query_range"},' +
      '"params":{"end":"2020-02-08T14:59:50.368Z","query":"up == 0","start":"2020-02-08T13:59:50.368Z","step":5},' +
      '"stats":{"timings":{"evalTotalTime":1,"resultSortTime":0,"queryPreparationTime":0,"innerEvalTime":1,"execQueueTime":0,"execTotalTime":1},' +
      '"samples":{"totalQueryableSamples":0,"peakSamples":0}},"ts":"2020-02-08T14:59:50.387Z"}',
  );
});

test('API queries are logged as JSON lines; reopen follows a rotated file', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'vigil-qlog-'));
  const file = path.join(dir, 'query.log');
  const log = new QueryLog(file);
  const s = new MemoryStorage();
  s.add(Labels.from({ __name__: 'up' }), 0, 1);
  const h = await startHarness({ storage: s, queryLog: log, options: { now: () => 60_000 } });
  try {
    await fetchRaw(`${h.base}/api/v1/query?query=up&time=30`);
    await fetchRaw(`${h.base}/api/v1/query_range`, {
      form: { query: 'up', start: '0', end: '60', step: '15' },
    });
    await fetchRaw(`${h.base}/api/v1/query?query=up&time=30&timeout=0`);
    await fetchRaw(`${h.base}/api/v1/query?query=up{`); // never ran: not logged
    await rename(file, `${file}.1`);
    await log.reopen(file);
    await fetchRaw(`${h.base}/api/v1/query?query=1`);
    await log.close();
    const lines = (await readFile(`${file}.1`, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, never>);
    assert.equal(lines.length, 3);
    assert.deepEqual(lines[0].params, {
      end: '1970-01-01T00:00:30.000Z',
      query: 'up',
      start: '1970-01-01T00:00:30.000Z',
      step: 0,
    });
    assert.deepEqual(lines[0].httpRequest, { clientIP: '127.0.0.1', method: 'GET', path: '/api/v1/query' });
    assert.deepEqual(lines[1].params, {
      end: '1970-01-01T00:01:00.000Z',
      query: 'up',
      start: '1970-01-01T00:00:00.000Z',
      step: 15,
    });
    assert.equal((lines[1].httpRequest as { method: string }).method, 'POST');
    assert.equal(lines[2].error, 'query timed out in query queue');
    assert.equal(lines[0].ts, '1970-01-01T00:01:00.000Z');
    const rotated = (await readFile(file, 'utf8')).trim().split('\n');
    assert.equal(rotated.length, 1);
  } finally {
    await h.close();
    await rm(dir, { recursive: true });
  }
});
