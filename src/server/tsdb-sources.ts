/** Presents the database to the HTTP API: `status/tsdb`, `status/walreplay` and the admin endpoints. */
import type { Matcher } from '../model/matcher.js';
import type { DB } from '../tsdb/db.js';
import { join } from 'node:path';
import type { AdminSource, TsdbStatsSource, TsdbStatus, WalReplayStatus } from '../web/sources.js';

/** WAL replay progress, filled in while the DB opens. */
export class WalReplayProgress {
  status: WalReplayStatus = { min: 0, max: 0, current: 0 };
  update(current: number, last: number): void {
    this.status = { min: this.status.min, max: last, current };
  }
}

/** `status/tsdb` and `status/walreplay` from the DB (not yet open: empty head statistics). */
export function tsdbStatsSource(db: () => DB | undefined, replay: WalReplayProgress): TsdbStatsSource {
  return {
    tsdbStatus(limit: number): TsdbStatus {
      const d = db();
      const s = d?.headStats(limit);
      return {
        headStats: {
          numSeries: s?.numSeries ?? 0,
          numLabelPairs: s?.numLabelPairs ?? 0,
          chunkCount: s?.chunkCount ?? 0,
          minTime: s === undefined || !Number.isFinite(s.minTime) ? 0 : s.minTime,
          maxTime: s === undefined || !Number.isFinite(s.maxTime) ? 0 : s.maxTime,
        },
        seriesCountByMetricName: s?.seriesCountByMetricName ?? [],
        labelValueCountByLabelName: s?.labelValueCountByLabelName ?? [],
        memoryInBytesByLabelName: s?.memoryInBytesByLabelName ?? [],
        seriesCountByLabelValuePair: s?.seriesCountByLabelValuePair ?? [],
      };
    },
    walReplayStatus: () => replay.status,
  };
}

/** The admin endpoints over the DB; snapshots go under `<data dir>/snapshots/<name>`. */
export function adminSource(db: () => DB): AdminSource {
  return {
    snapshot: (name: string, withHead: boolean) => db().snapshot(join(db().dir, 'snapshots', name), withHead),
    deleteSeries: (mint: number, maxt: number, matchers: readonly Matcher[]) =>
      db().delete(mint, maxt, ...matchers),
    cleanTombstones: () => db().cleanTombstones(),
  };
}
