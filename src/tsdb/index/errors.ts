/** Errors of the index writer and reader. */

/** A misuse of the index writer (unsorted series, unknown symbol). Code `ERR_INDEX_WRITE`. */
export class IndexWriteError extends Error {
  /** Stable code for programmatic checks. */
  readonly code = 'ERR_INDEX_WRITE';
  /** Creates the error with a lower-case message. */
  constructor(message: string) {
    super(message);
    this.name = 'IndexWriteError';
  }
}
