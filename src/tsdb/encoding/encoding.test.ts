import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Decbuf,
  Encbuf,
  NATIVE_CRC32C,
  crc32c,
  crc32cUpdate,
  CorruptionError,
  EncodingError,
} from './index.js';

const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

test('crc32c matches the standard check value and known vectors', () => {
  assert.equal(crc32c(ascii('123456789')), 0xe3069283);
  assert.equal(crc32c(new Uint8Array(0)), 0);
  assert.equal(crc32c(new Uint8Array(32)), 0x8a9136aa); // RFC 3720 B.4: 32 zero bytes
  assert.equal(crc32c(new Uint8Array(32).fill(0xff)), 0x62a8ab43); // RFC 3720 B.4: 32 0xff bytes
  const inc = Uint8Array.from({ length: 32 }, (_, i) => i);
  assert.equal(crc32c(inc), 0x46dd794e); // RFC 3720 B.4: incrementing
});

test('crc32c over pieces equals crc32c over the whole, for every split', () => {
  const data = ascii('The quick brown fox jumps over the lazy dog, twice over.');
  const whole = crc32c(data);
  for (let k = 0; k <= data.length; k++) {
    assert.equal(crc32cUpdate(crc32c(data, 0, k), data, k), whole, `split at ${k}`);
  }
});

test('crc32c of long ranges (native code) agrees with the table loop, whole and in pieces', () => {
  assert.ok(NATIVE_CRC32C, '@node-rs/crc32 loads on this platform');
  const data = Uint8Array.from({ length: 70_000 }, (_, i) => (i * 2654435761) >>> 24);
  // The table loop alone: 512-byte steps stay below the native threshold.
  let byTable = 0;
  for (let i = 0; i < data.length; i += 512)
    byTable = crc32cUpdate(byTable, data, i, Math.min(data.length, i + 512));
  assert.equal(crc32c(data), byTable);
  for (const [from, to] of [
    [0, 1024],
    [3, 32_771],
    [1000, 70_000],
    [69_000, 70_000],
  ]) {
    const sub = data.slice(from, to);
    let small = 0;
    for (let i = 0; i < sub.length; i += 100)
      small = crc32cUpdate(small, sub, i, Math.min(sub.length, i + 100));
    assert.equal(crc32c(data, from, to), small, `[${from}, ${to})`);
    assert.equal(
      crc32cUpdate(crc32c(data, 0, from), data, from, to),
      crc32c(data, 0, to),
      `continued at ${from}`,
    );
  }
});

// Go's binary.PutUvarint / PutVarint outputs, derived by hand (7 bits per byte, low group first).
const uvarintCases: [number, string][] = [
  [0, '00'],
  [1, '01'],
  [127, '7f'],
  [128, '8001'],
  [300, 'ac02'],
  [16383, 'ff7f'],
  [16384, '808001'],
  [2 ** 31, '8080808008'],
  [2 ** 32, '8080808010'],
  [Number.MAX_SAFE_INTEGER, 'ffffffffffffff0f'],
];

for (const [n, want] of uvarintCases) {
  test(`uvarint ${n} encodes as ${want} and decodes back`, () => {
    const e = new Encbuf(4);
    e.putUvarint(n);
    assert.equal(hex(e.get()), want);
    const d = new Decbuf(e.get());
    assert.equal(d.uvarint(), n);
    assert.equal(d.err(), undefined);
    assert.equal(d.remaining(), 0);
  });
}

const varintCases: [number, string][] = [
  [0, '00'],
  [-1, '01'],
  [1, '02'],
  [-64, '7f'],
  [64, '8001'],
  [-65, '8101'],
  [1700000000000, '80a0abfef962'], // a millisecond timestamp: zigzag 3400000000000
  [-(2 ** 31), 'ffffffff0f'],
  [Number.MAX_SAFE_INTEGER, 'feffffffffffff1f'],
  [Number.MIN_SAFE_INTEGER, 'fdffffffffffff1f'],
];

for (const [n, want] of varintCases) {
  test(`varint ${n} encodes as ${want} and decodes back`, () => {
    const e = new Encbuf(4);
    e.putVarint(n);
    assert.equal(hex(e.get()), want);
    const d = new Decbuf(e.get());
    assert.equal(d.varint(), n);
    assert.equal(d.err(), undefined);
  });
}

