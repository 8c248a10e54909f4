/**
 * WAL checkpoints, as Prometheus' `tsdb/wlog/checkpoint.go`: the records of segments
 * [from, to] (and of the previous checkpoint) that still matter, rewritten as a small WAL in
 * `wal/checkpoint.NNNNNNNN/` so the segments can be deleted. Replay reads the checkpoint, then the
 * segments after it (`replayWal`).
 */
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../../util/logger.js';
import {
  decodeExemplars,
  decodeMetadata,
  decodeSamples,
  decodeSeries,
  decodeTombstonesRecord,
} from '../record/decode.js';
import {
  encodeExemplars,
  encodeMetadata,
  encodeSamples,
  encodeSeries,
  encodeTombstonesRecord,
} from '../record/encode.js';
import { RecordType, newSampleBatch } from '../record/types.js';
import type { RefMetadata } from '../record/types.js';
import { Encbuf } from '../encoding/encbuf.js';
import { WalCorruptionError } from './errors.js';
import { listSegments, segmentName } from './format.js';
import { WalReader } from './reader.js';
import { writeWalDirAtomically } from './checkpoint-dir.js';

/** Prefix of checkpoint directory names. */
export const CHECKPOINT_PREFIX = 'checkpoint.';
/** Suffix of a checkpoint being written. */
export const CHECKPOINT_TMP_SUFFIX = '.tmp';

/** The directory name of checkpoint `index`: `checkpoint.` and eight digits. */
export function checkpointDirName(index: number): string {
  return CHECKPOINT_PREFIX + String(index).padStart(8, '0');
}

/** A checkpoint directory and the last WAL segment it covers. */
export interface CheckpointRef {
  /** Path of the checkpoint directory. */
  readonly dir: string;
  /** The last segment folded into it. */
  readonly index: number;
}

/** The checkpoints of a WAL directory, oldest first (temporary ones excluded). */
export async function listCheckpoints(walDir: string): Promise<CheckpointRef[]> {
  const out: CheckpointRef[] = [];
  for (const entry of await readdir(walDir, { withFileTypes: true })) {
    const m = /^checkpoint\.(\d+)$/.exec(entry.name);
    if (m === null) continue;
    if (!entry.isDirectory()) throw new Error(`checkpoint ${entry.name} is not a directory`);
    out.push({ dir: join(walDir, entry.name), index: Number(m[1]) });
  }
  return out.sort((a, b) => a.index - b.index);
}

/** The most recent checkpoint of a WAL directory, or undefined if there is none. */
export async function lastCheckpoint(walDir: string): Promise<CheckpointRef | undefined> {
  return (await listCheckpoints(walDir)).at(-1);
}

/** Deletes the checkpoints with an index below `maxIndex`. */
export async function deleteCheckpoints(walDir: string, maxIndex: number): Promise<void> {
  for (const cp of await listCheckpoints(walDir)) {
    if (cp.index < maxIndex) await rm(cp.dir, { recursive: true, force: true });
  }
}

/** Deletes the WAL segments numbered below `segment` (Prometheus' `WL.Truncate`). */
export async function deleteSegmentsBefore(walDir: string, segment: number): Promise<void> {
  for (const s of await listSegments(walDir)) {
    if (s < segment) await rm(join(walDir, segmentName(s)), { force: true });
  }
}

/** Counts of what a checkpoint kept and dropped. */
export interface CheckpointStats {
  /** The checkpoint directory written. */
  dir: string;
  totalSeries: number;
  droppedSeries: number;
  totalSamples: number;
  droppedSamples: number;
  totalTombstones: number;
  droppedTombstones: number;
  totalExemplars: number;
  droppedExemplars: number;
  totalMetadata: number;
  droppedMetadata: number;
}

/** Options of {@link checkpoint}. */
export interface CheckpointOptions {
  /** Snappy-compress the checkpoint's records, as the WAL itself is (Prometheus uses the WAL's setting). */
  compress: boolean;
  /**
   * Tombstones ending before this are dropped (default: `mint`). The DB passes the oldest
   * out-of-order time in its head, so a deletion of out-of-order data not yet in a block survives.
   */
  tombstoneMint?: number;
}

/** Dependencies of {@link checkpoint}. */
export interface CheckpointDeps {
  logger: Logger;
}

const FLUSH_BYTES = 512 * 1024;

