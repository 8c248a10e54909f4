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
