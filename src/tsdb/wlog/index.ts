/** The write-ahead log: Prometheus' segmented, paged, checksummed record log. */
export { WalWriter, defaultWalWriterOptions } from './writer.js';
export type { FsyncPolicy, WalWriterOptions, WalWriterDeps } from './writer.js';
export { WalReader, defaultWalReaderOptions } from './reader.js';
export type { WalReaderOptions } from './reader.js';
export { repairWal } from './repair.js';
export { WalCorruptionError, WalUnsupportedError } from './errors.js';
export {
  PAGE_SIZE,
  FRAGMENT_HEADER_SIZE,
  DEFAULT_SEGMENT_SIZE,
  FragmentType,
  SNAPPY_FLAG,
  ZSTD_FLAG,
  segmentName,
  listSegments,
  recordSpan,
} from './format.js';
