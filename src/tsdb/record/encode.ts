/** Encoders of WAL records (series, samples, tombstones, exemplars, metadata) in Prometheus' byte format. */
import type { Labels } from '../../model/labels.js';
import { Encbuf } from '../encoding/encbuf.js';
import { RecordType } from './types.js';
import type { RefExemplar, RefMetadata, RefMmapMarker, RefSeries, SampleBatch, Tombstone } from './types.js';

function putLabels(e: Encbuf, labels: Labels): void {
  e.putUvarint(labels.size);
  for (let i = 0; i < labels.size; i++) {
    e.putUvarintStr(labels.nameAt(i));
    e.putUvarintStr(labels.valueAt(i));
  }
}

/** Encodes a series record (type 1). Returns a fresh byte array. */
export function encodeSeries(series: readonly RefSeries[], e: Encbuf = new Encbuf()): Uint8Array {
  e.reset();
  e.putByte(RecordType.Series);
  for (const s of series) {
    e.putBE64(s.ref);
    putLabels(e, s.labels);
  }
  return e.get().slice();
}

/**
 * Encodes a samples record (type 2): the first ref and timestamp in full, then per sample the
 * signed varint deltas of ref and timestamp (Prometheus writes varints, not uvarints, although
 * the format document says uvarint) and the value's 64 bits, copied bit-exactly.
 */
export function encodeSamples(batch: SampleBatch, e: Encbuf = new Encbuf()): Uint8Array {
  return encodeSamplesView(batch, e).slice();
}

/**
 * `encodeSamples` as a view of `e`, valid until its next use: for a caller that hands the record
 * straight to a WAL writer, which copies it, so a commit allocates no copy of its own.
 */
export function encodeSamplesView(batch: SampleBatch, e: Encbuf): Uint8Array {
  e.reset();
  e.putByte(RecordType.Samples);
  if (batch.length === 0) return e.get();
  // Read the value bits through a little-endian view so NaN payloads are not canonicalised.
  const bits = new DataView(batch.values.buffer, batch.values.byteOffset, batch.values.byteLength);
  const ref0 = batch.refs[0];
  const t0 = batch.timestamps[0];
  e.putBE64(ref0);
  e.putBE64(t0);
  for (let i = 0; i < batch.length; i++) {
    e.putVarint(batch.refs[i] - ref0);
    e.putVarint(batch.timestamps[i] - t0);
    e.putBE32(bits.getUint32(i * 8 + 4, true));
    e.putBE32(bits.getUint32(i * 8, true));
  }
  return e.get();
}

/** Encodes a tombstones record (type 3). */
export function encodeTombstonesRecord(
  tombstones: readonly Tombstone[],
  e: Encbuf = new Encbuf(),
): Uint8Array {
  e.reset();
  e.putByte(RecordType.Tombstones);
  for (const t of tombstones) {
    e.putBE64(t.ref);
    e.putVarint(t.mint);
    e.putVarint(t.maxt);
  }
  return e.get().slice();
}

/**
 * Encodes an exemplars record (type 4): the first ref and timestamp in full, then per exemplar the
 * signed varint deltas, the value's 64 bits and the exemplar's labels.
 */
export function encodeExemplars(exemplars: readonly RefExemplar[], e: Encbuf = new Encbuf()): Uint8Array {
  e.reset();
  e.putByte(RecordType.Exemplars);
  if (exemplars.length === 0) return e.get().slice();
  const ref0 = exemplars[0].ref;
  const t0 = exemplars[0].t;
  e.putBE64(ref0);
  e.putBE64(t0);
  const f = new DataView(new ArrayBuffer(8));
  for (const x of exemplars) {
    e.putVarint(x.ref - ref0);
    e.putVarint(x.t - t0);
    f.setFloat64(0, x.v);
    e.putBE32(f.getUint32(0));
    e.putBE32(f.getUint32(4));
    putLabels(e, x.labels);
  }
  return e.get().slice();
}

/** Encodes a metadata record (type 6): per entry ref, metric type and the named fields. */
export function encodeMetadata(metadata: readonly RefMetadata[], e: Encbuf = new Encbuf()): Uint8Array {
  e.reset();
  e.putByte(RecordType.Metadata);
  for (const m of metadata) {
    e.putUvarint(m.ref);
    e.putByte(m.type);
    const names = Object.keys(m.fields);
    e.putUvarint(names.length);
    for (const name of names) {
      e.putUvarintStr(name);
      e.putUvarintStr(m.fields[name]);
    }
  }
  return e.get().slice();
}

/** Encodes an mmap markers record (type 5): per marker the series ref and the chunk ref, 8 bytes each. */
export function encodeMmapMarkers(markers: readonly RefMmapMarker[], e: Encbuf = new Encbuf()): Uint8Array {
  e.reset();
  e.putByte(RecordType.MmapMarkers);
  for (const m of markers) {
    e.putBE64(m.ref);
    e.putBE64(m.mmapRef);
  }
  return e.get().slice();
}
