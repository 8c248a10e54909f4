/** The block index in Prometheus' format v2: writer, reader, postings and matcher selection. */
export { encodeIndex } from './writer.js';
export type { IndexSeries } from './writer.js';
export { compareBytewise, compareLabelsBytewise } from './compare.js';
export { IndexReader } from './reader.js';
export type { IndexSeriesEntry } from './reader.js';
export { intersectPostings, mergePostings, subtractPostings } from './postings.js';
export { postingsForMatchers } from './postings-for-matchers.js';
export type { PostingsSource } from './postings-for-matchers.js';
export { IndexWriteError } from './errors.js';
export {
  INDEX_HEADER_SIZE,
  INDEX_TOC_SIZE,
  INDEX_VERSION_V2,
  MAGIC_INDEX,
  SERIES_ALIGNMENT,
} from './format.js';
export type { ChunkMeta } from './format.js';
