/**
 * The time-series database: Prometheus' on-disk formats and, later, head, WAL, index and querier.
 * So far: byte encoding, XOR chunks, block chunk segment files, the index, tombstones, meta.json,
 * whole blocks (writer and reader), and the WAL with its records.
 */
export { Encbuf, Decbuf, crc32c, crc32cUpdate, CorruptionError, EncodingError } from './encoding/index.js';
export type { DecbufOptions, CorruptionLocation } from './encoding/index.js';
export {
  BitReader,
  BitWriter,
  Encoding,
  XorAppender,
  XorChunk,
  XorIterator,
  MAX_XOR_SAMPLES,
} from './chunkenc/index.js';
export type { Chunk, ChunkAppender } from './chunkenc/index.js';
export {
  ChunkSegmentReader,
  ChunkSegmentWriter,
  defaultChunkSegmentWriterOptions,
  chunkRef,
  chunkRefOffset,
  chunkRefSegment,
} from './chunks/index.js';
export type { ChunkSegmentWriterOptions } from './chunks/index.js';
export {
  encodeIndex,
  IndexReader,
  IndexWriteError,
  intersectPostings,
  mergePostings,
  subtractPostings,
  postingsForMatchers,
} from './index/index.js';
export type { ChunkMeta, IndexSeries, IndexSeriesEntry, PostingsSource } from './index/index.js';
export {
  decodeTombstones,
  encodeTombstones,
  readTombstonesFile,
  writeTombstonesFile,
} from './tombstones/index.js';
export type { Tombstone } from './tombstones/index.js';
export {
  BlockMetaError,
  BlockReader,
  BlockWriteError,
  parseMeta,
  readMetaFile,
  writeMetaFile,
  ulid,
  ulidTime,
  writeBlock,
} from './block/index.js';
export type { BlockMeta, BlockSeries, BlockSeriesData, BlockStats, BlockCompaction } from './block/index.js';
export {
  WalWriter,
  WalReader,
  repairWal,
  defaultWalWriterOptions,
  defaultWalReaderOptions,
  WalCorruptionError,
  WalUnsupportedError,
} from './wlog/index.js';
export type { FsyncPolicy, WalWriterOptions, WalWriterDeps, WalReaderOptions } from './wlog/index.js';
export {
  RecordType,
  newSampleBatch,
  encodeSeries,
  encodeSamples,
  encodeTombstonesRecord,
  decodeSeries,
  decodeSamples,
  decodeTombstonesRecord,
  decodeExemplars,
  decodeMetadata,
  decodeRecord,
} from './record/index.js';
export type { RefSeries, SampleBatch, RefExemplar, RefMetadata, WalRecord } from './record/index.js';
