/**
 * Rebuilds the head's out-of-order data from the write-behind log (`wbl/`) after the WAL, as
 * Prometheus does: samples are inserted into their series' out-of-order chunks (no appendable
 * minimum: they were accepted once), and an mmap marker drops the series' open out-of-order chunk,
 * whose samples are in a `chunks_head/` chunk loaded at start-up — unless the marker names a chunk
 * past the last one found there (written but lost in a crash), when the samples stay.
 */
import type { Logger } from '../../util/logger.js';
import { decodeMmapMarkers, decodeSamples } from '../record/decode.js';
import { RecordType, newSampleBatch } from '../record/types.js';
import { replayWal as segmentRecords } from '../wlog/checkpoint.js';
import { WalCorruptionError } from '../wlog/errors.js';
import { repairWal } from '../wlog/repair.js';
import type { Head } from './head.js';
import { OooInsert } from './ooo-series.js';

/** What a write-behind log replay did. */
export interface WblReplayStats {
  samples: number;
  markers: number;
  /** Samples and markers naming a series the WAL did not restore. */
  unknownRefs: number;
  repaired: boolean;
}

/** Replays `wblDir` into `head`; `lastChunkRef` is the last `chunks_head/` reference found on disk. */
export async function replayWbl(
  head: Head,
  wblDir: string,
  lastChunkRef: number,
  logger: Logger,
): Promise<WblReplayStats> {
  const stats: WblReplayStats = { samples: 0, markers: 0, unknownRefs: 0, repaired: false };
  const batch = newSampleBatch(1024);
  try {
    for await (const { record: rec } of segmentRecords(wblDir)) {
      if (rec[0] === RecordType.Samples) {
        const b = decodeSamples(rec, batch);
        for (let i = 0; i < b.length; i++) {
          const s = head.series(b.refs[i]);
          if (s === undefined) stats.unknownRefs++;
          else if (s.insertOoo(b.timestamps[i], b.values[i], head.oooCapMax) !== OooInsert.Duplicate)
            stats.samples++;
        }
      } else if (rec[0] === RecordType.MmapMarkers) {
        for (const m of decodeMmapMarkers(rec)) {
          if (m.mmapRef > lastChunkRef) continue;
          const s = head.series(m.ref);
          if (s === undefined) stats.unknownRefs++;
          else if (s.ooo !== undefined) s.ooo.head = undefined;
          stats.markers++;
        }
      }
    }
  } catch (err) {
    if (!(err instanceof WalCorruptionError)) throw err;
    await repairWal(wblDir, err, { logger });
    stats.repaired = true;
  }
  return stats;
}
