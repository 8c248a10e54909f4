import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BitReader, BitWriter } from './bstream.js';

test('bits are packed most significant first, last byte padded with zeros', () => {
  const w = new BitWriter(1);
  w.writeBit(1);
  w.writeBits(0b01, 2);
  w.writeBits(0xabc, 12);
  assert.equal(w.bitLength(), 15);
  // 1 01 101010111100 + one padding bit = 1011 0101 0111 1000
  assert.deepEqual([...w.bytes()], [0xb5, 0x78]);
});

test('a whole-byte prefix is kept and bits continue after it', () => {
  const w = new BitWriter(2, Uint8Array.of(0xaa, 0xbb));
  w.writeBit(1);
  assert.deepEqual([...w.bytes()], [0xaa, 0xbb, 0x80]);
  w.writeByte(0xff);
  assert.deepEqual([...w.bytes()], [0xaa, 0xbb, 0xff, 0x80]);
});

test('random widths round-trip, including 32-bit values with the top bit set', () => {
  let seed = 7;
  const rnd = (): number => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return seed;
  };
  const widths: number[] = [];
  const values: number[] = [];
  const w = new BitWriter(4);
  for (let i = 0; i < 5000; i++) {
    const n = (rnd() % 32) + 1;
    const v = n === 32 ? rnd() : rnd() & ((1 << n) - 1);
    widths.push(n);
    values.push(v >>> 0);
    w.writeBits(v, n);
  }
  const r = new BitReader(w.bytes());
  for (let i = 0; i < widths.length; i++) assert.equal(r.readBits(widths[i]), values[i], `value ${i}`);
  assert.equal(r.eof, false);
});

test('reading past the end sets a sticky eof and returns zeros', () => {
  const r = new BitReader(Uint8Array.of(0xff));
  assert.equal(r.readBits(6), 0x3f);
  assert.equal(r.readBits(3), 0);
  assert.equal(r.eof, true);
  assert.equal(r.readBit(), 0);
  assert.equal(r.eof, true);
});

test('truncateToBits resumes writing inside the last byte', () => {
  const w = new BitWriter(4);
  w.writeBits(0xfff, 12);
  w.truncateToBits(5);
  w.writeBits(0, 3);
  w.writeBit(1);
  assert.deepEqual([...w.bytes()], [0xf8, 0x80]);
});
