import assert from 'node:assert/strict';
import { test } from 'node:test';
import { STALE_NAN, isStaleNaN } from '../../model/value.js';
import { ReplayWindow } from './replay-window.js';

interface Group {
  ref: number;
  samples: [number, number][];
}

function drain(w: ReplayWindow): Group[] {
  const out: Group[] = [];
  w.flush((ref, times, values, from, to) => {
    const samples: [number, number][] = [];
    for (let i = from; i < to; i++) samples.push([times[i], values[i]]);
    out.push({ ref, samples });
  });
  return out;
}

test('a flushed window hands each series its samples in push order, series by first appearance', () => {
  const w = new ReplayWindow(() => 3);
  const pushes: [number, number, number][] = [
    [7, 100, 1],
    [3, 100, 2],
    [7, 200, 3],
    [9, 100, 4],
    [3, 50, 5], // out of order within its series: kept in push order for the head's rules to refuse
    [7, 300, 6],
  ];
  for (const [ref, t, v] of pushes) assert.ok(w.push(ref, t, v));
  assert.deepEqual(drain(w), [
    {
      ref: 7,
      samples: [
        [100, 1],
        [200, 3],
        [300, 6],
      ],
    },
    {
      ref: 3,
      samples: [
        [100, 2],
        [50, 5],
      ],
    },
    { ref: 9, samples: [[100, 4]] },
  ]);
  assert.deepEqual(drain(w), [], 'a flush empties the window');
  w.push(3, 400, 7);
  assert.deepEqual(drain(w), [{ ref: 3, samples: [[400, 7]] }]);
});

test('the window grows with the series count, then reports full; no sample is lost across flushes', () => {
  let series = 1;
  const w = new ReplayWindow(() => series);
  let pushed = 0;
  // One series: the smallest window (4,096 samples) is already more than a few samples a series.
  while (w.push(1, pushed, pushed)) pushed++;
  assert.equal(pushed, 4096);
  series = 10_000; // more series seen: the window may hold more
  assert.ok(w.push(1, pushed, pushed));
  pushed++;
  let total = 0;
  let last = -1;
  const check = (ref: number, times: Float64Array, _v: Float64Array, from: number, to: number): void => {
    assert.equal(ref, 1);
    for (let i = from; i < to; i++) {
      assert.equal(times[i], last + 1);
      last = times[i];
      total++;
    }
  };
  w.flush(check);
  assert.equal(total, pushed);
});

test('values keep their bits, the staleness marker and other NaNs included', () => {
  const w = new ReplayWindow(() => 2);
  w.push(1, 1, STALE_NAN);
  w.push(2, 1, Number.NaN);
  w.push(1, 2, -0);
  // Read into a typed array: a JS array of doubles would itself canonicalise NaNs.
  const got = new Float64Array(3);
  let n = 0;
  w.flush((_ref, _t, values, from, to) => {
    for (let i = from; i < to; i++) got[n++] = values[i];
  });
  assert.ok(isStaleNaN(got[0]));
  assert.ok(Object.is(got[1], -0));
  assert.ok(Number.isNaN(got[2]) && !isStaleNaN(got[2]));
});
