import assert from 'node:assert/strict';
import { test } from 'node:test';
import { QueryCanceledError, QueryTimeoutError } from './errors.js';
import { QueryGate } from './query-gate.js';

test('QueryGate grants up to max slots, then queues in order', async () => {
  const gate = new QueryGate(2);
  const a = await gate.acquire();
  const b = await gate.acquire();
  const order: string[] = [];
  const c = gate.acquire().then((r) => (order.push('c'), r));
  const d = gate.acquire().then((r) => (order.push('d'), r));
  assert.equal(gate.active, 2);
  assert.equal(gate.waiting, 2);
  a();
  a(); // A second call is a no-op.
  (await c)();
  b();
  (await d)();
  assert.deepEqual(order, ['c', 'd']);
  assert.equal(gate.active, 0);
  assert.equal(gate.waiting, 0);
});

test('QueryGate: a waiter cancelled in the queue gets Prometheus error and leaves it', async () => {
  const gate = new QueryGate(1);
  const release = await gate.acquire();
  const c = new AbortController();
  const waiting = gate.acquire(c.signal);
  c.abort();
  await assert.rejects(
    waiting,
    (e) => e instanceof QueryCanceledError && e.message === 'query was canceled in query queue',
  );
  assert.equal(gate.waiting, 0);
  release();
  assert.equal(gate.active, 0);
});

test('QueryGate: an already timed-out signal is a queue timeout', async () => {
  const c = new AbortController();
  c.abort(new DOMException('timed out', 'TimeoutError'));
  await assert.rejects(
    new QueryGate(1).acquire(c.signal),
    (e) => e instanceof QueryTimeoutError && e.message === 'query timed out in query queue',
  );
});

test('QueryGate rejects a size below 1', () => {
  assert.throws(() => new QueryGate(0), RangeError);
});
