import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { blocksBeyondSizeRetention, blocksBeyondTimeRetention, deleteBlocks } from './retention.js';
import type { RetentionBlock } from './retention.js';
import { withTempDir } from './test-fixtures.js';

const H = 3_600_000;
const blocks: RetentionBlock[] = [
  { ulid: 'A', minTime: 0, maxTime: 2 * H, size: 100 },
  { ulid: 'B', minTime: 2 * H, maxTime: 4 * H, size: 200 },
  { ulid: 'C', minTime: 4 * H, maxTime: 6 * H, size: 300 },
  { ulid: 'D', minTime: 6 * H, maxTime: 8 * H, size: 400 },
];

test('time retention: blocks whose maxTime is more than the retention before the newest maxTime', () => {
  assert.deepEqual(blocksBeyondTimeRetention(blocks, 0), []);
  assert.deepEqual(blocksBeyondTimeRetention(blocks, 6 * H), []);
  assert.deepEqual(blocksBeyondTimeRetention(blocks, 6 * H - 1), ['A']);
  assert.deepEqual(blocksBeyondTimeRetention(blocks, 3 * H), ['B', 'A']);
  // The newest block always stays.
  assert.deepEqual(blocksBeyondTimeRetention(blocks, 1), ['C', 'B', 'A']);
  assert.deepEqual(blocksBeyondTimeRetention([...blocks].reverse(), 3 * H), ['B', 'A']);
  assert.deepEqual(blocksBeyondTimeRetention([], 1), []);
});

test('size retention: from the newest, the block that passes the limit and all older', () => {
  assert.deepEqual(blocksBeyondSizeRetention(blocks, 0), []);
  assert.deepEqual(blocksBeyondSizeRetention(blocks, 1000), []);
  assert.deepEqual(blocksBeyondSizeRetention(blocks, 999), ['A']);
  assert.deepEqual(blocksBeyondSizeRetention(blocks, 700), ['B', 'A']);
  // The head counts first; it can push out even the newest block.
  assert.deepEqual(blocksBeyondSizeRetention(blocks, 700, 350), ['D', 'C', 'B', 'A']);
});

test('deleteBlocks: renames to .tmp-for-deletion, removes, skips missing blocks', async () => {
  await withTempDir(async (dir) => {
    for (const id of ['01A', '01B']) {
      await mkdir(join(dir, id, 'chunks'), { recursive: true });
      await writeFile(join(dir, id, 'meta.json'), '{}');
    }
    await deleteBlocks(dir, ['01A', 'gone']);
    assert.deepEqual(await readdir(dir), ['01B']);
  });
});
