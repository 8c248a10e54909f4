import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ValueType } from '../../storage/interface.js';
import { STALE_NAN, float64Bits, isStaleNaN } from '../../model/value.js';
import { CorruptionError, EncodingError } from '../encoding/errors.js';
import { XorChunk, XorIterator } from './xor.js';
import { mulberry32 } from '../../../test/support/random.js';
import { buildSeries, randomSeries } from '../../../test/support/xor-series.js';
import type { Series } from '../../../test/support/xor-series.js';

/** Bytes from whole-byte hex followed by a bit string (spaces ignored), zero-padded to a byte. */
function bytesOf(hexPrefix: string, bitString: string): string {
  const bits = bitString.replace(/\s+/g, '');
  let out = hexPrefix.replace(/\s+/g, '');
  for (let i = 0; i < bits.length; i += 8) {
    out += parseInt(bits.slice(i, i + 8).padEnd(8, '0'), 2)
      .toString(16)
      .padStart(2, '0');
  }
  return out;
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

function build(samples: [number, number][]): XorChunk {
  const c = new XorChunk();
  const app = c.appender();
  for (const [t, v] of samples) app.append(t, v);
  return c;
}

function readAll(c: XorChunk): [number, number][] {
  const out: [number, number][] = [];
  const it = c.iterator();
  while (it.next() === ValueType.Float) out.push([it.t(), it.v()]);
  assert.equal(it.err(), undefined);
  return out;
}

function bitsOf(v: number): string {
  const [hi, lo] = float64Bits(v);
  return hi.toString(16).padStart(8, '0') + lo.toString(16).padStart(8, '0');
}

test('pinned encoding: counter with a steady 15 s interval, then jitter', () => {
  const c = build([
    [1000, 1],
    [16000, 1],
    [31000, 2],
    [46005, 2],
  ]);
  // Derived by hand from the format:
  //   0004                      num_samples = 4
  //   d00f                      varint(1000): zigzag 2000 = 0b1111_1010000 → 0xd0 0x0f
  //   3ff0000000000000          float64 bits of 1
  //   9875                      uvarint(15000) = 0b1110101_0011000 → 0x98 0x75
  // then bits:
  //   0                         v1 xor v0 = 0
  //   0                         dod = 0
  //   1 1 00001 001011 11111111111
  //                             2 xor 1 = 0x7ff0000000000000: leading 1, trailing 52, 11 bits
  //   10 00000000000101         dod = 5 in the 14-bit bucket
  //   0                         v3 xor v2 = 0
  const want = bytesOf(
    '0004 d00f 3ff0000000000000 9875',
    '0 0 1 1 00001 001011 11111111111 10 00000000000101 0',
  );
  assert.equal(hex(c.bytes()), want);
  assert.equal(c.numSamples(), 4);
  assert.deepEqual(readAll(c), [
    [1000, 1],
    [16000, 1],
    [31000, 2],
    [46005, 2],
  ]);
});

test('pinned encoding: negative first delta, 64 significant bits, 64-bit dod', () => {
  const negTiny = -Number.MIN_VALUE; // bits 0x8000000000000001
  const c = build([
    [0, 0],
    [-1, negTiny],
    [1000000, negTiny],
  ]);
  //   0003                      num_samples = 3
  //   00                        varint(0)
  //   0000000000000000          float64 bits of 0
  //   ffffffffffffffffff01      uvarint(uint64(-1)) = 2^64−1 in ten bytes, as Go writes it
  // then bits:
  //   1 1 00000 000000 1 0…0 1   xor = 0x8000000000000001: leading 0, 64 significant bits written as 0
  //   1111 <64 bits of 1000002>  tDelta 1000001, dod 1000002 > 2^19: the 64-bit bucket
  //   0                          same value
  const sig = '1' + '0'.repeat(62) + '1';
  const dod = (1000002).toString(2).padStart(64, '0');
  const want = bytesOf(
    '0003 00 0000000000000000 ffffffffffffffffff01',
    `1 1 00000 000000 ${sig} 1111 ${dod} 0`,
  );
  assert.equal(hex(c.bytes()), want);
  const got = readAll(c);
  assert.deepEqual(
    got.map(([t]) => t),
    [0, -1, 1000000],
  );
  assert.equal(bitsOf(got[1][1]), '8000000000000001');
});

test("pinned encoding: a stream ending on a whole byte keeps Prometheus' empty last byte", () => {
  // Prometheus' bstream.writeByte always opens a new byte; after the first sample (varint and
  // 64 bits, all whole bytes) the chunk ends in one zero byte with 8 free bits. Bit-exact chunks
  // must reproduce it (checked against promtool's output in chunks/segment.test.ts).
  const c = build([[1000, 1]]);
  assert.equal(hex(c.bytes()), '0001' + 'd00f' + '3ff0000000000000' + '00');
  // The next sample's bits go into that byte.
  c.appender().append(16000, 1);
  assert.equal(hex(c.bytes()), '0002' + 'd00f' + '3ff0000000000000' + '9875' + '00');
});

test('pinned encoding: dod buckets at their edges (14, 17 and 20 bits)', () => {
  // Bucket ranges are asymmetric, as Prometheus' bitRange: [−(2^(n−1)−1), 2^(n−1)].
  // t2 − t1 = 8292, dod = 8292 − 100 = 8192: the top of the 14-bit bucket.
  const c = build([
    [0, 5],
    [100, 5],
    [8392, 5],
  ]);
  const b = c.bytes();
  // Header 0003, varint(0) = 00, float64 bits of 5, uvarint(100) = 64, then the bits.
  assert.equal(hex(b.subarray(0, 12)), '0003' + '00' + '4014000000000000' + '64');
  const bits = [...b.subarray(12)].map((x) => x.toString(2).padStart(8, '0')).join('');
  assert.equal(bits.slice(0, 1 + 2 + 14 + 1), '0' + '10' + '10000000000000' + '0');
  // dod 8193 needs the 17-bit bucket; −8191 still fits 14 bits; −8192 does not.
  for (const [dodValue, prefix, width] of [
    [8193, '110', 17],
    [-8191, '10', 14],
    [-8192, '110', 17],
    [65536, '110', 17],
    [65537, '1110', 20],
    [-524287, '1110', 20],
    [524289, '1111', 64],
  ] as const) {
    const chunk = build([
      [0, 1],
      [1000000, 1],
      [2000000 + dodValue, 1],
    ]);
    // After uvarint(1000000) (3 bytes: c0843d) come the bits: v1 '0', then the dod.
    assert.equal(hex(chunk.bytes().subarray(11, 14)), 'c0843d');
    const tail = [...chunk.bytes().subarray(14)].map((x) => x.toString(2).padStart(8, '0')).join('');
    const field = BigInt.asUintN(width, BigInt(dodValue)).toString(2).padStart(width, '0');
    assert.equal(tail.slice(0, 1 + prefix.length + width), '0' + prefix + field, `dod ${dodValue}`);
    assert.deepEqual(
      readAll(chunk).map(([t]) => t),
      [0, 1000000, 2000000 + dodValue],
    );
  }
});

function assertSeries(c: XorChunk, s: Series, label: string, reuse?: XorIterator): void {
  const n = s.ts.length;
  assert.equal(c.numSamples(), n, label);
  const it = c.iterator(reuse);
  if (reuse !== undefined) assert.equal(it, reuse);
  for (let i = 0; i < n; i++) {
    assert.equal(it.next(), ValueType.Float, `${label} sample ${i}`);
    assert.equal(it.t(), s.ts[i], `${label} sample ${i} t`);
    assert.equal(bitsOf(it.v()), bitsOf(s.vs[i]), `${label} sample ${i} v`);
  }
  assert.equal(it.next(), ValueType.None);
  assert.equal(it.err(), undefined);
}

test('random series round-trip bit-exactly (NaN payloads, stale markers, ±Inf, −0, jumps)', () => {
  const rnd = mulberry32(42);
  const reuse = new XorIterator();
  let payloads = 0;
  for (let round = 0; round < 300; round++) {
    const s = randomSeries(rnd, 1 + Math.floor(rnd() * 250));
    for (const v of s.vs) if (v !== v && !isStaleNaN(v) && bitsOf(v) !== bitsOf(NaN)) payloads++;
    assertSeries(buildSeries(s), s, `round ${round}`, reuse);
  }
  assert.ok(payloads > 0, 'the generator produced NaNs with payloads');
});

test('the staleness marker stays a staleness marker, not just any NaN', () => {
  const c = buildSeries({
    ts: Float64Array.of(0, 15000, 30000, 45000),
    vs: Float64Array.of(NaN, STALE_NAN, 1, STALE_NAN),
  });
  const it = c.iterator();
  const stale: boolean[] = [];
  while (it.next() === ValueType.Float) stale.push(isStaleNaN(it.v()));
  assert.deepEqual(stale, [false, true, false, true]);
});

test('seek moves forward to the first sample at or after t, never backwards', () => {
  const c = build([
    [10, 1],
    [20, 2],
    [30, 3],
  ]);
  const it = c.iterator();
  assert.equal(it.seek(15), ValueType.Float);
  assert.equal(it.t(), 20);
  assert.equal(it.seek(5), ValueType.Float);
  assert.equal(it.t(), 20);
  assert.equal(it.seek(30), ValueType.Float);
  assert.equal(it.v(), 3);
  assert.equal(it.seek(31), ValueType.None);
  assert.equal(it.next(), ValueType.None);
});

test('a chunk read back from bytes can be appended to and matches a chunk written in one go', () => {
  const rnd = mulberry32(9);
  for (let round = 0; round < 50; round++) {
    const s = randomSeries(rnd, 2 + Math.floor(rnd() * 100));
    const cut = 1 + Math.floor(rnd() * (s.ts.length - 1));
    const first = buildSeries(s, 0, cut);
    const reopened = buildSeries(s, cut, s.ts.length, new XorChunk(first.bytes().slice()));
    assertSeries(reopened, s, `round ${round}`);
    // From two samples on, the encoder state is fully recovered: the bytes equal a one-go write.
    // (With one sample Prometheus resumes with leading zeros 0 rather than "unset", as here.)
    if (cut >= 2) assert.equal(hex(reopened.bytes()), hex(buildSeries(s).bytes()), `round ${round} bytes`);
  }
});

test('an iterator sees the samples present when it was created', () => {
  const c = new XorChunk();
  const app = c.appender();
  app.append(1, 1);
  app.append(2, 2);
  const it = c.iterator();
  app.append(3, 3);
  let n = 0;
  while (it.next() === ValueType.Float) n++;
  assert.equal(n, 2);
});

test('a truncated chunk stops with a corruption error', () => {
  const c = build([
    [0, 1],
    [15000, 2.5],
    [30000, 3.75],
    [45000, 1e10],
  ]);
  const cut = c.bytes().slice(0, c.bytes().length - 3);
  const it = new XorChunk(cut).iterator();
  let n = 0;
  while (it.next() === ValueType.Float) n++;
  assert.ok(n < 4);
  assert.ok(it.err() instanceof CorruptionError);
  assert.throws(() => new XorChunk(cut).appender(), CorruptionError);
});

test('timestamps that are not safe integers are refused', () => {
  const app = new XorChunk().appender();
  assert.throws(() => app.append(2 ** 53, 1), EncodingError);
  assert.throws(() => app.append(1.5, 1), EncodingError);
});
