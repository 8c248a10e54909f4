/** Decoders of WAL records. */
import { Labels } from '../../model/labels.js';
import { Decbuf } from '../encoding/decbuf.js';
import { CorruptionError } from '../encoding/errors.js';
import { RecordType, newSampleBatch } from './types.js';
import type {
  RefExemplar,
  RefMetadata,
  RefMmapMarker,
  RefSeries,
  SampleBatch,
  Tombstone,
  WalRecord,
} from './types.js';

function labels(d: Decbuf): Labels {
  const n = d.uvarint();
  const pairs: string[] = [];
  for (let i = 0; i < n && d.err() === undefined; i++) pairs.push(d.uvarintStr(), d.uvarintStr());
  return Labels.fromPairs(pairs);
}

function check(d: Decbuf, what: string): void {
  const err = d.err();
  if (err !== undefined)
    throw new CorruptionError(
      `decode ${what} record: ${err.message}`,
      { offset: d.position },
      { cause: err },
    );
}

function expectType(d: Decbuf, type: number, what: string): void {
  const t = d.byte();
  if (t !== type) d.fail(`not a ${what} record: type ${t}`);
}

/** Decodes a series record (type 1). Throws a CorruptionError on malformed input. */
export function decodeSeries(rec: Uint8Array): RefSeries[] {
  const d = new Decbuf(rec);
  expectType(d, RecordType.Series, 'series');
  const out: RefSeries[] = [];
  while (d.err() === undefined && d.remaining() > 0) {
    const ref = d.be64();
    out.push({ ref, labels: labels(d) });
  }
  check(d, 'series');
  return out;
}

/** Decodes a samples record (type 2) into `into` (reused when given), keeping value bits exact. */
export function decodeSamples(rec: Uint8Array, into?: SampleBatch): SampleBatch {
  const c = new SamplesRecordCursor(rec);
  // Each sample takes at least 10 bytes: two one-byte varints and the value.
  const cap = Math.max(0, Math.ceil((rec.length - 17) / 10));
  const b = into !== undefined && into.refs.length >= cap ? into : newSampleBatch(cap);
  let i = 0;
  while (c.next()) {
    b.refs[i] = c.ref;
    b.timestamps[i] = c.t;
    b.values[i] = c.value(); // a Float64Array keeps NaN payload bits (the staleness marker)
    i++;
  }
  b.length = i;
  return b;
}

/**
 * Reads a samples record (type 2) one sample at a time, in place: `next()` gives a sample's ref and
 * time, and `value()` decodes its value only for a sample the caller keeps. After a crash, replay
 * keeps a quarter of the WAL's samples (`chunks_head/` holds the rest); decoding every sample into a
 * batch first was a tenth of its CPU. Throws a CorruptionError on malformed input, as
 * `decodeSamples` does.
 */
export class SamplesRecordCursor {
  /** The current sample's series ref and timestamp. */
  ref = 0;
  t = 0;
  readonly #rec: Uint8Array;
  readonly #view: DataView;
  readonly #ref0: number = 0;
  readonly #t0: number = 0;
  #p: number;
  #valueAt = 0;

  constructor(rec: Uint8Array) {
    const d = new Decbuf(rec);
    expectType(d, RecordType.Samples, 'samples');
    if (d.remaining() > 0) {
      this.#ref0 = d.be64();
      this.#t0 = d.be64();
    }
    check(d, 'samples');
    this.#rec = rec;
    this.#view = new DataView(rec.buffer, rec.byteOffset, rec.byteLength);
    this.#p = d.position;
  }

  /** Moves to the next sample; false at the end of the record. */
  next(): boolean {
    if (this.#p >= this.#rec.length) return false;
    this.ref = this.#ref0 + this.#varint();
    this.t = this.#t0 + this.#varint();
    this.#valueAt = this.#p;
    if (this.#rec.length - this.#p < 8) {
      this.#slow((d) => {
        d.skip(8); // fails: the record ends inside the value
        return 0;
      });
    }
    this.#p += 8;
    return true;
  }

  /** The current sample's value, bit-exact (NaN payloads such as the staleness marker kept). */
  value(): number {
    return this.#view.getFloat64(this.#valueAt);
  }

  // Zig-zag varints of up to four bytes (28 bits: every delta within a record, in practice) are
  // decoded here; longer or malformed ones by Decbuf, which also words the error.
  #varint(): number {
    const rec = this.#rec;
    let p = this.#p;
    let u = 0;
    for (let shift = 0; shift < 28 && p < rec.length; shift += 7) {
      const b = rec[p++];
      u |= (b & 0x7f) << shift;
      if (b < 0x80) {
        this.#p = p;
        return (u >>> 1) ^ -(u & 1);
      }
    }
    return this.#slow((d) => d.varint());
  }

  #slow(read: (d: Decbuf) => number): number {
    const d = new Decbuf(this.#rec);
    d.seek(this.#p);
    const v = read(d);
    check(d, 'samples');
    this.#p = d.position;
    return v;
  }
}

