/**
 * The records of a memory snapshot (`chunk_snapshot.NNNNNN.MMMMMMMMMM/`), from Prometheus'
 * `format/memory_snapshot.md` and `tsdb/head_wal.go`. They travel in WAL framing; these are
 * their payloads:
 *
 * - series (1): `ref <be64> │ labels │ chunk range <be64> │ chunk exists <uvarint>`, then if it
 *   exists `mint <be64> │ maxt <be64> │ encoding <1> │ len <uvarint> │ chunk │ 4 × (t <be64> │ v <be64 float>)`;
 * - tombstones (2): `len <uvarint> │ version 1 <1> │ (ref <uvarint> │ mint <varint> │ maxt <varint>)…`;
 * - exemplars (3): the body of a WAL exemplars record.
 */
import { Labels } from '../../model/labels.js';
import { Decbuf } from '../encoding/decbuf.js';
import { Encbuf } from '../encoding/encbuf.js';
import { CorruptionError } from '../encoding/errors.js';
import type { CorruptionLocation } from '../encoding/errors.js';
import { decodeExemplars } from '../record/decode.js';
import { encodeExemplars } from '../record/encode.js';
import { RecordType } from '../record/types.js';
import type { RefExemplar, Tombstone } from '../record/types.js';

/** The first byte of a snapshot record. */
export const SnapshotRecordType = {
  /** One series with its open head chunk. */
  Series: 1,
  /** All tombstones of the head. */
  Tombstones: 2,
  /** A batch of exemplars. */
  Exemplars: 3,
} as const;

/** Slots of the sample buffer kept beside the head chunk (Prometheus' `sampleBuf`). */
export const SAMPLE_BUF_SIZE = 4;
/** Prometheus' default head chunk range, two hours, written when the caller gives none. */
export const DEFAULT_CHUNK_RANGE = 2 * 60 * 60 * 1000;

const TOMBSTONES_FORMAT_V1 = 1;

/** The open (not yet m-mapped) head chunk of a series. */
export interface SnapshotHeadChunk {
  /** First timestamp in the chunk (ms). */
  readonly mint: number;
  /** Last timestamp in the chunk (ms). */
  readonly maxt: number;
  /** Chunk encoding (1 = XOR). */
  readonly encoding: number;
  /** The chunk's bytes. */
  readonly data: Uint8Array;
  /**
   * The last samples appended to the series, oldest first; slots never filled hold t = 0, v = 0.
   * Values are bit-exact (staleness NaN included) in the Float64Array.
   */
  readonly sampleTimes: Float64Array;
  /** Values of `sampleTimes`' samples. */
  readonly sampleValues: Float64Array;
}

/** One series of the snapshot. */
export interface SnapshotSeries {
  /** The head series ref. */
  readonly ref: number;
  /** Its labels. */
  readonly labels: Labels;
  /** The head's chunk range in ms (Prometheus 2.42 restores it per series; newer versions write 0). */
  readonly chunkRange: number;
  /** The open head chunk, if the series has one. */
  readonly headChunk: SnapshotHeadChunk | undefined;
}

/** A decoded snapshot record, discriminated on `kind`. */
export type SnapshotRecord =
  | { readonly kind: 'series'; readonly series: SnapshotSeries }
  | { readonly kind: 'tombstones'; readonly tombstones: Tombstone[] }
  | { readonly kind: 'exemplars'; readonly exemplars: RefExemplar[] };

/** Encodes a series record; the bytes are a view of `e`, valid until its next use. */
export function encodeSnapshotSeries(s: SnapshotSeries, e: Encbuf): Uint8Array {
  e.reset();
  e.putByte(SnapshotRecordType.Series);
  e.putBE64(s.ref);
  e.putUvarint(s.labels.size);
  for (let i = 0; i < s.labels.size; i++) {
    e.putUvarintStr(s.labels.nameAt(i));
    e.putUvarintStr(s.labels.valueAt(i));
  }
  e.putBE64(s.chunkRange);
  const c = s.headChunk;
  if (c === undefined) {
    e.putUvarint(0);
    return e.get();
  }
  e.putUvarint(1);
  e.putBE64(c.mint);
  e.putBE64(c.maxt);
  e.putByte(c.encoding);
  e.putUvarintBytes(c.data);
  // Value bits through a little-endian view of the Float64Array, so NaN payloads survive.
  const bits = new DataView(c.sampleValues.buffer, c.sampleValues.byteOffset, c.sampleValues.byteLength);
  for (let i = 0; i < SAMPLE_BUF_SIZE; i++) {
    e.putBE64(c.sampleTimes[i]);
    e.putBE32(bits.getUint32(i * 8 + 4, true));
    e.putBE32(bits.getUint32(i * 8, true));
  }
  return e.get();
}

