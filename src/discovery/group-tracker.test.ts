import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Labels } from '../model/labels.js';
import { GroupTracker } from './group-tracker.js';

const g = (source: string, ...addrs: string[]) => ({
  source,
  targets: addrs.map((a) => Labels.from({ __address__: a })),
  labels: Labels.EMPTY,
});

test('GroupTracker reports new, changed and vanished groups only', () => {
  const t = new GroupTracker();
  assert.deepEqual(
    t.update([g('a', 'x:1'), g('b', 'y:1')]).map((x) => x.source),
    ['a', 'b'],
  );
  assert.deepEqual(t.update([g('a', 'x:1'), g('b', 'y:1')]), []);
  const changed = t.update([g('a', 'x:2')]);
  assert.deepEqual(
    changed.map((x) => [x.source, x.targets.length]),
    [
      ['a', 1],
      ['b', 0],
    ],
  );
});
