/**
 * `TsdbStatsSource` computed from any `Queryable` by walking every series: exact, and linear in
 * the number of series and samples. Fine for `MemoryStorage` and tests; the TSDB should answer
 * from its postings index instead.
 */
import { METRIC_NAME } from '../model/labels.js';
import { Matcher } from '../model/matcher.js';
import type { Queryable } from '../storage/interface.js';
import { ValueType } from '../storage/interface.js';
import type { TsdbStat, TsdbStatsSource, TsdbStatus, WalReplayStatus } from './sources.js';

/** Prometheus' XOR chunks hold about 120 samples; used to estimate a chunk count. */
const SAMPLES_PER_CHUNK = 120;

function top(m: Map<string, number>, limit: number): TsdbStat[] {
  return [...m]
    .sort(([an, av], [bn, bv]) => bv - av || (an < bn ? -1 : an > bn ? 1 : 0))
    .slice(0, limit)
    .map(([name, value]) => ({ name, value }));
}

function bump(m: Map<string, number>, k: string, by = 1): void {
  m.set(k, (m.get(k) ?? 0) + by);
}

/** The statistics of everything `q` holds. */
export function computeTsdbStatus(q: Queryable, limit: number): TsdbStatus {
  const querier = q.querier(Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
  try {
    const byMetric = new Map<string, number>();
    const values = new Map<string, Set<string>>();
    const pairs = new Map<string, number>();
    let numSeries = 0;
    let chunks = 0;
    let minTime = Infinity;
    let maxTime = -Infinity;
    const ss = querier.select(false, undefined, new Matcher('=~', METRIC_NAME, '.+'));
    while (ss.next()) {
      const s = ss.at();
      numSeries++;
      bump(byMetric, s.labels.metricName());
      s.labels.forEach((n, v) => {
        let set = values.get(n);
        if (set === undefined) values.set(n, (set = new Set()));
        set.add(v);
        if (n !== METRIC_NAME) bump(pairs, `${n}=${v}`);
      });
      const it = s.iterator();
      let n = 0;
      while (it.next() === ValueType.Float) {
        const t = it.t();
        if (n === 0 && t < minTime) minTime = t;
        if (t > maxTime) maxTime = t;
        n++;
      }
      chunks += Math.ceil(n / SAMPLES_PER_CHUNK);
    }
    const valueCounts = new Map<string, number>();
    const memory = new Map<string, number>();
    let numLabelPairs = 0;
    for (const [name, set] of values) {
      valueCounts.set(name, set.size);
      numLabelPairs += set.size;
      let bytes = 0;
      for (const v of set) bytes += Buffer.byteLength(v);
      memory.set(name, bytes);
    }
    return {
      headStats: {
        numSeries,
        numLabelPairs,
        chunkCount: chunks,
        // Prometheus reports the head's extremes of an empty head as the int64 limits; 0 is kinder.
        minTime: Number.isFinite(minTime) ? minTime : 0,
        maxTime: Number.isFinite(maxTime) ? maxTime : 0,
      },
      seriesCountByMetricName: top(byMetric, limit),
      labelValueCountByLabelName: top(valueCounts, limit),
      memoryInBytesByLabelName: top(memory, limit),
      seriesCountByLabelValuePair: top(pairs, limit),
    };
  } finally {
    querier.close();
  }
}

/** A `TsdbStatsSource` over `q`, reporting a finished (empty) WAL replay. */
export function statsFromQueryable(
  q: Queryable,
  walReplay: () => WalReplayStatus = () => ({ min: 0, max: 0, current: 0 }),
): TsdbStatsSource {
  return { tsdbStatus: (limit) => computeTsdbStatus(q, limit), walReplayStatus: walReplay };
}
