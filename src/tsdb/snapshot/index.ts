/** Memory snapshots of the head (`chunk_snapshot.NNNNNN.MMMMMMMMMM/`): format, writer, reader. */
export {
  SnapshotRecordType,
  SAMPLE_BUF_SIZE,
  DEFAULT_CHUNK_RANGE,
  encodeSnapshotSeries,
  encodeSnapshotTombstones,
  encodeSnapshotExemplars,
  decodeSnapshotRecord,
} from './format.js';
export type { SnapshotHeadChunk, SnapshotSeries, SnapshotRecord } from './format.js';
export {
  SNAPSHOT_PREFIX,
  snapshotDirName,
  listSnapshots,
  lastSnapshot,
  deleteSnapshotsBefore,
  walPosition,
} from './dir.js';
export type { SnapshotRef } from './dir.js';
export { writeSnapshot } from './writer.js';
export type {
  SnapshotContent,
  SnapshotSeriesInput,
  SnapshotWriteOptions,
  SnapshotWriteResult,
} from './writer.js';
export { readSnapshot, visitSnapshotRecords } from './reader.js';
