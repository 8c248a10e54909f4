/** What a parser's `next()` returns, and the types both exposition parsers share. */
import type { Labels } from '../model/labels.js';
import type { SeriesText } from './series-text.js';

/** The kinds of entry a parser yields, one per line of input that carries something. */
export const Entry = {
  /** A sample line: read it with `seriesKey()`, `value()`, `timestamp()`, `labels()`. */
  Series: 1,
  /** `# HELP name text`: read with `metricName()` and `help()`. */
  Help: 2,
  /** `# TYPE name type`: read with `metricName()` and `type()`. */
  Type: 3,
  /** `# UNIT name unit` (OpenMetrics only): read with `metricName()` and `unit()`. */
  Unit: 4,
  /** Any other `#` line (text format only): read with `comment()`. */
  Comment: 5,
  /** The end of the payload (`# EOF` in OpenMetrics). Every later `next()` returns it again. */
  EOF: 6,
} as const;

/** One of the `Entry` values. */
export type EntryKind = (typeof Entry)[keyof typeof Entry];

/** Metric family types. The text format's `untyped` is reported as `unknown`, as Prometheus does. */
export type MetricType =
  'counter' | 'gauge' | 'histogram' | 'gaugehistogram' | 'summary' | 'stateset' | 'info' | 'unknown';

/** An exemplar attached to a sample (OpenMetrics). */
export interface Exemplar {
  readonly labels: Labels;
  readonly value: number;
  /** Milliseconds since the epoch, when the exemplar has a timestamp. */
  readonly timestamp?: number;
}

/**
 * A cursor over one exposition payload, in the manner of Prometheus' `textparse.Parser`. Call
 * `next()` until it returns `Entry.EOF`; after each call the accessors describe the current entry
 * and are valid until the next call. Bad input throws `ParseError`.
 */
export interface ExpositionParser {
  /** Advances to the next entry and returns its kind. */
  next(): EntryKind;
  /**
   * The raw `name{labels}` bytes of the current sample as a latin1 string (one char per byte): a
   * cheap, exact cache key, not meant for display. Use `labels()` or `metricName()` for text.
   */
  seriesKey(): string;
  /**
   * The raw `name{labels}` bytes of the current sample as a `SeriesText`, to hash and compare
   * without making a string: one object the parser moves on each `next()`.
   */
  seriesText(): SeriesText;
  /** The raw `name{labels}` bytes of the current sample, a view into the input (no copy). */
  seriesBytes(): Uint8Array;
  /** The sample value; NaN, +Inf and -Inf included. */
  value(): number;
  /** The sample timestamp in milliseconds, or `undefined` when the line has none. */
  timestamp(): number | undefined;
  /** The sample's labels, `__name__` included, decoded and sorted. Parsed on each call: cache it. */
  labels(): Labels;
  /** The exemplar of the current sample, or `undefined`. */
  exemplar(): Exemplar | undefined;
  /** The metric name of the current sample or metadata entry. */
  metricName(): string;
  /** The text of the current `Help` entry, unescaped. */
  help(): string;
  /** The type of the current `Type` entry. */
  type(): MetricType;
  /** The unit of the current `Unit` entry. */
  unit(): string;
  /** The text of the current `Comment` entry, without the leading `#`. */
  comment(): string;
  /** The 1-based line of the current entry. */
  line(): number;
}