/** Decodes a tombstones record (type 3). */
export function decodeTombstonesRecord(rec: Uint8Array): Tombstone[] {
  const d = new Decbuf(rec);
  expectType(d, RecordType.Tombstones, 'tombstones');
  const out: Tombstone[] = [];
  while (d.err() === undefined && d.remaining() > 0) {
    const ref = d.be64();
    const mint = d.varint();
    const maxt = d.varint();
    out.push({ ref, mint, maxt });
  }
  check(d, 'tombstones');
  return out;
}

/** Decodes an exemplars record (type 4). */
export function decodeExemplars(rec: Uint8Array): RefExemplar[] {
  const d = new Decbuf(rec);
  expectType(d, RecordType.Exemplars, 'exemplars');
  const out: RefExemplar[] = [];
  if (d.remaining() === 0) return out;
  const ref0 = d.be64();
  const t0 = d.be64();
  const f = new DataView(new ArrayBuffer(8));
  while (d.err() === undefined && d.remaining() > 0) {
    const ref = ref0 + d.varint();
    const t = t0 + d.varint();
    f.setUint32(0, d.be32());
    f.setUint32(4, d.be32());
    out.push({ ref, t, v: f.getFloat64(0), labels: labels(d) });
  }
  check(d, 'exemplars');
  return out;
}

/** Decodes a metadata record (type 6). */
export function decodeMetadata(rec: Uint8Array): RefMetadata[] {
  const d = new Decbuf(rec);
  expectType(d, RecordType.Metadata, 'metadata');
  const out: RefMetadata[] = [];
  while (d.err() === undefined && d.remaining() > 0) {
    const ref = d.uvarint();
    const type = d.byte();
    const n = d.uvarint();
    const fields: Record<string, string> = {};
    for (let i = 0; i < n && d.err() === undefined; i++) {
      const k = d.uvarintStr();
      fields[k] = d.uvarintStr();
    }
    out.push({ ref, type, fields });
  }
  check(d, 'metadata');
  return out;
}

/** Decodes an mmap markers record (type 5). */
export function decodeMmapMarkers(rec: Uint8Array): RefMmapMarker[] {
  const d = new Decbuf(rec);
  expectType(d, RecordType.MmapMarkers, 'mmap markers');
  const out: RefMmapMarker[] = [];
  while (d.err() === undefined && d.remaining() > 0) {
    const ref = d.be64();
    out.push({ ref, mmapRef: d.be64() });
  }
  check(d, 'mmap markers');
  return out;
}

/**
 * Decodes any record by its type byte. Types Vigil does not decode (native
 * histograms, unknown future types) come back as `skipped` with a note rather than an error.
 */
export function decodeRecord(rec: Uint8Array): WalRecord {
  const type = rec.length === 0 ? -1 : rec[0];
  switch (type) {
    case RecordType.Series:
      return { kind: 'series', series: decodeSeries(rec) };
    case RecordType.Samples:
      return { kind: 'samples', samples: decodeSamples(rec) };
    case RecordType.Tombstones:
      return { kind: 'tombstones', tombstones: decodeTombstonesRecord(rec) };
    case RecordType.Exemplars:
      return { kind: 'exemplars', exemplars: decodeExemplars(rec) };
    case RecordType.Metadata:
      return { kind: 'metadata', metadata: decodeMetadata(rec) };
    case RecordType.MmapMarkers:
      return { kind: 'mmap-markers', markers: decodeMmapMarkers(rec) };
    case RecordType.HistogramSamples:
    case RecordType.FloatHistogramSamples:
    case RecordType.CustomBucketsHistogramSamples:
    case RecordType.CustomBucketsFloatHistogramSamples:
      return { kind: 'skipped', type, note: 'native histogram records are not decoded yet' };
    default:
      return { kind: 'skipped', type, note: `unknown record type ${type}` };
  }
}
