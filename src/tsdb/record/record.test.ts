import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Labels } from '../../model/labels.js';
import { Encbuf } from '../encoding/encbuf.js';
import { CorruptionError } from '../encoding/errors.js';
import {
  RecordType,
  SamplesRecordCursor,
  decodeExemplars,
  decodeMetadata,
  decodeMmapMarkers,
  decodeRecord,
  decodeSamples,
  decodeSeries,
  decodeTombstonesRecord,
  encodeExemplars,
  encodeMetadata,
  encodeMmapMarkers,
  encodeSamples,
  encodeSeries,
  encodeTombstonesRecord,
  newSampleBatch,
} from './index.js';

// Prometheus' staleness marker: NaN with payload 0x7ff0000000000002.
const STALE_HI = 0x7ff00000;
const STALE_LO = 0x00000002;

test('series records round-trip', () => {
  const series = [
    { ref: 1, labels: Labels.from({ __name__: 'up', job: 'prometheus', instance: 'localhost:9090' }) },
    { ref: 2 ** 40 + 7, labels: Labels.from({ __name__: 'x', ü: 'ß\n"' }) },
    { ref: 3, labels: Labels.EMPTY },
  ];
  const got = decodeSeries(encodeSeries(series));
  assert.equal(got.length, 3);
  for (let i = 0; i < 3; i++) {
    assert.equal(got[i].ref, series[i].ref);
    assert.ok(got[i].labels.equals(series[i].labels));
  }
});

test('sample records round-trip bit-exactly, including the staleness NaN', () => {
  const n = 1000;
  const b = newSampleBatch(n);
  const bits = new DataView(b.values.buffer);
  for (let i = 0; i < n; i++) {
    b.refs[i] = 1000 + ((i * 7) % 50) - 25;
    b.timestamps[i] = 1_700_000_000_000 + i * 15 - (i % 3 === 0 ? 30 : 0);
    b.values[i] = i % 5 === 0 ? -0 : i * 0.1 - 3;
  }
  b.values[3] = Infinity;
  bits.setUint32(9 * 8 + 4, STALE_HI, true);
  bits.setUint32(9 * 8, STALE_LO, true);
  b.length = n;
  const rec = encodeSamples(b);
  assert.equal(rec[0], RecordType.Samples);
  const got = decodeSamples(rec);
  assert.equal(got.length, n);
  const gotBits = new DataView(got.values.buffer);
  for (let i = 0; i < n; i++) {
    assert.equal(got.refs[i], b.refs[i]);
    assert.equal(got.timestamps[i], b.timestamps[i]);
    assert.equal(gotBits.getUint32(i * 8, true), bits.getUint32(i * 8, true), `low bits ${i}`);
    assert.equal(gotBits.getUint32(i * 8 + 4, true), bits.getUint32(i * 8 + 4, true), `high bits ${i}`);
  }
  assert.equal(gotBits.getUint32(9 * 8 + 4, true), STALE_HI);
  assert.equal(gotBits.getUint32(9 * 8, true), STALE_LO);
  const again = decodeSamples(rec, got);
  assert.equal(again, got, 'a large enough batch is reused');
});

test('the samples cursor reads what decodeSamples reads, values bit-exact and far deltas included', () => {
  const n = 300;
  const b = newSampleBatch(n);
  const bits = new DataView(b.values.buffer);
  for (let i = 0; i < n; i++) {
    // Deltas of one to eight varint bytes, either sign: refs and times far from the first sample's.
    b.refs[i] = 2 ** 40 + (i % 2 === 0 ? i * 7 : -(2 ** (i % 39)));
    b.timestamps[i] = 1_700_000_000_000 + (i % 3 === 0 ? -(2 ** (i % 45)) : i * 15_000);
    b.values[i] = i * 1.1 - 7;
  }
  bits.setUint32(5 * 8 + 4, STALE_HI, true);
  bits.setUint32(5 * 8, STALE_LO, true);
  b.length = n;
  const rec = encodeSamples(b);
  const c = new SamplesRecordCursor(rec);
  const read = new Float64Array(1);
  const readBits = new DataView(read.buffer);
  for (let i = 0; i < n; i++) {
    assert.ok(c.next(), `sample ${i}`);
    assert.equal(c.ref, b.refs[i], `ref ${i}`);
    assert.equal(c.t, b.timestamps[i], `t ${i}`);
    read[0] = c.value();
    assert.equal(readBits.getUint32(0, true), bits.getUint32(i * 8, true), `low bits ${i}`);
    assert.equal(readBits.getUint32(4, true), bits.getUint32(i * 8 + 4, true), `high bits ${i}`);
  }
  assert.equal(c.next(), false);
  assert.equal(new SamplesRecordCursor(encodeSamples(newSampleBatch())).next(), false);
});

