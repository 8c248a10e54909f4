/**
 * The errors an `Appender` throws for samples storage rejects, with Prometheus' texts (the scrape
 * loop counts them by kind and logs them; the API shows the text). Each carries a `kind` so
 * callers switch on it rather than on message strings.
 */

/** Why a sample was rejected. */
export type StorageErrorKind =
  'out-of-order' | 'out-of-bounds' | 'too-old' | 'duplicate' | 'invalid-labels' | 'too-many-series';

const MESSAGES: Record<StorageErrorKind, string> = {
  'out-of-order': 'out of order sample',
  'out-of-bounds': 'out of bounds',
  'too-old': 'too old sample',
  duplicate: 'duplicate sample for timestamp',
  'invalid-labels': 'invalid labels',
  'too-many-series': 'too many series',
};

/** A sample the storage refused; the rest of the batch is unaffected. */
export class StorageError extends Error {
  constructor(
    readonly kind: StorageErrorKind,
    detail?: string,
  ) {
    super(detail === undefined ? MESSAGES[kind] : `${MESSAGES[kind]}: ${detail}`);
    this.name = 'StorageError';
  }
}

/** True when `e` is a `StorageError`, optionally of the given kind. */
export function isStorageError(e: unknown, kind?: StorageErrorKind): e is StorageError {
  return e instanceof StorageError && (kind === undefined || e.kind === kind);
}
