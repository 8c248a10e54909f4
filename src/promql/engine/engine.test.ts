import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Labels } from '../../model/labels.js';
import { STALE_NAN } from '../../model/value.js';
import { MemoryStorage } from '../../storage/memory.js';
import { Engine } from './engine.js';
import { QueryCancelledError, TooManySamplesError } from './errors.js';

function storage(): MemoryStorage {
  const s = new MemoryStorage();
  const l = Labels.from({ __name__: 'm', job: 'a' });
  for (let i = 0; i < 10; i++) s.add(l, i * 60_000, i);
  s.add(l, 10 * 60_000, STALE_NAN);
  return s;
}

test('m: the newest sample within the lookback delta', () => {
  const r = new Engine().instantQuery(storage(), 'm', 5 * 60_000 + 30_000).result;
  assert.equal(r.type, 'vector');
  if (r.type === 'vector')
    assert.deepEqual(
      r.samples.map((s) => s.v),
      [5],
    );
});

test('m after a staleness marker: nothing', () => {
  const r = new Engine().instantQuery(storage(), 'm', 10 * 60_000 + 1).result;
  assert.ok(r.type === 'vector' && r.samples.length === 0);
});

test('m[2m]: the left-open window (t-2m, t]', () => {
  const r = new Engine().instantQuery(storage(), 'm[2m]', 4 * 60_000).result;
  assert.ok(r.type === 'matrix');
  if (r.type === 'matrix') assert.deepEqual(Array.from(r.series[0].ts), [3 * 60_000, 4 * 60_000]);
});

test('max samples: Prometheus error text', () => {
  assert.throws(
    () => new Engine({ maxSamples: 2 }).instantQuery(storage(), 'm[5m]', 5 * 60_000),
    (e) => e instanceof TooManySamplesError && /too many samples/.test(e.message),
  );
});

test('an aborted signal cancels the query', () => {
  const c = new AbortController();
  c.abort('timeout');
  assert.throws(
    () => new Engine().rangeQuery(storage(), 'm', 0, 60_000, 1000, { signal: c.signal }),
    QueryCancelledError,
  );
});
