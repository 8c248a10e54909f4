/**
 * The storage interfaces: everything above storage (scrape, rules, PromQL, the API) reads and writes
 * through these, never through `src/tsdb` directly. They mirror Prometheus' `storage.Appendable`
 * and `storage.Queryable`.
 */
import type { Labels } from '../model/labels.js';
import type { Matcher } from '../model/matcher.js';

/**
 * A reference to a series that an `Appender` handed out. Passing it back to `append` skips the
 * label lookup. `0` means "unknown"; refs are only valid for the storage that issued them.
 */
export type SeriesRef = number;

/** Something that hands out appenders. Safe to call from any code at any time. */
export interface Appendable {
  appender(): Appender;
}

/**
 * A batch of samples written as one transaction. Samples are invisible to queries until `commit()`
 * resolves; `rollback()` drops them. An appender ends in exactly one `commit()` or `rollback()` and
 * is not used again afterwards. Not safe for concurrent use: one caller at a time.
 */
export interface Appender {
  /**
   * Adds a float sample (milliseconds since the epoch) and returns the series' ref for later calls.
   * `ref` may be 0; if it is not, `labels` may be ignored. Throws a `StorageError` for samples the
   * storage rejects (out of order, duplicate with another value, …) without spoiling the batch.
   */
  append(ref: SeriesRef, labels: Labels, t: number, v: number): SeriesRef;
  /** Makes the batch durable (as configured) and visible. */
  commit(): Promise<void>;
  /** Drops the batch. */
  rollback(): Promise<void>;
}

/** Hints the query layer passes to `select` so storage can skip work. Times in milliseconds. */
export interface SelectHints {
  start: number;
  end: number;
  /** Query step, 0 for instant queries. */
  step?: number;
  /** The surrounding function, such as `rate`, when known. */
  func?: string;
  /** Range of a range selector, milliseconds. */
  range?: number;
}

/** Something that opens queriers over a time range. */
export interface Queryable {
  querier(mint: number, maxt: number): Querier;
}

/**
 * A read view of storage over [mint, maxt], closed with `close()` when done. Series and samples
 * returned stay valid until `close()`.
 */
export interface Querier {
  /** Series matching all matchers. With `sorted`, in `Labels.compare` (UTF-8 byte) order. */
  select(sorted: boolean, hints: SelectHints | undefined, ...matchers: Matcher[]): SeriesSet;
  /** Sorted label names of series matching the matchers (all series when none). */
  labelNames(...matchers: Matcher[]): string[];
  /** Sorted values of `name` among series matching the matchers. */
  labelValues(name: string, ...matchers: Matcher[]): string[];
  close(): void;
}

/** A cursor over series: `next()` advances, `at()` reads the current one. */
export interface SeriesSet {
  next(): boolean;
  at(): Series;
  /** The error that stopped iteration, if any. */
  err(): Error | undefined;
  /** Warnings gathered while selecting (for the API's `warnings`). */
  warnings(): string[];
}

/** One series: its labels and its samples in time order. */
export interface Series {
  readonly labels: Labels;
  /** An iterator over the samples; `reuse` may be recycled to avoid an allocation. */
  iterator(reuse?: SampleIterator): SampleIterator;
}

/** The kind of value an iterator is positioned at (numbers, so hot loops compare small integers). */
export const ValueType = {
  /** Exhausted. */
  None: 0,
  Float: 1,
} as const;
export type ValueType = (typeof ValueType)[keyof typeof ValueType];

/**
 * A cursor over samples in time order, with no allocation per sample. After `next()` or `seek()`
 * return `ValueType.Float`, `t()` and `v()` read the sample.
 */
export interface SampleIterator {
  next(): ValueType;
  /** Advances to the first sample with timestamp ≥ t (never backwards). */
  seek(t: number): ValueType;
  t(): number;
  v(): number;
  err(): Error | undefined;
  /**
   * Optional bulk read, on a fresh iterator instead of `seek`/`next`: hands `sink` the samples with
   * timestamps in [mint, maxt], in order, as runs of arrays it may only read during the call; `err()`
   * tells afterwards whether it stopped on an error. For callers that take whole ranges (PromQL's
   * selectors), where a call per sample is most of the cost.
   */
  readRange?(mint: number, maxt: number, sink: SampleSink): void;
}

/** Receives runs of samples from `SampleIterator.readRange`: `ts[from..to)` with `vs[from..to)`. */
export interface SampleSink {
  push(ts: Float64Array, vs: Float64Array, from: number, to: number): void;
}
