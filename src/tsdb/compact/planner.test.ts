import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DirMeta } from '../block/index.js';
import {
  blockRanges,
  compatibleBlockDuration,
  defaultMaxBlockDuration,
  exponentialBlockRanges,
} from './ranges.js';
import { planCompaction, splitByRange } from './planner.js';

const H = 3_600_000;

function block(
  name: string,
  minTime: number,
  maxTime: number,
  extra: Partial<DirMeta['meta']['stats']> & { failed?: boolean } = {},
): DirMeta {
  const { failed, ...stats } = extra;
  return {
    dir: name,
    meta: {
      ulid: name,
      minTime,
      maxTime,
      stats: { numSamples: 1, numSeries: 10, numChunks: 1, ...stats },
      compaction: { level: 1, sources: [name], ...(failed === true ? { failed } : {}) },
      version: 1,
    },
  };
}

test('ranges: 2h ×3 steps, cut at 10% of retention or 31 days', () => {
  assert.deepEqual(exponentialBlockRanges(20, 4, 3), [20, 60, 180, 540]);
  // Prometheus' default 15d retention: max block 36h, so 2h, 6h, 18h.
  assert.equal(defaultMaxBlockDuration(15 * 24 * H), 36 * H);
  assert.deepEqual(blockRanges(2 * H, defaultMaxBlockDuration(15 * 24 * H)), [2 * H, 6 * H, 18 * H]);
  assert.equal(defaultMaxBlockDuration(0), 31 * 24 * H);
  assert.equal(defaultMaxBlockDuration(3650 * 24 * H), 31 * 24 * H);
  assert.deepEqual(
    blockRanges(2 * H, 31 * 24 * H),
    [2, 6, 18, 54, 162, 486].map((h) => h * H),
  );
  assert.deepEqual(blockRanges(2 * H, 2 * H), [2 * H]);
  assert.equal(compatibleBlockDuration(H), 2 * H);
  assert.equal(compatibleBlockDuration(7 * H), 6 * H);
  assert.equal(compatibleBlockDuration(54 * H), 54 * H);
});

test('splitByRange: groups blocks by aligned range', () => {
  const ds = [block('a', 0, 10), block('b', 10, 20), block('c', 50, 60), block('d', 90, 100)];
  assert.deepEqual(
    splitByRange(ds, 30).map((g) => g.map((d) => d.dir)),
    [['a', 'b'], ['c'], ['d']],
  );
  // A block crossing its range's end belongs to no group; negative times align downwards.
  assert.deepEqual(
    splitByRange([block('x', 20, 40), block('n', -30, -10)], 30).map((g) => g.map((d) => d.dir)),
    [['n']],
  );
});

const ranges = [20, 60, 180, 540, 1620];

const cases: { name: string; blocks: DirMeta[]; want: string[] }[] = [
  { name: 'no blocks', blocks: [], want: [] },
  { name: 'one block', blocks: [block('1', 0, 20)], want: [] },
  { name: 'two blocks: the newest stays out', blocks: [block('1', 0, 20), block('2', 20, 40)], want: [] },
  {
    name: 'range 60 not yet full and not before the newest block',
    blocks: [block('1', 0, 20), block('2', 20, 40), block('3', 40, 60)],
    want: [],
  },
  {
    name: 'range 60 full',
    blocks: [block('1', 0, 20), block('2', 20, 40), block('3', 40, 60), block('4', 60, 80)],
    want: ['1', '2', '3'],
  },
  {
    name: 'range with a gap, before the newest block',
    blocks: [block('1', 0, 20), block('2', 40, 60), block('3', 120, 140)],
    want: ['1', '2'],
  },
  {
    name: 'unsorted input is sorted by minTime',
    blocks: [block('4', 60, 80), block('2', 20, 40), block('1', 0, 20), block('3', 40, 60)],
    want: ['1', '2', '3'],
  },
  {
    name: 'level 2: three 60-blocks make a 180',
    blocks: [block('1', 0, 60), block('2', 60, 120), block('3', 120, 180), block('4', 180, 200)],
    want: ['1', '2', '3'],
  },
  {
    name: 'overlapping blocks first, in time order',
    blocks: [
      block('1', 0, 20),
      block('2', 10, 30),
      block('3', 40, 60),
      block('4', 60, 80),
      block('5', 80, 100),
    ],
    want: ['1', '2'],
  },
  {
    name: 'overlap chains through the largest maxTime',
    blocks: [block('1', 0, 50), block('2', 10, 20), block('3', 30, 40), block('4', 60, 80)],
    want: ['1', '2', '3'],
  },
  {
    name: 'a failed compaction disqualifies its range',
    blocks: [block('1', 0, 20, { failed: true }), block('2', 20, 40), block('3', 40, 60), block('4', 60, 80)],
    want: [],
  },
  {
    name: 'a large block with >5% tombstones is rewritten',
    blocks: [block('1', 0, 180, { numTombstones: 1 }), block('2', 180, 200)],
    want: ['1'],
  },
  {
    name: 'a large block with few tombstones is left alone',
    blocks: [block('1', 0, 180, { numSeries: 100, numTombstones: 5 }), block('2', 180, 200)],
    want: [],
  },
  {
    name: 'a small block is rewritten only when every series has a tombstone',
    blocks: [block('1', 0, 20, { numTombstones: 10 }), block('2', 20, 40)],
    want: ['1'],
  },
  {
    name: 'a small block with some tombstones is left alone',
    blocks: [block('1', 0, 20, { numTombstones: 3 }), block('2', 20, 40)],
    want: [],
  },
];

for (const c of cases) {
  test(`plan: ${c.name}`, () => {
    assert.deepEqual(planCompaction(c.blocks, ranges), c.want);
  });
}

test('plan: overlapping compaction can be switched off', () => {
  const blocks = [block('1', 0, 20), block('2', 10, 30), block('3', 40, 60)];
  assert.deepEqual(planCompaction(blocks, ranges, { overlapping: false }), []);
});
