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
import { replayWal as walRecords } from '../wlog/checkpoint.js';
import type { ReplayStart } from '../wlog/checkpoint.js';
import { WalCorruptionError } from '../wlog/errors.js';
import { listSegments } from '../wlog/format.js';
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

/**
 * Replays the WAL in `walDir` into `head`: the last checkpoint, then the segments after it. With
 * `from`, records before that position are skipped (a snapshot holds them). With `onSegment`,
 * reports progress once per segment.
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
  const segments = await listSegments(walDir);
  const last = segments.length === 0 ? -1 : segments[segments.length - 1];
  // Grown to the largest record once, then reused: a batch per record was a tenth of replay's GC.
  let batch = newSampleBatch(1024);
  const minValid = head.appendableMinValidTime();
  let segment = -1;
  try {
    for await (const { record: rec, source, segment: seg } of walRecords(walDir, from)) {
      if (source === 'segment' && seg !== segment) {
        if (segment >= 0) onSegment?.(segment, last);
        segment = seg;
      }
      stats.records++;
      switch (rec[0]) {
        case RecordType.Series:
          for (const s of decodeSeries(rec)) {
            head.restoreSeries(s);
            stats.series++;
          }
          break;
        case RecordType.Samples: {
          const b = (batch = decodeSamples(rec, batch));
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
  } catch (err) {
    if (!(err instanceof WalCorruptionError)) throw err;
    await repairWal(walDir, err, { logger });
    stats.repaired = true;
  }
  return stats;
}
