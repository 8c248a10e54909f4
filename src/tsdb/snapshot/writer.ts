/** Writes a memory snapshot of the head, atomically, as Prometheus does on shutdown. */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../../util/logger.js';
import { ValueType } from '../../storage/interface.js';
import { Encoding } from '../chunkenc/chunk.js';
import { XorIterator } from '../chunkenc/xor.js';
import { Encbuf } from '../encoding/encbuf.js';
import type { RefExemplar, Tombstone } from '../record/types.js';
import { writeWalDirAtomically } from '../wlog/checkpoint-dir.js';
import { deleteSnapshotsBefore, snapshotDirName } from './dir.js';
import {
  DEFAULT_CHUNK_RANGE,
  SAMPLE_BUF_SIZE,
  encodeSnapshotExemplars,
  encodeSnapshotSeries,
  encodeSnapshotTombstones,
} from './format.js';
import type { SnapshotHeadChunk, SnapshotSeries } from './format.js';
import type { Labels } from '../../model/labels.js';

/** A series to snapshot; the sample buffer and chunk range may be left out. */
export interface SnapshotSeriesInput {
  readonly ref: number;
  readonly labels: Labels;
  /** Defaults to two hours, Prometheus' default chunk range. */
  readonly chunkRange?: number;
  /** The open head chunk; `sampleTimes`/`sampleValues` are derived from an XOR chunk when absent. */
  readonly headChunk?: Omit<SnapshotHeadChunk, 'sampleTimes' | 'sampleValues'> &
    Partial<Pick<SnapshotHeadChunk, 'sampleTimes' | 'sampleValues'>>;
}

/** What a snapshot holds. */
export interface SnapshotContent {
  /** Every series of the head, in any order. */
  readonly series: Iterable<SnapshotSeriesInput>;
  /** Every tombstone of the head. */
  readonly tombstones: readonly Tombstone[];
  /** Exemplars in the order they were added (optional). */
  readonly exemplars?: readonly RefExemplar[];
}

/** Options of {@link writeSnapshot}. */
export interface SnapshotWriteOptions {
  /** Snappy-compress the records, as the WAL is (Prometheus uses the WAL's setting). */
  compress: boolean;
}

/** The outcome of {@link writeSnapshot}. */
export interface SnapshotWriteResult {
  /** The snapshot directory. */
  readonly dir: string;
  /** Series written (0 when skipped). */
  readonly series: number;
  /** True when a snapshot at this WAL position already existed and nothing was written. */
  readonly skipped: boolean;
}

const FLUSH_BYTES = 512 * 1024;
const EXEMPLARS_PER_RECORD = 10_000;

/**
 * Writes `chunk_snapshot.<segment>.<offset>` into `dataDir`: series records, one tombstones
 * record, exemplar records, in WAL framing. The position is the WAL's last segment and written
 * size when the head was frozen; replay later starts there. The snapshot is written to a `.tmp`
 * directory, fsynced and renamed, then older snapshots are deleted. If one at the same position
 * exists, nothing is written (the head has not changed since), as in Prometheus.
 */
export async function writeSnapshot(
  dataDir: string,
  position: { readonly segment: number; readonly offset: number },
  content: SnapshotContent,
  deps: { logger: Logger },
  options: Partial<SnapshotWriteOptions> = {},
): Promise<SnapshotWriteResult> {
  const final = join(dataDir, snapshotDirName(position.segment, position.offset));
  if (await exists(final)) return { dir: final, series: 0, skipped: true };
  let count = 0;
  const e = new Encbuf(4096);
  try {
    await writeWalDirAtomically(
      final,
      deps,
      { compress: options.compress ?? false, flushBytes: FLUSH_BYTES },
      async (batch) => {
        for (const s of content.series) {
          await batch.add(encodeSnapshotSeries(complete(s), e));
          count++;
        }
        await batch.add(encodeSnapshotTombstones(content.tombstones, e));
        const ex = content.exemplars ?? [];
        for (let i = 0; i < ex.length; i += EXEMPLARS_PER_RECORD) {
          await batch.add(encodeSnapshotExemplars(ex.slice(i, i + EXEMPLARS_PER_RECORD), e));
        }
      },
    );
  } catch (err) {
    throw new Error('write chunk snapshot', { cause: err });
  }
  try {
    await deleteSnapshotsBefore(dataDir, position.segment, position.offset);
  } catch (err) {
    // Leftovers only take space: the newest snapshot is the one read.
    deps.logger.error('Deleting old chunk snapshots failed', {
      err: err instanceof Error ? err : String(err),
    });
  }
  return { dir: final, series: count, skipped: false };
}

function complete(s: SnapshotSeriesInput): SnapshotSeries {
  const c = s.headChunk;
  const chunkRange = s.chunkRange ?? DEFAULT_CHUNK_RANGE;
  if (c === undefined) return { ref: s.ref, labels: s.labels, chunkRange, headChunk: undefined };
  let { sampleTimes, sampleValues } = c;
  if (sampleTimes === undefined || sampleValues === undefined) {
    sampleTimes = new Float64Array(SAMPLE_BUF_SIZE);
    sampleValues = new Float64Array(SAMPLE_BUF_SIZE);
    if (c.encoding === Encoding.XOR) lastSamples(c.data, sampleTimes, sampleValues);
  }
  return { ref: s.ref, labels: s.labels, chunkRange, headChunk: { ...c, sampleTimes, sampleValues } };
}

/**
 * Fills the buffers with the chunk's last samples, oldest first, as Prometheus' `sampleBuf` holds
 * them (2.42 serves the newest samples of the head chunk from it).
 */
function lastSamples(data: Uint8Array, times: Float64Array, values: Float64Array): void {
  const it = new XorIterator(data);
  let n = 0;
  while (it.next() === ValueType.Float) {
    const slot = n % SAMPLE_BUF_SIZE;
    times[slot] = it.t();
    values[slot] = it.v();
    n++;
  }
  // Rotate the ring so the oldest of the last samples comes first.
  const t = Array.from(times);
  const v = Float64Array.from(values);
  for (let i = 0; i < SAMPLE_BUF_SIZE; i++) {
    const src = n < SAMPLE_BUF_SIZE ? i - (SAMPLE_BUF_SIZE - n) : (n + i) % SAMPLE_BUF_SIZE;
    times[i] = src < 0 ? 0 : t[src];
    values[i] = src < 0 ? 0 : v[src];
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
