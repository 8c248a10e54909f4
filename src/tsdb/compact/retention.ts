/**
 * Retention: which blocks are past `retention.time` or beyond `retention.size` (pure functions,
 * as Prometheus' `beyondTimeRetention` / `beyondSizeRetention`), and the deletion of blocks
 * (renamed to `<ulid>.tmp-for-deletion` first, so a crash never leaves half a block behind).
 */
import { rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { syncDir } from '../block/stream-writer.js';

/** What retention needs to know of a block. */
export interface RetentionBlock {
  readonly ulid: string;
  readonly minTime: number;
  readonly maxTime: number;
  /** Bytes on disk (`blockSize`). */
  readonly size: number;
}

/** Suffix of a block directory being deleted. */
export const TMP_FOR_DELETION_SUFFIX = '.tmp-for-deletion';

/** Newest first, as Prometheus walks them: by `minTime`, descending. */
function newestFirst(blocks: readonly RetentionBlock[]): RetentionBlock[] {
  return blocks.slice().sort((a, b) => b.minTime - a.minTime || (a.ulid < b.ulid ? 1 : -1));
}

/**
 * The ULIDs of blocks past time retention: walking from the newest block, the first block whose
 * `maxTime` is more than `retentionMs` before the newest block's `maxTime`, and every older one.
 * The newest block is always kept. `retentionMs` 0 disables time retention.
 */
export function blocksBeyondTimeRetention(blocks: readonly RetentionBlock[], retentionMs: number): string[] {
  if (blocks.length === 0 || retentionMs <= 0) return [];
  const sorted = newestFirst(blocks);
  const newestMax = sorted[0].maxTime;
  for (let i = 1; i < sorted.length; i++) {
    if (newestMax - sorted[i].maxTime > retentionMs) return sorted.slice(i).map((b) => b.ulid);
  }
  return [];
}

/**
 * The ULIDs of blocks beyond size retention: adding block sizes from the newest, starting with
 * `headBytes` (WAL and head chunks count too), the block that passes `maxBytes` and every older
 * one. `maxBytes` ≤ 0 disables size retention.
 */
export function blocksBeyondSizeRetention(
  blocks: readonly RetentionBlock[],
  maxBytes: number,
  headBytes = 0,
): string[] {
  if (maxBytes <= 0) return [];
  let total = headBytes;
  const sorted = newestFirst(blocks);
  for (let i = 0; i < sorted.length; i++) {
    total += sorted[i].size;
    if (total > maxBytes) return sorted.slice(i).map((b) => b.ulid);
  }
  return [];
}

/**
 * Deletes blocks of `dataDir` by ULID: each is renamed to `<ulid>.tmp-for-deletion` (atomic) and
 * then removed. A block already gone is skipped. Leftover `.tmp-for-deletion` directories from a
 * crash are the caller's to remove at startup, as Prometheus does.
 */
export async function deleteBlocks(dataDir: string, ulids: readonly string[]): Promise<void> {
  for (const id of ulids) {
    const dir = join(dataDir, id);
    try {
      await stat(dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw err;
    }
    const tmp = join(dataDir, id + TMP_FOR_DELETION_SUFFIX);
    await rm(tmp, { recursive: true, force: true });
    await rename(dir, tmp);
    await syncDir(dataDir);
    await rm(tmp, { recursive: true, force: true });
  }
}
