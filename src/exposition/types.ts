/**
 * Metric families as the writers take them: one family per `# TYPE` block, one point per sample
 * line. The parsers share `MetricType` and `Exemplar` (defined beside them in `entry.ts`).
 */
import type { Labels } from '../model/labels.js';
import type { Exemplar, MetricType } from './entry.js';
import type { EscapingScheme } from './escaping.js';

export type { Exemplar, MetricType };

/** One sample line of a family: `name{labels} value [timestamp] [# exemplar]`. */
export interface MetricPoint {
  /**
   * The full sample name, suffix included: `http_requests_total`, `latency_seconds_bucket`,
   * `latency_seconds_sum`. Names outside the legacy charset are written quoted.
   */
  readonly name: string;
  /** The labels without `__name__` (a `__name__` label is ignored). */
  readonly labels: Labels;
  /** The value; NaN, +Inf and -Inf are written as `NaN`, `+Inf`, `-Inf`. */
  readonly value: number;
  /** Milliseconds since the epoch; written as milliseconds in text 0.0.4, seconds in OpenMetrics. */
  readonly timestamp?: number;
  /** An exemplar; only OpenMetrics carries it, the text format drops it. */
  readonly exemplar?: Exemplar;
}

/** A metric family: its metadata and its samples, in the order they are written. */
export interface MetricFamily {
  /**
   * The family name. For a counter, `foo` and `foo_total` both work: OpenMetrics metadata names the
   * family without `_total` and its samples with it; the text format names both with the sample
   * name. An info family may likewise be named with or without `_info`.
   */
  readonly name: string;
  readonly type: MetricType;
  /** The `# HELP` text, unescaped; omitted when absent or empty. */
  readonly help?: string;
  /** The `# UNIT` (OpenMetrics only); omitted when absent or empty. */
  readonly unit?: string;
  readonly metrics: readonly MetricPoint[];
}

/** Options both writers take. */
export interface WriterOptions {
  /**
   * How names outside the legacy charset are written: `allow-utf-8` (the default) quotes them,
   * the other schemes rewrite them into legacy names (see `escapeName`). Negotiate it with
   * `negotiateResponseFormat`.
   */
  readonly escaping?: EscapingScheme;
}
