import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Labels } from '../../model/labels.js';
import { STALE_NAN } from '../../model/value.js';
import { MemoryStorage } from '../../storage/memory.js';
import { Engine } from './engine.js';
import { QueryCanceledError, QueryTimeoutError, TooManySamplesError } from './errors.js';

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
  c.abort();
  assert.throws(
    () => new Engine().rangeQuery(storage(), 'm', 0, 60_000, 1000, { signal: c.signal }),
    (e) => e instanceof QueryCanceledError && e.message === 'query was canceled in expression evaluation',
  );
});

test('the timeout option stops even one long step, synchronously', () => {
  // A subquery of ~10^11 inner steps: only the deadline, checked at each inner step, ends it.
  assert.throws(
    () => new Engine().instantQuery(storage(), 'count_over_time(m[1000d:1ms])', 0, { timeout: 1 }),
    (e) => e instanceof QueryTimeoutError && e.message === 'query timed out in expression evaluation',
  );
});

test('rangeQueryAsync gives the event loop a turn between steps', async () => {
  const engine = new Engine({ yieldInterval: 0 });
  let done = false;
  let firedWhileRunning = false;
  setImmediate(() => {
    firedWhileRunning = !done;
  });
  const out = await engine.rangeQueryAsync(storage(), 'm', 0, 9 * 60_000, 60_000);
  done = true;
  assert.ok(firedWhileRunning, 'the immediate ran only after the query');
  assert.ok(out.result.type === 'matrix');
  if (out.result.type === 'matrix')
    assert.deepEqual(Array.from(out.result.series[0].vs), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
});

test('rangeQueryAsync: a cancel from a timer stops an endless query', async () => {
  const c = new AbortController();
  setTimeout(() => c.abort(), 5);
  // 10^12 steps: the query can only end by the abort.
  await assert.rejects(
    new Engine({ yieldInterval: 0 }).rangeQueryAsync(storage(), 'm', 0, 1e12, 1, { signal: c.signal }),
    (e) => e instanceof QueryCanceledError && e.message === 'query was canceled in expression evaluation',
  );
});

test('instantQueryAsync yields within one long subquery step, so a timer can cancel it', async () => {
  const c = new AbortController();
  setTimeout(() => c.abort(), 5);
  // ~8.6·10^10 inner steps in a single step: only a pause inside the subquery lets the timer run.
  await assert.rejects(
    new Engine().instantQueryAsync(storage(), 'count_over_time(m[1000d:1ms])', 0, { signal: c.signal }),
    (e) => e instanceof QueryCanceledError && e.message === 'query was canceled in expression evaluation',
  );
});

test('rangeQueryAsync: an AbortSignal.timeout is a timeout', async () => {
  await assert.rejects(
    new Engine().rangeQueryAsync(storage(), 'm', 0, 1e12, 1, { signal: AbortSignal.timeout(5) }),
    (e) => e instanceof QueryTimeoutError && e.message === 'query timed out in expression evaluation',
  );
});

test('the timeout counts time in the queue: "query timed out in query queue"', async () => {
  const engine = new Engine({ maxConcurrency: 1 });
  const release = await engine.gate.acquire();
  try {
    await assert.rejects(
      engine.instantQueryAsync(storage(), 'm', 60_000, { timeout: 5 }),
      (e) => e instanceof QueryTimeoutError && e.message === 'query timed out in query queue',
    );
  } finally {
    release();
  }
});

test('instantQueryAsync answers as instantQuery does', async () => {
  const out = await new Engine().instantQueryAsync(storage(), 'm', 5 * 60_000 + 30_000);
  assert.deepEqual(out, new Engine().instantQuery(storage(), 'm', 5 * 60_000 + 30_000));
});

test('the gate holds queries beyond maxConcurrency until a slot frees', async () => {
  const engine = new Engine({ maxConcurrency: 1 });
  const release = await engine.gate.acquire();
  let answered = false;
  const p = engine.instantQueryAsync(storage(), 'm', 60_000).then((o) => {
    answered = true;
    return o;
  });
  await new Promise(setImmediate);
  assert.equal(answered, false);
  assert.equal(engine.gate.waiting, 1);
  release();
  const out = await p;
  assert.ok(out.result.type === 'vector' && out.result.samples.length === 1);
  assert.equal(engine.gate.active, 0);
});

test('histogram_count and friends ignore float samples, as in Prometheus', () => {
  for (const f of [
    'histogram_count',
    'histogram_sum',
    'histogram_avg',
    'histogram_stddev',
    'histogram_stdvar',
  ]) {
    const r = new Engine().instantQuery(storage(), `${f}(m)`, 60_000).result;
    assert.ok(r.type === 'vector' && r.samples.length === 0, f);
  }
});

test('histogram_quantile over a range answers as instant queries at each step, le parsed once per series', () => {
  const s = new MemoryStorage();
  const les = ['0.1', '1', '+Inf', 'bad'];
  for (let i = 0; i <= 20; i++)
    for (const [j, le] of les.entries())
      for (const job of ['a', 'b'])
        s.add(
          Labels.from({ __name__: 'h_bucket', job, le }),
          i * 15_000,
          (i + 1) * (j + 1) * (job === 'a' ? 1 : 3),
        );
  const engine = new Engine();
  const q = 'histogram_quantile(0.9, sum by (job, le) (rate(h_bucket[1m])))';
  const range = engine.rangeQuery(s, q, 60_000, 300_000, 60_000);
  assert.ok(range.warnings.some((w) => w.includes('malformed value of "bad"')));
  assert.equal(range.result.type, 'matrix');
  if (range.result.type !== 'matrix') return;
  for (const series of range.result.series)
    series.ts.forEach((t, i) => {
      const at = engine.instantQuery(s, q, t).result;
      assert.equal(at.type, 'vector');
      if (at.type !== 'vector') return;
      const same = at.samples.find((x) => x.labels.equals(series.labels));
      assert.equal(same?.v, series.vs[i], `${series.labels.toString()} at ${t}`);
    });
  assert.equal(range.result.series.length, 2);
});
