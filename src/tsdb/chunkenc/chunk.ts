/** The chunk abstraction: an encoded, append-only run of samples of one series. */

import type { SampleIterator } from '../../storage/interface.js';

/** Chunk encodings as stored in the encoding byte of chunk files (Prometheus' `chunkenc.Encoding`). */
export const Encoding = {
  None: 0,
  /** Gorilla-style float chunk: delta-of-delta timestamps, XOR'd values. */
  XOR: 1,
} as const;
/** A chunk encoding number. */
export type Encoding = (typeof Encoding)[keyof typeof Encoding];

/** Adds samples to the end of a chunk. Timestamps are integer milliseconds, normally increasing. */
export interface ChunkAppender {
  /** Appends a sample; throws `EncodingError` for a timestamp that is not a safe integer or a full chunk. */
  append(t: number, v: number): void;
}

/** An encoded chunk. */
export interface Chunk {
  /** The encoding, for the chunk file's encoding byte. */
  encoding(): Encoding;
  /** The encoded bytes (a view, valid until the next append). */
  bytes(): Uint8Array;
  /** Number of samples in the chunk. */
  numSamples(): number;
  /** An appender continuing the chunk. Only one appender may be used at a time. */
  appender(): ChunkAppender;
  /**
   * A cursor over the samples present now; later appends are not seen. `reuse`, an iterator from
   * an earlier call, is recycled when it has the right type.
   */
  iterator(reuse?: SampleIterator): SampleIterator;
}
