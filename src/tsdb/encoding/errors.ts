/** Errors raised while encoding or decoding TSDB binary formats. */

/** Where a corruption was found: the file (or segment) and the byte offset in it, when known. */
export interface CorruptionLocation {
  /** File path or segment name; empty when decoding an in-memory buffer. */
  readonly file?: string;
  /** Byte offset within the file or buffer where decoding failed. */
  readonly offset: number;
}

/**
 * Data on disk or in a buffer does not match its format: a bad checksum, a truncated record, an
 * invalid varint. It carries where it happened so callers can report it and repair (truncate) there.
 */
export class CorruptionError extends Error {
  /** Stable error code. */
  readonly code = 'ERR_TSDB_CORRUPTION';
  /** File or segment name, empty if unknown. */
  readonly file: string;
  /** Byte offset where the corruption was detected. */
  readonly offset: number;

  /** Builds the error; the message names the file and offset. */
  constructor(reason: string, where: CorruptionLocation, options?: ErrorOptions) {
    const file = where.file ?? '';
    super(`${reason} (${file === '' ? '' : `${file} `}at offset ${where.offset})`, options);
    this.name = 'CorruptionError';
    this.file = file;
    this.offset = where.offset;
  }
}

/** A value cannot be encoded, such as an integer outside the range JavaScript numbers hold exactly. */
export class EncodingError extends Error {
  /** Stable error code. */
  readonly code = 'ERR_TSDB_ENCODING';

  /** Builds the error with a short lower-case reason. */
  constructor(reason: string) {
    super(reason);
    this.name = 'EncodingError';
  }
}