/** Encodes the tombstones record (Prometheus writes one, possibly empty, per snapshot). */
export function encodeSnapshotTombstones(stones: readonly Tombstone[], e: Encbuf): Uint8Array {
  const body = new Encbuf(16 + stones.length * 12);
  body.putByte(TOMBSTONES_FORMAT_V1);
  for (const t of stones) {
    body.putUvarint(t.ref);
    body.putVarint(t.mint);
    body.putVarint(t.maxt);
  }
  e.reset();
  e.putByte(SnapshotRecordType.Tombstones);
  e.putUvarintBytes(body.get());
  return e.get();
}

/** Encodes an exemplars record (a fresh array): a WAL exemplars record under the snapshot's type byte. */
export function encodeSnapshotExemplars(exemplars: readonly RefExemplar[], e: Encbuf): Uint8Array {
  const rec = encodeExemplars(exemplars, e);
  rec[0] = SnapshotRecordType.Exemplars;
  return rec;
}

/**
 * Decodes one snapshot record. `where` locates the record for errors; any malformed record, left
 * over bytes or unknown type is a `CorruptionError` there.
 */
export function decodeSnapshotRecord(rec: Uint8Array, where: CorruptionLocation): SnapshotRecord {
  const type = rec.length === 0 ? -1 : rec[0];
  try {
    switch (type) {
      case SnapshotRecordType.Series:
        return { kind: 'series', series: decodeSeries(rec, where) };
      case SnapshotRecordType.Tombstones:
        return { kind: 'tombstones', tombstones: decodeTombstones(rec) };
      case SnapshotRecordType.Exemplars: {
        const copy = rec.slice();
        copy[0] = RecordType.Exemplars;
        return { kind: 'exemplars', exemplars: decodeExemplars(copy) };
      }
      default:
        throw new Error(`unknown snapshot record type ${type}`);
    }
  } catch (err) {
    if (err instanceof CorruptionError) throw err;
    const reason = err instanceof Error ? err.message : String(err);
    throw new CorruptionError(`decode snapshot record: ${reason}`, where, { cause: err });
  }
}

function fail(d: Decbuf, what: string): never {
  throw new Error(`${what}: ${d.err()?.message ?? `${d.remaining()} bytes left over`}`);
}

/** Turns UTF-8 bytes `bytes[start, end)` into a string (a decoder, or an interner's `internUtf8`). */
export type Utf8Strings = (bytes: Uint8Array, start: number, end: number) => string;

const utf8 = new TextDecoder('utf-8', { fatal: false });
const decodeUtf8: Utf8Strings = (bytes, start, end) => utf8.decode(bytes.subarray(start, end));

/**
 * Reads series records in place, for start-up: decoding a million records into objects (labels,
 * a copy of the chunk and two sample buffers each) cost more than creating the series. Label
 * strings come from `strings` (the head's interner, so repeated strings are not decoded again);
 * the chunk is a view of the record, valid until the next `read`.
 */
export class SnapshotSeriesCursor {
  ref = 0;
  /** The label pairs, names and values interleaved, in the record's order; a new array per record. */
  pairs: string[] = [];
  chunkRange = 0;
  /** Whether the series has an open head chunk; the `chunk…` fields below are set only then. */
  hasChunk = false;
  chunkMint = 0;
  chunkMaxt = 0;
  chunkEncoding = 0;
  chunkData: Uint8Array = new Uint8Array(0);
  #rec: Uint8Array = new Uint8Array(0);
  #samplesAt = 0;

