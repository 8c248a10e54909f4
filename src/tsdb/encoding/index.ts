/** Byte-level encoding shared by the TSDB formats: writer, sticky-error reader, varints, CRC-32C. */
export { Encbuf } from './encbuf.js';
export { Decbuf } from './decbuf.js';
export type { DecbufOptions } from './decbuf.js';
export { NATIVE_CRC32C, crc32c, crc32cUpdate } from './crc32c.js';
export { CorruptionError, EncodingError } from './errors.js';
export type { CorruptionLocation } from './errors.js';
export {
  MAX_VARINT_LEN64,
  putUvarint,
  putUvarint64,
  putVarint,
  int64Halves,
  int64FromHalves,
} from './varint.js';
