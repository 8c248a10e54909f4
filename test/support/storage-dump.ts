/**
 * Reads everything a `Queryable` holds into plain data for assertions: per series (by its label
 * string) the samples as `[t, v]`, with the staleness marker as 'stale' and NaN as 'NaN' (plain
 * arrays would lose NaN payloads, and deepEqual needs comparable values).
 */
import { Matcher } from '../../src/model/matcher.js';
import { isStaleNaN } from '../../src/model/value.js';
import type { Queryable } from '../../src/storage/interface.js';
import { ValueType } from '../../src/storage/interface.js';

export type DumpedValue = number | 'stale' | 'NaN';
export type Dump = Record<string, [number, DumpedValue][]>;

export function dumpValue(v: number): DumpedValue {
  if (isStaleNaN(v)) return 'stale';
  return Number.isNaN(v) ? 'NaN' : v;
}

/** Every series matching `matchers` (default: all) with samples in [mint, maxt]. */
export function dumpStorage(
  q: Queryable,
  mint = Number.MIN_SAFE_INTEGER,
  maxt = Number.MAX_SAFE_INTEGER,
  matchers: Matcher[] = [new Matcher('=~', '__name__', '.+')],
): Dump {
  const querier = q.querier(mint, maxt);
  const out: Dump = {};
  try {
    const set = querier.select(true, undefined, ...matchers);
    while (set.next()) {
      const s = set.at();
      const samples: [number, DumpedValue][] = [];
      const it = s.iterator();
      while (it.next() === ValueType.Float) samples.push([it.t(), dumpValue(it.v())]);
      const err = it.err();
      if (err !== undefined) throw err;
      if (samples.length > 0) out[s.labels.toString()] = samples;
    }
    const err = set.err();
    if (err !== undefined) throw err;
  } finally {
    querier.close();
  }
  return out;
}