test('varints outside the safe range are rejected, not rounded', () => {
  const e = new Encbuf();
  assert.throws(() => e.putUvarint(-1), EncodingError);
  assert.throws(() => e.putUvarint(2 ** 53), EncodingError);
  assert.throws(() => e.putVarint(2 ** 53), EncodingError);
  assert.throws(() => e.putVarint(0.5), EncodingError);
  // 2^53 written as a 64-bit uvarint cannot be read back into a number.
  e.putUvarint64(0x200000, 0);
  const d = new Decbuf(e.get());
  assert.equal(d.uvarint(), 0);
  assert.ok(d.err() instanceof CorruptionError);
  // Max uint64 (what Go writes for a negative int64 cast to uint64).
  const e2 = new Encbuf();
  e2.putUvarint64(0xffffffff, 0xffffffff);
  assert.equal(hex(e2.get()), 'ffffffffffffffffff01');
  assert.ok(new Decbuf(e2.get()).uvarint() === 0);
  // Varint of minint64 = zigzag 2^64−1.
  const d3 = new Decbuf(e2.get());
  assert.equal(d3.varint(), 0);
  assert.ok(d3.err() instanceof CorruptionError);
});

test('big-endian integers, strings and bytes round-trip', () => {
  const e = new Encbuf(1);
  e.putBE32(0xdeadbeef);
  e.putBE64(-2);
  e.putBE64(1700000000123);
  e.putUvarintStr('héllo');
  e.putUvarintStr('');
  e.putUvarintBytes(Uint8Array.of(1, 2, 3));
  e.putByte(0x7f);
  assert.equal(hex(e.get().subarray(0, 12)), 'deadbeef' + 'fffffffffffffffe');
  const d = new Decbuf(e.get());
  assert.equal(d.be32(), 0xdeadbeef);
  assert.equal(d.be64(), -2);
  assert.equal(d.be64(), 1700000000123);
  assert.equal(d.uvarintStr(), 'héllo');
  assert.equal(d.uvarintStr(), '');
  assert.deepEqual([...d.uvarintBytes()], [1, 2, 3]);
  assert.equal(d.byte(), 0x7f);
  assert.equal(d.err(), undefined);
  assert.equal(d.remaining(), 0);
});

test('length-prefixed strings are UTF-8 with their byte length, ASCII or not, short or long', () => {
  const strings = [
    'up',
    'x'.repeat(127),
    'y'.repeat(128),
    'a'.repeat(126) + 'é',
    'ß',
    '日本',
    'a\u0000b',
    '🙂',
  ];
  const e = new Encbuf(1);
  for (const s of strings) e.putUvarintStr(s);
  const d = new Decbuf(e.get());
  for (const s of strings) {
    const at = d.position;
    const len = d.uvarint();
    assert.equal(len, Buffer.byteLength(s, 'utf8'), `byte length of ${JSON.stringify(s)}`);
    d.seek(at);
    assert.equal(d.uvarintStr(), s);
  }
  assert.equal(d.remaining(), 0);
});

test('the error is sticky and says where decoding failed', () => {
  const d = new Decbuf(Uint8Array.of(0, 0, 0, 1, 0x80), { file: 'index', baseOffset: 100 });
  assert.equal(d.be32(), 1);
  assert.equal(d.uvarint(), 0); // truncated: continuation bit with no next byte
  const err = d.err();
  assert.ok(err instanceof CorruptionError);
  assert.equal(err.code, 'ERR_TSDB_CORRUPTION');
  assert.equal(err.file, 'index');
  assert.equal(err.offset, 105);
  assert.match(err.message, /truncated uvarint \(index at offset 105\)/);
  // Later reads return zeros and keep the first error.
  assert.equal(d.be32(), 0);
  assert.equal(d.uvarintStr(), '');
  assert.equal(d.err(), err);
});

test('putHash appends a CRC-32C that checkHash verifies and rejects when corrupted', () => {
  const e = new Encbuf();
  e.putBytes(ascii('skip'));
  e.putBytes(ascii('123456789'));
  e.putHash(4);
  assert.equal(hex(e.get().subarray(13)), 'e3069283');
  const good = new Decbuf(e.get());
  good.skip(13);
  assert.ok(good.checkHash(4));
  const bad = e.get().slice();
  bad[6] ^= 1;
  const d = new Decbuf(bad, { file: 'chunks/000001' });
  d.skip(13);
  assert.equal(d.checkHash(4), false);
  assert.equal(d.err()?.offset, 13);
  assert.match(d.err()?.message ?? '', /checksum mismatch/);
});
