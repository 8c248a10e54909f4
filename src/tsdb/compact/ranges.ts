/** Block time ranges for leveled compaction: 2h, 6h, 18h, 54h, … as Prometheus derives them. */

/** Prometheus' default (and minimum) block duration: 2 hours in milliseconds. */
export const DEFAULT_BLOCK_DURATION = 2 * 60 * 60 * 1000;

/** Prometheus' cap on the largest block: 31 days. */
export const MAX_BLOCK_DURATION_CAP = 31 * 24 * 60 * 60 * 1000;

/** `steps` ranges starting at `minSize`, each `stepSize` times the previous one. */
export function exponentialBlockRanges(minSize: number, steps: number, stepSize: number): number[] {
  const out: number[] = [];
  let cur = minSize;
  for (let i = 0; i < steps; i++) {
    out.push(cur);
    cur *= stepSize;
  }
  return out;
}

/**
 * The largest block duration for a retention time, as Prometheus' server defaults it: 10% of the
 * retention, at most 31 days (31 days when retention is 0, i.e. unset).
 */
export function defaultMaxBlockDuration(retentionMs: number): number {
  if (retentionMs > 0 && retentionMs / 10 < MAX_BLOCK_DURATION_CAP) return Math.floor(retentionMs / 10);
  return MAX_BLOCK_DURATION_CAP;
}

/**
 * The compaction ranges: ten ×3 steps from `minBlockDuration`, cut before the first range larger
 * than `maxBlockDuration` (Prometheus' `tsdb.Open`). With max ≤ min only `[min]` remains, so
 * nothing is ever compacted by level.
 */
export function blockRanges(minBlockDuration: number, maxBlockDuration: number): number[] {
  if (maxBlockDuration <= minBlockDuration) return [minBlockDuration];
  const rngs = exponentialBlockRanges(minBlockDuration, 10, 3);
  const cut = rngs.findIndex((r) => r > maxBlockDuration);
  return cut < 0 ? rngs : rngs.slice(0, cut);
}

/**
 * The block duration backfill uses for `--max-block-duration` (promtool's
 * `getCompatibleBlockDuration`): the largest exponential range not above it, at least 2h.
 */
export function compatibleBlockDuration(maxBlockDuration: number): number {
  if (maxBlockDuration <= DEFAULT_BLOCK_DURATION) return DEFAULT_BLOCK_DURATION;
  const rngs = exponentialBlockRanges(DEFAULT_BLOCK_DURATION, 10, 3);
  const cut = rngs.findIndex((r) => r > maxBlockDuration);
  return cut < 0 ? rngs[rngs.length - 1] : rngs[cut - 1];
}
