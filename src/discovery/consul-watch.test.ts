import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runWatch } from './consul-watch.js';
import type { BlockingAnswer } from './consul-watch.js';

test('runWatch hands over changed indexes only, resets on a lower index, and backs off', async () => {
  // Scripted answers: [index, value] or an error.
  const script: (BlockingAnswer<string> | Error)[] = [
    { index: 10, value: 'a' },
    { index: 10, value: 'a' }, // blocking query timed out: no change
    { index: 12, value: 'b' },
    new Error('HTTP status 500'),
    new Error('HTTP status 500'),
    { index: 12, value: 'b' }, // back, unchanged
    { index: 3, value: 'c' }, // index went backwards (e.g. a restored snapshot): reset
    { index: 3, value: 'c' },
  ];
  const asked: number[] = [];
  const values: string[] = [];
  const errors: string[] = [];
  const ac = new AbortController();
  const sleeps: number[] = [];
  let last = Date.now();
  await runWatch(
    ac.signal,
    { refreshIntervalMs: 0, retryIntervalMs: 10, maxBackoffMs: 15 },
    (index) => {
      asked.push(index);
      const now = Date.now();
      sleeps.push(now - last);
      last = now;
      const next = script.shift();
      if (next === undefined) {
        ac.abort();
        return Promise.reject(new Error('aborted'));
      }
      return next instanceof Error ? Promise.reject(next) : Promise.resolve(next);
    },
    (v) => void values.push(v),
    (err) => errors.push(err instanceof Error ? err.message : String(err)),
  );
  assert.deepEqual(values, ['a', 'b', 'c', 'c']);
  assert.deepEqual(asked, [0, 10, 10, 12, 12, 12, 12, 0, 3]);
  assert.deepEqual(errors, ['HTTP status 500', 'HTTP status 500']);
  // After the first failure it waits 10ms, after the second 15ms (doubled, capped).
  assert.ok((sleeps[4] ?? 0) >= 9, `first backoff ${sleeps[4]}ms`);
  assert.ok((sleeps[5] ?? 0) >= 14, `second backoff ${sleeps[5]}ms`);
});
