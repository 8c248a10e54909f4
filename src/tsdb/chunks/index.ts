/** Block chunk segment files (`chunks/000001`, …): writer, reader and chunk references. */
export { chunkRef, chunkRefOffset, chunkRefSegment } from './chunk-ref.js';
export { ChunkSegmentReader } from './segment-reader.js';
export { ChunkSegmentWriter, defaultChunkSegmentWriterOptions } from './segment-writer.js';
export type { ChunkSegmentWriterOptions } from './segment-writer.js';
export {
  DEFAULT_SEGMENT_SIZE,
  MAGIC_CHUNKS,
  SEGMENT_HEADER_SIZE,
  segmentFileName,
} from './segment-format.js';
