/** Persistent blocks: meta.json, ULIDs, the block writer and the block reader. */
export {
  BlockMetaError,
  META_FILENAME,
  META_VERSION,
  parseMeta,
  readMetaFile,
  writeMetaFile,
} from './meta.js';
export type { BlockCompaction, BlockMeta, BlockStats } from './meta.js';
export { ulid, ulidTime } from './ulid.js';
export {
  BlockWriteError,
  CHUNKS_DIRNAME,
  INDEX_FILENAME,
  SAMPLES_PER_CHUNK,
  writeBlock,
  writeBlockFromChunks,
} from './writer.js';
export type { BlockChunk, BlockChunkSeries, BlockSeries, BlockWriteOptions } from './writer.js';
export { BlockReader } from './reader.js';
export type { BlockSeriesData } from './reader.js';
export type { BlockDesc } from './meta.js';
export { BlockStreamWriter, syncDir } from './stream-writer.js';
export type { BlockFinish, TimedChunk } from './stream-writer.js';
export { SequentialChunkReader, DEFAULT_CHUNK_WINDOW } from './sequential-chunk-reader.js';
export { blockSize, listBlockDirs } from './dirs.js';
export type { DirMeta } from './dirs.js';
export { BlockSeriesCursor } from './series-cursor.js';
export type { CursorSeries } from './series-cursor.js';
