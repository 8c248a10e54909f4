/**
 * Which blocks to compact next, following Prometheus' `LeveledCompactor.Plan`: first any group of
 * overlapping blocks; else, leaving out the newest block, the first run of blocks that fills an
 * aligned range of the next level (or lies wholly before the newest block); else one large block
 * whose tombstones cover more than 5% of its series.
 */
import type { DirMeta } from '../block/dirs.js';

/** Options of the planner. */
export interface PlanOptions {
  /**
   * Merge blocks whose time ranges overlap (vertical compaction). Prometheus enables it by
   * default; when false, overlapping blocks are planned as if they did not overlap.
   */
  overlapping: boolean;
}

/** Defaults: overlapping blocks are compacted, as in Prometheus. */
export function defaultPlanOptions(): PlanOptions {
  return { overlapping: true };
}

/**
 * The block directories to compact into one block, in time order, or `[]` for nothing to do.
 * `ranges` are the level ranges (`blockRanges`), smallest first. Pure: reads only `blocks`.
 */
export function planCompaction(
  blocks: readonly DirMeta[],
  ranges: readonly number[],
  options: PlanOptions = defaultPlanOptions(),
): string[] {
  if (blocks.length === 0) return [];
  const dms = sortByMinTime(blocks);
  if (options.overlapping) {
    const overlapping = selectOverlappingDirs(dms);
    if (overlapping.length > 0) return overlapping;
  }
  // The newest block stays out: it was just cut from the head, and a window of one block lets
  // users back up new data piece-wise without overlaps.
  const older = dms.slice(0, -1);
  const selected = selectDirs(older, ranges);
  if (selected.length > 0) return selected.map((d) => d.dir);
  const mid = ranges[Math.floor(ranges.length / 2)];
  for (let i = older.length - 1; i >= 0; i--) {
    const { meta } = older[i];
    const stones = meta.stats.numTombstones ?? 0;
    if (meta.maxTime - meta.minTime < mid) {
      // A small block qualifies only when every series has a tombstone (likely all deleted).
      if (stones > 0 && stones >= meta.stats.numSeries) return [older[i].dir];
      break;
    }
    if (stones / (meta.stats.numSeries + 1) > 0.05) return [older[i].dir];
  }
  return [];
}

/** Blocks sorted by `minTime` (stable, so equal starts keep their ULID order). */
export function sortByMinTime(blocks: readonly DirMeta[]): DirMeta[] {
  return blocks.slice().sort((a, b) => a.meta.minTime - b.meta.minTime);
}

/**
 * The first group of blocks overlapping each other, in the given (minTime) order: a block joins
 * while it starts before the largest end seen so far.
 */
export function selectOverlappingDirs(ds: readonly DirMeta[]): string[] {
  if (ds.length < 2) return [];
  const out: string[] = [];
  let globalMaxt = ds[0].meta.maxTime;
  for (let i = 1; i < ds.length; i++) {
    const d = ds[i];
    if (d.meta.minTime < globalMaxt) {
      if (out.length === 0) out.push(ds[i - 1].dir);
      out.push(d.dir);
    } else if (out.length > 0) {
      break;
    }
    if (d.meta.maxTime > globalMaxt) globalMaxt = d.meta.maxTime;
  }
  return out;
}

/**
 * The first run of at least two blocks, at the smallest level above the first, that fills its
 * aligned range or ends before the newest block's start. Blocks whose last compaction failed
 * disqualify their range.
 */
export function selectDirs(ds: readonly DirMeta[], ranges: readonly number[]): DirMeta[] {
  if (ranges.length < 2 || ds.length < 1) return [];
  const highTime = ds[ds.length - 1].meta.minTime;
  for (const iv of ranges.slice(1)) {
    for (const p of splitByRange(ds, iv)) {
      if (p.some((d) => d.meta.compaction.failed === true)) continue;
      const mint = p[0].meta.minTime;
      const maxt = p[p.length - 1].meta.maxTime;
      if ((maxt - mint === iv || maxt <= highTime) && p.length > 1) return p;
    }
  }
  return [];
}

/**
 * Groups consecutive blocks by the aligned range of size `tr` (ranges start at 0) that holds them
 * wholly; a block that spans past the end of its range belongs to no group. For blocks
 * [0-10, 10-20, 50-60, 90-100] and `tr` 30: [0-10, 10-20], [50-60], [90-100].
 */
export function splitByRange(ds: readonly DirMeta[], tr: number): DirMeta[][] {
  const out: DirMeta[][] = [];
  for (let i = 0; i < ds.length;) {
    const m = ds[i].meta;
    // floor, also for negative times (Go's integer division truncates; Prometheus corrects it).
    const t0 = tr * Math.floor(m.minTime / tr);
    if (m.maxTime > t0 + tr) {
      i++;
      continue;
    }
    const group: DirMeta[] = [];
    for (; i < ds.length; i++) {
      if (ds[i].meta.maxTime > t0 + tr) break;
      group.push(ds[i]);
    }
    if (group.length > 0) out.push(group);
  }
  return out;
}
