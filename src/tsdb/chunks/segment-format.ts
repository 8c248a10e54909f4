/** Constants of the block chunk segment files (`chunks/000001`), from the chunks format doc. */

/** Magic number at the start of every segment file. */
export const MAGIC_CHUNKS = 0x85bd40dd;
/** The only chunk file format version. */
export const CHUNKS_FORMAT_V1 = 1;
/** Magic (4), version (1), padding (3). */
export const SEGMENT_HEADER_SIZE = 8;
/** Prometheus' default maximum segment size, 512 MiB. */
export const DEFAULT_SEGMENT_SIZE = 512 * 1024 * 1024;
/** The chunk length is a uvarint of at most 5 bytes (a uint32). */
export const MAX_CHUNK_LENGTH_FIELD_SIZE = 5;
/** Bytes around a chunk's data: the encoding byte and the CRC-32C. */
export const CHUNK_OVERHEAD = 1 + 4;

/** The file name of the segment with 1-based sequence number `seq`: six digits, zero-padded. */
export function segmentFileName(seq: number): string {
  return String(seq).padStart(6, '0');
}