  constructor(private readonly strings: Utf8Strings = decodeUtf8) {}

  /** Reads series record `rec`; a malformed record throws `CorruptionError` at `where`. */
  read(rec: Uint8Array, where: CorruptionLocation): void {
    const d = new Decbuf(rec);
    d.byte();
    this.ref = d.be64();
    const n = d.uvarint();
    const pairs: string[] = [];
    for (let i = 0; i < 2 * n && d.err() === undefined; i++) {
      const len = d.uvarint();
      const start = d.position;
      d.skip(len);
      if (d.err() === undefined) pairs.push(this.strings(rec, start, start + len));
    }
    this.pairs = pairs;
    this.chunkRange = d.be64();
    this.hasChunk = d.uvarint() !== 0;
    if (this.hasChunk) {
      this.chunkMint = d.be64();
      this.chunkMaxt = d.be64();
      this.chunkEncoding = d.byte();
      this.chunkData = d.uvarintBytes();
      this.#samplesAt = d.position;
      d.skip(SAMPLE_BUF_SIZE * 16);
    }
    if (d.err() !== undefined || d.remaining() !== 0) {
      const reason = d.err()?.message ?? `${d.remaining()} bytes left over`;
      throw new CorruptionError(`decode snapshot record: series record: ${reason}`, where, {
        cause: d.err(),
      });
    }
    this.#rec = rec;
  }

  /** The newest sample's value (the sample buffer's last slot). */
  lastValue(): number {
    return this.#view().getFloat64(this.#samplesAt + (SAMPLE_BUF_SIZE - 1) * 16 + 8);
  }

  /** Copies the sample buffer, oldest slot first; values bit for bit, NaN payloads included. */
  copySampleBuffer(times: Float64Array, values: Float64Array): void {
    const view = this.#view();
    const bits = new DataView(values.buffer, values.byteOffset, values.byteLength);
    for (let i = 0; i < SAMPLE_BUF_SIZE; i++) {
      const at = this.#samplesAt + i * 16;
      times[i] = view.getInt32(at) * 2 ** 32 + view.getUint32(at + 4);
      bits.setUint32(i * 8 + 4, view.getUint32(at + 8), true);
      bits.setUint32(i * 8, view.getUint32(at + 12), true);
    }
  }

  #view(): DataView {
    return new DataView(this.#rec.buffer, this.#rec.byteOffset, this.#rec.byteLength);
  }
}

function decodeSeries(rec: Uint8Array, where: CorruptionLocation): SnapshotSeries {
  const c = new SnapshotSeriesCursor();
  c.read(rec, where);
  let headChunk: SnapshotHeadChunk | undefined;
  if (c.hasChunk) {
    const sampleTimes = new Float64Array(SAMPLE_BUF_SIZE);
    const sampleValues = new Float64Array(SAMPLE_BUF_SIZE);
    c.copySampleBuffer(sampleTimes, sampleValues);
    headChunk = {
      mint: c.chunkMint,
      maxt: c.chunkMaxt,
      encoding: c.chunkEncoding,
      data: c.chunkData.slice(),
      sampleTimes,
      sampleValues,
    };
  }
  return { ref: c.ref, labels: Labels.fromPairs(c.pairs), chunkRange: c.chunkRange, headChunk };
}

function decodeTombstones(rec: Uint8Array): Tombstone[] {
  const outer = new Decbuf(rec);
  outer.byte();
  const body = outer.uvarintBytes();
  if (outer.err() !== undefined || outer.remaining() !== 0) fail(outer, 'tombstones record');
  const d = new Decbuf(body);
  const version = d.byte();
  if (d.err() === undefined && version !== TOMBSTONES_FORMAT_V1)
    throw new Error(`invalid tombstone format ${version}`);
  const out: Tombstone[] = [];
  while (d.err() === undefined && d.remaining() > 0)
    out.push({ ref: d.uvarint(), mint: d.varint(), maxt: d.varint() });
  if (d.err() !== undefined) fail(d, 'tombstones record');
  return out;
}
