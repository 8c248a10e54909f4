/** A block's tombstones file: deleted time ranges per series. */
export {
  MAGIC_TOMBSTONES,
  TOMBSTONES_FILENAME,
  TOMBSTONES_VERSION,
  decodeTombstones,
  encodeTombstones,
  readTombstonesFile,
  writeTombstonesFile,
} from './tombstones.js';
export type { Tombstone } from './tombstones.js';