test('the samples cursor fails with a CorruptionError on a truncated record', () => {
  const b = newSampleBatch(2);
  b.refs[1] = 2 ** 35;
  b.length = 2;
  const rec = encodeSamples(b);
  for (const cut of [1, 3, 9]) {
    const c = new SamplesRecordCursor(rec.subarray(0, rec.length - cut));
    assert.throws(() => {
      while (c.next());
    }, CorruptionError);
  }
  assert.throws(() => new SamplesRecordCursor(rec.subarray(0, 5)), CorruptionError);
  assert.throws(() => new SamplesRecordCursor(encodeTombstonesRecord([])), CorruptionError);
});

test('an empty samples record decodes to no samples', () => {
  assert.equal(decodeSamples(encodeSamples(newSampleBatch())).length, 0);
});

test('tombstone records round-trip', () => {
  const ts = [
    { ref: 5, mint: -1000, maxt: 2000 },
    { ref: 6, mint: Number.MIN_SAFE_INTEGER, maxt: Number.MAX_SAFE_INTEGER },
  ];
  assert.deepEqual(decodeTombstonesRecord(encodeTombstonesRecord(ts)), ts);
});

test('decodeRecord dispatches on type and skips what it cannot decode', () => {
  const s = decodeRecord(encodeSeries([{ ref: 1, labels: Labels.from({ a: 'b' }) }]));
  assert.equal(s.kind, 'series');
  const m = new Encbuf();
  m.putByte(RecordType.Metadata);
  m.putUvarint(7);
  m.putByte(1);
  m.putUvarint(2);
  m.putUvarintStr('UNIT');
  m.putUvarintStr('seconds');
  m.putUvarintStr('HELP');
  m.putUvarintStr('help text');
  const md = decodeRecord(m.get());
  assert.deepEqual(md, {
    kind: 'metadata',
    metadata: [{ ref: 7, type: 1, fields: { UNIT: 'seconds', HELP: 'help text' } }],
  });
  for (const type of [7, 8, 9, 10, 42]) {
    const r = decodeRecord(new Uint8Array([type, 1, 2, 3]));
    assert.equal(r.kind, 'skipped');
    if (r.kind === 'skipped') assert.equal(r.type, type);
  }
});

test('mmap marker records round-trip in Prometheus layout (two big-endian 64-bit refs each)', () => {
  const markers = [
    { ref: 3, mmapRef: 0 },
    { ref: 70_000, mmapRef: 2 ** 32 * 5 + 123_456 },
  ];
  const rec = encodeMmapMarkers(markers);
  assert.equal(rec.length, 1 + 16 * markers.length);
  assert.equal(rec[0], RecordType.MmapMarkers);
  assert.deepEqual(decodeRecord(rec), { kind: 'mmap-markers', markers });
  assert.throws(() => decodeMmapMarkers(rec.subarray(0, rec.length - 3)), CorruptionError);
});

test('truncated records fail with a CorruptionError', () => {
  const rec = encodeSeries([{ ref: 1, labels: Labels.from({ __name__: 'up' }) }]);
  assert.throws(() => decodeSeries(rec.subarray(0, rec.length - 1)), CorruptionError);
  const b = newSampleBatch(1);
  b.length = 1;
  const srec = encodeSamples(b);
  assert.throws(() => decodeSamples(srec.subarray(0, srec.length - 2)), CorruptionError);
});

test('exemplar and metadata records round-trip', () => {
  const ex = [
    { ref: 10, t: 1_700_000_000_000, v: 1.5, labels: Labels.from({ trace_id: 'abc' }) },
    { ref: 7, t: 1_699_999_999_000, v: -2, labels: Labels.EMPTY },
  ];
  const got = decodeExemplars(encodeExemplars(ex));
  assert.deepEqual(
    got.map((x) => [x.ref, x.t, x.v, x.labels.key]),
    ex.map((x) => [x.ref, x.t, x.v, x.labels.key]),
  );
  assert.deepEqual(decodeExemplars(encodeExemplars([])), []);
  const md = [{ ref: 3, type: 2, fields: { UNIT: 'seconds', HELP: 'How long.' } }];
  assert.deepEqual(decodeMetadata(encodeMetadata(md)), md);
});