/**
 * Writes `checkpoint.<to>` for the WAL in `walDir` from segments [from, to] and the previous
 * checkpoint, and deletes older checkpoints. It keeps series records of series for which
 * `keep(ref)` is true, samples and exemplars with t ≥ mint, tombstones of kept series whose
 * interval ends at or after mint, and the latest metadata of each kept series (written last).
 * Native histogram records are copied unchanged (Vigil does not decode them yet); mmap markers
 * and unknown types are dropped, as Prometheus does.
 *
 * The checkpoint is written to `checkpoint.<to>.tmp`, fsynced and renamed, so a crash leaves
 * either the old state or the new checkpoint. A corrupted segment fails the checkpoint (the head
 * could not know which series were lost). Deleting the segments is the caller's next step:
 * `deleteSegmentsBefore(walDir, to + 1)`.
 */
export async function checkpoint(
  walDir: string,
  from: number,
  to: number,
  keep: (ref: number) => boolean,
  mint: number,
  deps: CheckpointDeps,
  options: Partial<CheckpointOptions> = {},
): Promise<CheckpointStats> {
  deps.logger.info('Creating checkpoint', { from_segment: from, to_segment: to, mint });
  const prev = await lastCheckpoint(walDir);
  if (prev !== undefined) {
    if (from > prev.index + 1) {
      throw new Error(
        `checkpoint: unexpected gap to last checkpoint: expected ${prev.index + 1}, requested ${from}`,
      );
    }
    from = prev.index + 1; // segments below the checkpoint should not exist anyway
  }
  for (const name of await readdir(walDir)) {
    if (name.startsWith(CHECKPOINT_PREFIX) && name.endsWith(CHECKPOINT_TMP_SUFFIX)) {
      await rm(join(walDir, name), { recursive: true, force: true });
    }
  }
  const final = join(walDir, checkpointDirName(to));
  const stats: CheckpointStats = {
    dir: final,
    totalSeries: 0,
    droppedSeries: 0,
    totalSamples: 0,
    droppedSamples: 0,
    totalTombstones: 0,
    droppedTombstones: 0,
    totalExemplars: 0,
    droppedExemplars: 0,
    totalMetadata: 0,
    droppedMetadata: 0,
  };
  const filter = new RecordFilter(keep, mint, Math.min(mint, options.tombstoneMint ?? mint), stats);
  try {
    await writeWalDirAtomically(
      final,
      deps,
      { compress: options.compress ?? false, flushBytes: FLUSH_BYTES },
      async (batch) => {
        const sources = prev === undefined ? [] : [readRange(prev.dir, 0, Infinity)];
        sources.push(readRange(walDir, from, to));
        for (const source of sources) {
          for await (const { record } of source) {
            const out = filter.apply(record);
            if (out !== undefined) await batch.add(out);
          }
        }
        const md = filter.latestMetadata();
        if (md.length > 0) await batch.add(encodeMetadata(md));
      },
    );
  } catch (err) {
    throw new Error('create checkpoint', { cause: err });
  }
  await deleteCheckpoints(walDir, to);
  return stats;
}

/** Decides per record what a checkpoint keeps; re-encodes the records it thins out. */
class RecordFilter {
  readonly #keep: (ref: number) => boolean;
  readonly #mint: number;
  readonly #tombstoneMint: number;
  readonly #stats: CheckpointStats;
  readonly #batch = newSampleBatch(1024);
  readonly #enc = new Encbuf(64 * 1024);
  readonly #metadata = new Map<number, RefMetadata>();

  constructor(keep: (ref: number) => boolean, mint: number, tombstoneMint: number, stats: CheckpointStats) {
    this.#keep = keep;
    this.#mint = mint;
    this.#tombstoneMint = tombstoneMint;
    this.#stats = stats;
  }

