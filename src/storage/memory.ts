/**
 * A simple in-memory `Queryable` for tests and the promqltest runner until the TSDB is wired in.
 * Samples live in `Float64Array`s so staleness-marker NaN payloads survive (V8 canonicalises NaNs
 * stored in plain number arrays).
 */
import type { Labels } from '../model/labels.js';
import { Labels as LabelsClass } from '../model/labels.js';
import type { Matcher } from '../model/matcher.js';
import { matchesAll } from '../model/matcher.js';
import { sameFloatBits } from '../model/value.js';
import { StorageError } from './errors.js';
import type {
  Appendable,
  Appender,
  Querier,
  Queryable,
  SampleIterator,
  SelectHints,
  Series,
  SeriesRef,
  SeriesSet,
} from './interface.js';
import { ValueType } from './interface.js';

interface StoredSeries {
  labels: Labels;
  ts: Float64Array;
  vs: Float64Array;
  len: number;
  ref: SeriesRef;
}

/** Iterates one stored series between the querier's bounds. */
class MemoryIterator implements SampleIterator {
  #i = -1;
  constructor(
    private readonly s: StoredSeries,
    private readonly lo: number,
    private readonly hi: number,
  ) {
    this.#i = lo - 1;
  }
  next(): ValueType {
    if (this.#i < this.hi) this.#i++;
    return this.#i < this.hi ? ValueType.Float : ValueType.None;
  }
  seek(t: number): ValueType {
    if (this.#i < this.lo) this.#i = this.lo;
    while (this.#i < this.hi && this.s.ts[this.#i] < t) this.#i++;
    return this.#i < this.hi ? ValueType.Float : ValueType.None;
  }
  t(): number {
    return this.s.ts[this.#i];
  }
  v(): number {
    return this.s.vs[this.#i];
  }
  err(): Error | undefined {
    return undefined;
  }
}

/** Binary search: first index in ts[0, len) with ts[i] >= t. */
function lowerBound(ts: Float64Array, len: number, t: number): number {
  let lo = 0;
  let hi = len;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ts[mid] < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** An in-memory series store: append in time order per series, query through `querier()`. */
export class MemoryStorage implements Queryable, Appendable {
  readonly #series = new Map<string, StoredSeries>();
  readonly #byRef: StoredSeries[] = [];

  /**
   * A transactional appender with the head's rules for bad samples (out of order, duplicate with
   * another value), so code above storage can be tested without the TSDB.
   */
  appender(): Appender {
    const pending: { s: StoredSeries; t: number; v: number }[] = [];
    const lastPending = new Map<StoredSeries, number>();
    return {
      append: (ref: SeriesRef, labels: Labels, t: number, v: number): SeriesRef => {
        const s = (ref > 0 ? this.#byRef[ref - 1] : undefined) ?? this.#seriesFor(labels);
        const last = lastPending.get(s) ?? (s.len > 0 ? s.ts[s.len - 1] : -Infinity);
        if (t < last) throw new StorageError('out-of-order');
        if (t === last) {
          const prev = lastPending.has(s) ? pending.findLast((p) => p.s === s)!.v : s.vs[s.len - 1];
          if (!sameFloatBits(prev, v)) throw new StorageError('duplicate');
          return s.ref;
        }
        pending.push({ s, t, v });
        lastPending.set(s, t);
        return s.ref;
      },
      commit: (): Promise<void> => {
        for (const p of pending) this.#push(p.s, p.t, p.v);
        pending.length = 0;
        return Promise.resolve();
      },
      rollback: (): Promise<void> => {
        pending.length = 0;
        return Promise.resolve();
      },
    };
  }

  #seriesFor(labels: Labels): StoredSeries {
    let s = this.#series.get(labels.key);
    if (s === undefined) {
      s = { labels, ts: new Float64Array(16), vs: new Float64Array(16), len: 0, ref: this.#byRef.length + 1 };
      this.#series.set(labels.key, s);
      this.#byRef.push(s);
    }
    return s;
  }

  /** Adds one sample; samples of a series must arrive in increasing time order. */
  add(labels: Labels, t: number, v: number): void {
    const s = this.#seriesFor(labels);
    if (s.len > 0 && s.ts[s.len - 1] >= t) {
      // Replace a duplicate timestamp; out-of-order samples are dropped.
      if (s.ts[s.len - 1] === t) s.vs[s.len - 1] = v;
      return;
    }
    this.#push(s, t, v);
  }

  #push(s: StoredSeries, t: number, v: number): void {
    if (s.len === s.ts.length) {
      const ts = new Float64Array(s.len * 2);
      const vs = new Float64Array(s.len * 2);
      ts.set(s.ts);
      vs.set(s.vs);
      s.ts = ts;
      s.vs = vs;
    }
    s.ts[s.len] = t;
    s.vs[s.len] = v;
    s.len++;
  }

  /** Removes every series. */
  clear(): void {
    this.#series.clear();
    this.#byRef.length = 0;
  }

  /** Opens a querier over [mint, maxt]. */
  querier(mint: number, maxt: number): Querier {
    const all = [...this.#series.values()];
    const pick = (matchers: Matcher[]): StoredSeries[] => all.filter((s) => matchesAll(s.labels, matchers));
    return {
      select(sorted: boolean, _hints: SelectHints | undefined, ...matchers: Matcher[]): SeriesSet {
        const found = pick(matchers).filter((s) => s.len > 0);
        if (sorted) found.sort((a, b) => LabelsClass.compare(a.labels, b.labels));
        let i = -1;
        const series: Series[] = found.map((s) => ({
          labels: s.labels,
          iterator: () =>
            new MemoryIterator(s, lowerBound(s.ts, s.len, mint), lowerBound(s.ts, s.len, maxt + 1)),
        }));
        return {
          next: () => ++i < series.length,
          at: () => series[i],
          err: () => undefined,
          warnings: () => [],
        };
      },
      labelNames(...matchers: Matcher[]): string[] {
        const names = new Set<string>();
        for (const s of pick(matchers)) for (const n of s.labels.names()) names.add(n);
        return [...names].sort();
      },
      labelValues(name: string, ...matchers: Matcher[]): string[] {
        const vals = new Set<string>();
        for (const s of pick(matchers)) if (s.labels.has(name)) vals.add(s.labels.get(name));
        return [...vals].sort();
      },
      close(): void {},
    };
  }
}
