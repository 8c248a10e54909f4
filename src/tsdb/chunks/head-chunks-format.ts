/**
 * Constants and references of the head chunk files (`chunks_head/000001`, …), from Prometheus'
 * `format/head_chunks.md` and `tsdb/chunks/head_chunks.go`.
 *
 * A file is `magic 0x0130BC91 <4> │ version 1 <1> │ padding <3>`, then chunk records
 * `series ref <8> │ mint <8> │ maxt <8> │ encoding <1> │ len <uvarint> │ data │ CRC-32C <4>`,
 * the checksum covering everything from the series ref to the end of the data.
 */
import { chunkRef, chunkRefOffset, chunkRefSegment } from './chunk-ref.js';
import { segmentFileName } from './segment-format.js';

/** Magic number at the start of every head chunk file. */
export const MAGIC_HEAD_CHUNKS = 0x0130bc91;
/** The only head chunk file format version. */
export const HEAD_CHUNKS_FORMAT_V1 = 1;
/** Magic (4), version (1), padding (3). */
export const HEAD_CHUNK_FILE_HEADER_SIZE = 8;
/** Prometheus' maximum head chunk file size, 128 MiB. */
export const MAX_HEAD_CHUNK_FILE_SIZE = 128 * 1024 * 1024;
/** Prometheus' default write buffer, 4 MiB. */
export const DEFAULT_HEAD_CHUNK_WRITE_BUFFER_SIZE = 4 * 1024 * 1024;
/** Bytes before the encoding byte: series ref, mint, maxt. */
export const HEAD_CHUNK_META_PREFIX = 8 + 8 + 8;
/**
 * The most bytes a record takes besides its data: prefix, encoding, a 5-byte length, CRC. A tail
 * shorter than this that is all zeros is the end of a (preallocated) file, as Prometheus reads it.
 */
export const MAX_HEAD_CHUNK_META_SIZE = HEAD_CHUNK_META_PREFIX + 1 + 5 + 4;
/** The high bit of the encoding byte marks an out-of-order chunk (head chunks only). */
export const OOO_ENCODING_FLAG = 0x80;

/**
 * Head chunk references pack like block chunk references (`chunk-ref.ts`), `seq · 2^32 + offset`,
 * but the upper half is the file's sequence number (the number in its name, counting from 1), as
 * Prometheus' `ChunkDiskMapperRef` holds it, not the file's position: deleting old files leaves the
 * other references valid.
 */
export const headChunkRef: (seq: number, offset: number) => number = chunkRef;
/** The file sequence number of a head chunk reference. */
export const headChunkRefSeq: (ref: number) => number = chunkRefSegment;
/** The byte offset of a head chunk reference within its file. */
export const headChunkRefOffset: (ref: number) => number = chunkRefOffset;

/** The file name of sequence number `seq`: six digits, zero-padded (`000001`), as block chunk files. */
export const headChunkFileName: (seq: number) => string = segmentFileName;

/** The metadata of one chunk record, as `HeadChunkReader.iterate()` yields it at start-up. */
export interface HeadChunkMeta {
  /** The head series the chunk belongs to. */
  readonly seriesRef: number;
  /** Where the record starts; pass it to `HeadChunkReader.chunk()`. */
  readonly ref: number;
  /** First timestamp in the chunk (ms). */
  readonly mint: number;
  /** Last timestamp in the chunk (ms). */
  readonly maxt: number;
  /** The chunk encoding with the out-of-order bit cleared. */
  readonly encoding: number;
  /** Whether the out-of-order bit was set. */
  readonly ooo: boolean;
  /** Number of samples, from the first two bytes of the chunk data (XOR and histogram chunks). */
  readonly numSamples: number;
}
