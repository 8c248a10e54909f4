/** The record types carried in a Prometheus WAL and their decoded shapes. */
import type { Tombstone } from '../tombstones/tombstones.js';
import type { Labels } from '../../model/labels.js';

/** The first byte of a WAL record. */
export const RecordType = {
  /** Series: ref and labels. */
  Series: 1,
  /** Float samples. */
  Samples: 2,
  /** Deletion intervals. */
  Tombstones: 3,
  /** Exemplars. */
  Exemplars: 4,
  /** Memory-mapped chunk markers. */
  MmapMarkers: 5,
  /** Metric metadata. */
  Metadata: 6,
  /** Integer native histograms. */
  HistogramSamples: 7,
  /** Float native histograms. */
  FloatHistogramSamples: 8,
  /** Integer native histograms with custom buckets. */
  CustomBucketsHistogramSamples: 9,
  /** Float native histograms with custom buckets. */
  CustomBucketsFloatHistogramSamples: 10,
} as const;

/** A series declaration: its ref (unique in the WAL) and its labels. */
export interface RefSeries {
  /** Series reference. */
  readonly ref: number;
  /** The series' labels. */
  readonly labels: Labels;
}

/**
 * A column-oriented batch of float samples. Values live in a `Float64Array` so NaN payloads
 * (the staleness marker) survive; only the first `length` entries are meaningful.
 */
export interface SampleBatch {
  /** Number of samples. */
  length: number;
  /** Series refs. */
  refs: Float64Array;
  /** Timestamps in milliseconds. */
  timestamps: Float64Array;
  /** Values, bit-exact. */
  values: Float64Array;
}

/** A deleted interval of one series, inclusive at both ends: the same shape as in a block. */
export type { Tombstone };

/** An exemplar attached to a series. */
export interface RefExemplar {
  /** Series reference. */
  readonly ref: number;
  /** Timestamp in milliseconds. */
  readonly t: number;
  /** Value. */
  readonly v: number;
  /** The exemplar's labels. */
  readonly labels: Labels;
}

/** A metadata update of a series. */
export interface RefMetadata {
  /** Series reference. */
  readonly ref: number;
  /** Metric type byte (Prometheus' record.MetricType). */
  readonly type: number;
  /** The named fields (`UNIT`, `HELP`, …). */
  readonly fields: Readonly<Record<string, string>>;
}

/**
 * An mmap marker of the write-behind log: the out-of-order head chunk of series `ref` was cut to
 * `chunks_head/` at `mmapRef` (0 when there was nothing to cut), so replay starts a new one.
 */
export interface RefMmapMarker {
  readonly ref: number;
  readonly mmapRef: number;
}

/** A decoded record, discriminated on `kind`; record types Vigil does not decode are `skipped`. */
export type WalRecord =
  | { readonly kind: 'series'; readonly series: RefSeries[] }
  | { readonly kind: 'samples'; readonly samples: SampleBatch }
  | { readonly kind: 'tombstones'; readonly tombstones: Tombstone[] }
  | { readonly kind: 'exemplars'; readonly exemplars: RefExemplar[] }
  | { readonly kind: 'metadata'; readonly metadata: RefMetadata[] }
  | { readonly kind: 'mmap-markers'; readonly markers: RefMmapMarker[] }
  | { readonly kind: 'skipped'; readonly type: number; readonly note: string };

/** Allocates an empty sample batch with room for `capacity` samples. */
export function newSampleBatch(capacity = 0): SampleBatch {
  return {
    length: 0,
    refs: new Float64Array(capacity),
    timestamps: new Float64Array(capacity),
    values: new Float64Array(capacity),
  };
}

/** A copy of `b` with room for twice as many samples. */
export function growSampleBatch(b: SampleBatch): SampleBatch {
  const grown = newSampleBatch(Math.max(64, b.length * 2));
  grown.refs.set(b.refs);
  grown.timestamps.set(b.timestamps);
  grown.values.set(b.values);
  grown.length = b.length;
  return grown;
}

/** Adds a sample to `b`, or to a batch twice as large when `b` is full; returns the batch used. */
export function pushSample(b: SampleBatch, ref: number, t: number, v: number): SampleBatch {
  if (b.length === b.refs.length) b = growSampleBatch(b);
  b.refs[b.length] = ref;
  b.timestamps[b.length] = t;
  b.values[b.length] = v;
  b.length++;
  return b;
}
