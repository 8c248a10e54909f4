/** Errors of the write-ahead log. */
import { CorruptionError } from '../encoding/errors.js';

/** A WAL segment does not match the format; carries the segment number and byte offset to repair at. */
export class WalCorruptionError extends CorruptionError {
  /** The segment number in which the corruption was found. */
  readonly segment: number;

  /** Builds the error; `offset` is where the first incomplete or bad record starts. */
  constructor(reason: string, file: string, segment: number, offset: number) {
    super(reason, { file, offset });
    this.name = 'WalCorruptionError';
    this.segment = segment;
  }
}

/** A WAL feature Vigil does not support, such as zstd-compressed records. */
export class WalUnsupportedError extends Error {
  /** Stable error code. */
  readonly code = 'ERR_WAL_UNSUPPORTED';

  /** Builds the error with a short lower-case reason. */
  constructor(reason: string) {
    super(reason);
    this.name = 'WalUnsupportedError';
  }
}
