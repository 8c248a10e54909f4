import assert from 'node:assert/strict';
import { test } from 'node:test';
import { queryDeadline } from './deadline.js';

test('the signal fires when read after the deadline, with no timer turn in between', () => {
  let now = 1000;
  const d = queryDeadline(50, () => now);
  assert.equal(d.signal.aborted, false);
  now = 1049;
  assert.equal(d.signal.aborted, false);
  now = 1050;
  // Still inside one synchronous run: only the getter can notice.
  assert.equal(d.signal.aborted, true);
  assert.equal(d.cause(), 'timeout');
  d.dispose();
});

test('cancel() marks the cause canceled and is not overwritten by the deadline', () => {
  let now = 0;
  const d = queryDeadline(10, () => now);
  d.cancel();
  now = 100;
  assert.equal(d.signal.aborted, true);
  assert.equal(d.cause(), 'canceled');
  d.dispose();
});
