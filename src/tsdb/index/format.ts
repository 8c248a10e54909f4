/** Constants of Prometheus' index file format v2 (see format/index.md). */

/** Magic number at the start of an index file. */
export const MAGIC_INDEX = 0xbaaad700;
/** The index format version this package writes and reads. */
export const INDEX_VERSION_V2 = 2;
/** Bytes of the header: magic and version. */
export const INDEX_HEADER_SIZE = 5;
/** Bytes of the table of contents at the end of the file: six 8-byte offsets and a CRC-32C. */
export const INDEX_TOC_SIZE = 6 * 8 + 4;
/** Series entries start at multiples of this; a series reference is its offset divided by it. */
export const SERIES_ALIGNMENT = 16;

/** Chunk metadata of one series in the index: time range and chunk file reference. */
export interface ChunkMeta {
  /** First sample timestamp (ms). */
  readonly mint: number;
  /** Last sample timestamp (ms). */
  readonly maxt: number;
  /** Chunk reference (segment · 2^32 + offset), see `chunkRef`. */
  readonly ref: number;
}
