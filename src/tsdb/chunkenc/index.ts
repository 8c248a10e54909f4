/** Chunk encodings: the bit stream and Prometheus' XOR float chunk. */
export { BitReader, BitWriter } from './bstream.js';
export { Encoding } from './chunk.js';
export type { Chunk, ChunkAppender } from './chunk.js';
export { XorAppender, XorChunk, XorIterator, MAX_XOR_SAMPLES } from './xor.js';
