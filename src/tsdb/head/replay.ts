/**
 * Rebuilds the head from the write-ahead log on start-up: series records restore series under their
 * refs, sample records are appended under the head's rules (so a sample the live head refused is
 * refused again), tombstones are restored. A corrupted tail is cut at the last good record with a
 * warning and start-up continues; progress is logged per segment.
 */
import { isStaleNaN } from '../../model/value.js';
import type { Logger } from '../../util/logger.js';
import { SamplesRecordCursor, decodeSeries, decodeTombstonesRecord } from '../record/decode.js';
import { RecordType } from '../record/types.js';
import { replayWal as walRecords } from '../wlog/checkpoint.js';
import type { ReplayStart } from '../wlog/checkpoint.js';
import { WalCorruptionError } from '../wlog/errors.js';
import { listSegments } from '../wlog/format.js';
import { repairWal } from '../wlog/repair.js';
import type { Head } from './head.js';
import type { MemSeries } from './series.js';
import { ReplayWindow } from './replay-window.js';

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
  const floors = new ReplayFloors(head);
  const minValid = head.appendableMinValidTime();
  // Appends one series' samples in WAL order, under the live head's rules.
  const apply = (s: MemSeries, times: Float64Array, values: Float64Array, from: number, to: number): void => {
    for (let i = from; i < to; i++) {
      const t = times[i];
      const v = values[i];
      if (t < minValid || s.checkAppend(t, v) !== 'ok') {
        stats.refused++;
        continue;
      }
      s.append(t, v);
      head.noteTime(t);
      stats.samples++;
      if (v !== v && isStaleNaN(v)) stats.staleMarkers++;
    }
  };
  const window = new ReplayWindow(() => head.numSeries);
  const flush = (): void =>
    window.flush((ref, times, values, from, to) => apply(head.series(ref)!, times, values, from, to));
  const one = { times: new Float64Array(1), values: new Float64Array(1) };
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
          for (const r of decodeSeries(rec)) {
            floors.note(r.ref, head.restoreSeries(r));
            stats.series++;
          }
          break;
        case RecordType.Samples: {
          const c = new SamplesRecordCursor(rec);
          while (c.next()) {
            const ref = c.ref;
            const t = c.t;
            // Refused without touching the series object: a cache miss a sample, with a million series.
            if (t <= floors.at(ref)) {
              stats.refused++;
              continue;
            }
            const owner = floors.owner(ref);
            if (owner !== 0) {
              if (!window.push(owner, t, c.value())) {
                flush();
                window.push(owner, t, c.value());
              }
              continue;
            }
            const s = head.series(ref);
            if (s === undefined) {
              stats.unknownRefs++;
              continue;
            }
            // A ref the floors do not cover: appended now, after the window, to keep the series' order.
            flush();
            one.times[0] = t;
            one.values[0] = c.value();
            apply(s, one.times, one.values, 0, 1);
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
    flush();
    if (segment >= 0) onSegment?.(segment, last);
  } catch (err) {
    if (!(err instanceof WalCorruptionError)) throw err;
    flush(); // the records before the corruption are good
    await repairWal(walDir, err, { logger });
    stats.repaired = true;
  }
  return stats;
}

/** Refs below this get a floor; a larger ref (not handed out by Vigil or Prometheus) is looked up. */
const MAX_FLOOR_REFS = 1 << 24;

/**
 * For each series ref: a time at or before which a replayed sample is refused, the last time of
 * the series the ref resolved to, when it resolved (its chunks from `chunks_head/` or the
 * snapshot; a series' last time only grows, so the floor stays safe); and the ref of that series
 * (another ref's after a duplicate series record), which groups the replay window. Typed arrays
 * indexed by ref, which a record's consecutive refs walk in order, where reading each series' own
 * `lastT` missed the cache.
 */
class ReplayFloors {
  #floors = new Float64Array(0);
  #owners = new Uint32Array(0);

  constructor(head: Head) {
    for (const s of head.allSeries()) this.note(s.ref, s);
  }

  /** The floor of `ref`; -Infinity when it has none. */
  at(ref: number): number {
    return ref < this.#floors.length ? this.#floors[ref] : -Infinity;
  }

  /** The ref of the series `ref` resolved to; 0 when not recorded here. */
  owner(ref: number): number {
    return ref < this.#owners.length ? this.#owners[ref] : 0;
  }

  /** Records `ref`, which resolves to `s`. */
  note(ref: number, s: MemSeries): void {
    if (ref >= MAX_FLOOR_REFS || s.ref >= MAX_FLOOR_REFS) return;
    if (ref >= this.#floors.length) {
      const size = Math.min(MAX_FLOOR_REFS, Math.max(1024, (ref + 1) * 2));
      const floors = new Float64Array(size).fill(-Infinity);
      floors.set(this.#floors);
      this.#floors = floors;
      const owners = new Uint32Array(size);
      owners.set(this.#owners);
      this.#owners = owners;
    }
    this.#floors[ref] = s.lastT;
    this.#owners[ref] = s.ref;
  }
}
