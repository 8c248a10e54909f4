/**
 * The time-series database: Prometheus' on-disk formats and, later, head, WAL, index and querier.
 * So far: byte encoding, XOR chunks, block chunk segment files, the WAL and its records.
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
  encodeTombstones,
  decodeSeries,
  decodeSamples,
  decodeTombstones,
  decodeExemplars,
  decodeMetadata,
  decodeRecord,
} from './record/index.js';
export type {
  RefSeries,
  SampleBatch,
  Tombstone,
  RefExemplar,
  RefMetadata,
  WalRecord,
} from './record/index.js';
