/**
 * Compaction and retention: the leveled planner (which blocks to merge), the compactor (N blocks
 * into one, streaming, in time slices) and the retention rules with block deletion.
 */
export {
  DEFAULT_BLOCK_DURATION,
  MAX_BLOCK_DURATION_CAP,
  blockRanges,
  compatibleBlockDuration,
  defaultMaxBlockDuration,
  exponentialBlockRanges,
} from './ranges.js';
export {
  defaultPlanOptions,
  planCompaction,
  selectDirs,
  selectOverlappingDirs,
  sortByMinTime,
  splitByRange,
} from './planner.js';
export type { PlanOptions } from './planner.js';
export { compactBlocks, defaultCompactOptions } from './compactor.js';
export type { CompactOptions, CompactResult } from './compactor.js';
export { SeriesMerger, touchesStones } from './series-merge.js';
export type { ChunkLoader, SourceChunk } from './series-merge.js';
export { Slicer } from './slicer.js';
export {
  TMP_FOR_DELETION_SUFFIX,
  blocksBeyondSizeRetention,
  blocksBeyondTimeRetention,
  deleteBlocks,
} from './retention.js';
export type { RetentionBlock } from './retention.js';