  /** The record to write for `rec` (valid until the next call), or undefined to drop it. */
  apply(rec: Uint8Array): Uint8Array | undefined {
    const s = this.#stats;
    switch (rec.length === 0 ? -1 : rec[0]) {
      case RecordType.Series: {
        const all = decodeSeries(rec);
        const kept = all.filter((x) => this.#keep(x.ref));
        s.totalSeries += all.length;
        s.droppedSeries += all.length - kept.length;
        if (kept.length === 0) return undefined;
        return kept.length === all.length ? rec : encodeSeries(kept, this.#enc);
      }
      case RecordType.Samples: {
        const b = decodeSamples(rec, this.#batch);
        let n = 0;
        for (let i = 0; i < b.length; i++) {
          if (b.timestamps[i] < this.#mint) continue;
          b.refs[n] = b.refs[i];
          b.timestamps[n] = b.timestamps[i];
          b.values[n] = b.values[i]; // a typed-array copy keeps NaN payload bits
          n++;
        }
        s.totalSamples += b.length;
        s.droppedSamples += b.length - n;
        if (n === 0) return undefined;
        if (n === b.length) return rec;
        b.length = n;
        return encodeSamples(b, this.#enc);
      }
      case RecordType.Tombstones: {
        const all = decodeTombstonesRecord(rec);
        const kept = all.filter((t) => t.maxt >= this.#tombstoneMint && this.#keep(t.ref));
        s.totalTombstones += all.length;
        s.droppedTombstones += all.length - kept.length;
        return kept.length === 0 ? undefined : encodeTombstonesRecord(kept, this.#enc);
      }
      case RecordType.Exemplars: {
        const all = decodeExemplars(rec);
        const kept = all.filter((x) => x.t >= this.#mint);
        s.totalExemplars += all.length;
        s.droppedExemplars += all.length - kept.length;
        return kept.length === 0 ? undefined : encodeExemplars(kept, this.#enc);
      }
      case RecordType.Metadata: {
        const all = decodeMetadata(rec);
        let fresh = 0;
        for (const m of all) {
          if (!this.#keep(m.ref)) continue;
          if (!this.#metadata.has(m.ref)) fresh++;
          this.#metadata.set(m.ref, m);
        }
        s.totalMetadata += all.length;
        s.droppedMetadata += all.length - fresh;
        return undefined;
      }
      case RecordType.HistogramSamples:
      case RecordType.FloatHistogramSamples:
      case RecordType.CustomBucketsHistogramSamples:
      case RecordType.CustomBucketsFloatHistogramSamples:
        return rec;
      default:
        return undefined;
    }
  }

  /** The latest metadata of each kept series, to write once at the end. */
  latestMetadata(): RefMetadata[] {
    return [...this.#metadata.values()];
  }
}

/** One record read for replay; `record` is valid until the generator resumes. */
export interface ReplayRecord {
  /** The record bytes (decompressed). */
  readonly record: Uint8Array;
  /** Whether it came from the checkpoint or from a WAL segment. */
  readonly source: 'checkpoint' | 'segment';
  /** Its segment (within the checkpoint directory for checkpoint records). */
  readonly segment: number;
  /** The byte offset of its first fragment in that segment. */
  readonly offset: number;
}

/** Where replay may start because a memory snapshot already holds everything before it. */
export interface ReplayStart {
  /** The WAL segment the snapshot was taken in. */
  readonly segment: number;
  /** The offset in that segment up to which the snapshot covers the WAL. */
  readonly offset: number;
}

/**
 * Yields the records of `walDir` in replay order, as Prometheus' head start-up reads them: the
 * last checkpoint first, then the segments after it. With a snapshot position (see
 * `lastSnapshot`), a checkpoint older than the snapshot's segment is skipped and the segments
 * start at the snapshot's segment and offset. A corrupted segment ends the generator with the
 * `WalCorruptionError` (thrown), for `repairWal`.
 */
export async function* replayWal(walDir: string, start?: ReplayStart): AsyncGenerator<ReplayRecord> {
  const snapIdx = start?.segment ?? -1;
  const cp = await lastCheckpoint(walDir);
  let startFrom = 0;
  if (cp !== undefined && cp.index >= snapIdx) {
    for await (const r of readRange(cp.dir, 0, Infinity)) yield { ...r, source: 'checkpoint' };
    startFrom = cp.index + 1;
  }
  let offset = 0;
  if (snapIdx >= startFrom) {
    startFrom = snapIdx;
    offset = start?.offset ?? 0;
  }
  for await (const r of readRange(walDir, startFrom, Infinity, offset)) yield { ...r, source: 'segment' };
}

/**
 * The records of segments [first, last] of a WAL directory, skipping those of segment `first`
 * that start before `startOffset`. A corruption after `last` (such as the torn tail of the segment
 * being written) ends reading quietly; one inside the range is thrown.
 */
async function* readRange(
  dir: string,
  first: number,
  last: number,
  startOffset = 0,
): AsyncGenerator<{ record: Uint8Array; segment: number; offset: number }> {
  const r = await WalReader.open(dir, { start: { segment: first, offset: startOffset } });
  try {
    while (await r.next()) {
      const seg = r.segment;
      if (seg < first || (seg === first && r.offset < startOffset)) continue;
      if (seg > last) return;
      yield { record: r.record(), segment: seg, offset: r.offset };
    }
    const err = r.err();
    if (err === undefined || (err instanceof WalCorruptionError && err.segment > last)) return;
    throw err;
  } finally {
    await r.close();
  }
}
