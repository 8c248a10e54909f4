/** A block's `meta.json`: identity, time range, statistics and compaction lineage. */

import { open, readFile, rename } from 'node:fs/promises';

/** The file name inside a block directory. */
export const META_FILENAME = 'meta.json';
/** The meta.json format version. */
export const META_VERSION = 1;

/** Counts in a block. */
export interface BlockStats {
  numSamples: number;
  numSeries: number;
  numChunks: number;
  numTombstones?: number;
}

/** Compaction lineage: level 1 for a block cut from the head. */
export interface BlockCompaction {
  level: number;
  /** ULIDs of the level-1 blocks this block derives from. */
  sources: string[];
  /** Direct parents, for compacted blocks. */
  parents?: BlockDesc[];
  /** Set when a compaction of this block failed; the planner then leaves it alone. */
  failed?: boolean;
  /** Prometheus' hints, sorted: `from-out-of-order` marks a block written from out-of-order data. */
  hints?: string[];
}

/** The hint of a block written from the head's out-of-order data. */
export const HINT_FROM_OUT_OF_ORDER = 'from-out-of-order';

/** Whether a block was written from out-of-order data (it does not bound the in-order head). */
export function fromOutOfOrder(meta: BlockMeta): boolean {
  return meta.compaction.hints?.includes(HINT_FROM_OUT_OF_ORDER) ?? false;
}

/** A parent block in a compacted block's lineage. */
export interface BlockDesc {
  ulid: string;
  minTime: number;
  maxTime: number;
}

/** The contents of meta.json. `maxTime` is exclusive, as in Prometheus. */
export interface BlockMeta {
  ulid: string;
  minTime: number;
  maxTime: number;
  stats: BlockStats;
  compaction: BlockCompaction;
  version: number;
}

/** Error for an invalid meta.json. Code `ERR_BLOCK_META`. */
export class BlockMetaError extends Error {
  /** Stable code for programmatic checks. */
  readonly code = 'ERR_BLOCK_META';
  /** Creates the error with a lower-case message. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'BlockMetaError';
  }
}

/**
 * Writes `meta` as indented JSON to `path`, through a fsynced temporary file renamed over it: a
 * block's meta.json is rewritten in place when tombstones are added, and a crash must leave the
 * old or the new file, never half of one.
 */
export async function writeMetaFile(path: string, meta: BlockMeta): Promise<void> {
  const tmp = `${path}.tmp`;
  const f = await open(tmp, 'w');
  try {
    await f.writeFile(JSON.stringify(meta, null, '\t'));
    await f.sync();
  } finally {
    await f.close();
  }
  await rename(tmp, path);
}

/** Parses and validates a meta.json document. */
export function parseMeta(text: string): BlockMeta {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (cause) {
    throw new BlockMetaError('parse meta.json', { cause });
  }
  if (typeof raw !== 'object' || raw === null) throw new BlockMetaError('meta.json is not an object');
  const o = raw as Record<string, unknown>;
  const num = (v: unknown, what: string): number => {
    if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw new BlockMetaError(`meta.json: bad ${what}`);
    return v;
  };
  if (typeof o['ulid'] !== 'string') throw new BlockMetaError('meta.json: bad ulid');
  if (o['version'] !== META_VERSION)
    throw new BlockMetaError(`meta.json: unsupported version ${String(o['version'])}`);
  const stats = (o['stats'] ?? {}) as Record<string, unknown>;
  const comp = (o['compaction'] ?? {}) as Record<string, unknown>;
  const sources = Array.isArray(comp['sources'])
    ? comp['sources'].filter((s): s is string => typeof s === 'string')
    : [];
  const meta: BlockMeta = {
    ulid: o['ulid'],
    minTime: num(o['minTime'], 'minTime'),
    maxTime: num(o['maxTime'], 'maxTime'),
    stats: {
      numSamples: num(stats['numSamples'] ?? 0, 'numSamples'),
      numSeries: num(stats['numSeries'] ?? 0, 'numSeries'),
      numChunks: num(stats['numChunks'] ?? 0, 'numChunks'),
    },
    compaction: { level: num(comp['level'] ?? 1, 'compaction.level'), sources },
    version: META_VERSION,
  };
  if (Array.isArray(comp['parents'])) {
    meta.compaction.parents = comp['parents'].map((p: unknown, i) => {
      const d = (typeof p === 'object' && p !== null ? p : {}) as Record<string, unknown>;
      if (typeof d['ulid'] !== 'string') throw new BlockMetaError(`meta.json: bad compaction.parents[${i}]`);
      return {
        ulid: d['ulid'],
        minTime: num(d['minTime'], 'parent minTime'),
        maxTime: num(d['maxTime'], 'parent maxTime'),
      };
    });
  }
  if (comp['failed'] === true) meta.compaction.failed = true;
  if (Array.isArray(comp['hints']))
    meta.compaction.hints = comp['hints'].filter((h): h is string => typeof h === 'string');
  if (stats['numTombstones'] !== undefined)
    meta.stats.numTombstones = num(stats['numTombstones'], 'numTombstones');
  return meta;
}

/** Reads and validates the meta.json at `path`. */
export async function readMetaFile(path: string): Promise<BlockMeta> {
  return parseMeta(await readFile(path, 'utf8'));
}
