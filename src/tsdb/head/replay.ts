/**
 * Rebuilds the head from the write-ahead log on start-up: series records restore series under their
 * refs, sample records are appended under the head's rules (so a sample the live head refused is
 * refused again), tombstones are restored. A corrupted tail is cut at the last good record with a
 * warning and start-up continues; progress is logged per segment.
 */
import { isStaleNaN } from '../../model/value.js';
import type { Logger } from '../../util/logger.js';
import { decodeSamples, decodeSeries, decodeTombstonesRecord } from '../record/decode.js';
import { RecordType, newSampleBatch } from '../record/types.js';
import { WalCorruptionError } from '../wlog/errors.js';
import { WalReader } from '../wlog/reader.js';
import { repairWal } from '../wlog/repair.js';
import type { Head } from './head.js';

/** What a replay did. */
export interface ReplayStats {
  records: number;
  series: number;
  samples: number;
  /** Samples whose series record was missing (a checkpoint dropped the series). */
  unknownRefs: number;
  /** Samples refused by the head's rules (out of order, before the head's minimum). */
  refused: number;
  staleMarkers: number;
  /** Whether a corrupted tail was cut. */
  repaired: boolean;
}

/** A position in the WAL from which to replay: records before it are already in the head. */
export interface ReplayStart {
  segment: number;
  offset: number;
}

/**
 * Replays the segments in `walDir` into `head`. With `from`, records before that position are
 * skipped (they are covered by a snapshot). With `onSegment`, reports progress.
 */
export async function replayWal(
  head: Head,
  walDir: string,
  logger: Logger,
  from?: ReplayStart,
  onSegment?: (segment: number, last: number) => void,
): Promise<ReplayStats> {
  const stats: ReplayStats = {
    records: 0,
    series: 0,
    samples: 0,
    unknownRefs: 0,
    refused: 0,
    staleMarkers: 0,
    repaired: false,
  };
  const reader = await WalReader.open(walDir);
  const segments = reader.segments;
  const last = segments.length === 0 ? -1 : segments[segments.length - 1];
  const batch = newSampleBatch(1024);
  const minValid = head.appendableMinValidTime();
  let segment = -1;
  try {
    while (await reader.next()) {
      if (reader.segment !== segment) {
        if (segment >= 0) onSegment?.(segment, last);
        segment = reader.segment;
      }
      if (
        from !== undefined &&
        (reader.segment < from.segment || (reader.segment === from.segment && reader.offset < from.offset))
      )
        continue;
      const rec = reader.record();
      stats.records++;
      switch (rec[0]) {
        case RecordType.Series:
          for (const s of decodeSeries(rec)) {
            head.restoreSeries(s);
            stats.series++;
          }
          break;
        case RecordType.Samples: {
          const b = decodeSamples(rec, batch);
          for (let i = 0; i < b.length; i++) {
            const s = head.series(b.refs[i]);
            if (s === undefined) {
              stats.unknownRefs++;
              continue;
            }
            const t = b.timestamps[i];
            const v = b.values[i];
            if (t < minValid || s.checkAppend(t, v) !== 'ok') {
              stats.refused++;
              continue;
            }
            s.append(t, v);
            head.noteTime(t);
            stats.samples++;
            if (v !== v && isStaleNaN(v)) stats.staleMarkers++;
          }
          break;
        }
        case RecordType.Tombstones:
          for (const ts of decodeTombstonesRecord(rec))
            head.addTombstone(ts.ref, { mint: ts.mint, maxt: ts.maxt });
          break;
        default:
          // Exemplars, metadata, mmap markers and native histograms are not kept by Vigil's head.
          break;
      }
    }
    if (segment >= 0) onSegment?.(segment, last);
  } finally {
    await reader.close();
  }
  const err = reader.err();
  if (err instanceof WalCorruptionError) {
    await repairWal(walDir, err, { logger });
    stats.repaired = true;
  } else if (err !== undefined) {
    throw err;
  }
  return stats;
}
