/**
 * Go-compatible varints (`encoding/binary` Uvarint/Varint) written into a byte array.
 *
 * JavaScript numbers hold integers exactly only up to 2^53, while the formats use 64-bit integers.
 * So 64-bit values travel as two unsigned 32-bit halves (`hi`, `lo`) wherever the full range
 * matters, and the number-based helpers accept any safe integer (|n| ≤ 2^53 − 1) — timestamps in
 * milliseconds (±2^53 ms is ±285,000 years) and file offsets always fit.
 */

import { EncodingError } from './errors.js';

/** The longest varint of a 64-bit value, in bytes. */
export const MAX_VARINT_LEN64 = 10;

const TWO_32 = 4294967296;

/**
 * Writes the uvarint of the unsigned 64-bit value `hi·2^32 + lo` at `out[off]` and returns the
 * offset after it. The caller guarantees `MAX_VARINT_LEN64` bytes of room.
 */
export function putUvarint64(out: Uint8Array, off: number, hi: number, lo: number): number {
  hi >>>= 0;
  lo >>>= 0;
  while (hi !== 0 || lo >= 0x80) {
    out[off++] = (lo & 0x7f) | 0x80;
    lo = ((lo >>> 7) | (hi << 25)) >>> 0;
    hi >>>= 7;
  }
  out[off++] = lo;
  return off;
}

/** Writes the uvarint of a non-negative safe integer; throws `EncodingError` otherwise. */
export function putUvarint(out: Uint8Array, off: number, n: number): number {
  if (n >= 0 && n < 0x80000000 && (n | 0) === n) {
    while (n >= 0x80) {
      out[off++] = (n & 0x7f) | 0x80;
      n >>>= 7;
    }
    out[off++] = n;
    return off;
  }
  if (!Number.isSafeInteger(n) || n < 0) throw new EncodingError(`uvarint out of range: ${n}`);
  const hi = Math.floor(n / TWO_32);
  return putUvarint64(out, off, hi, n - hi * TWO_32);
}

/**
 * Writes the zig-zag varint of a safe integer (Go's `PutVarint`); throws `EncodingError` for a
 * number that is not a safe integer. The zig-zag value (up to 2^54) is built in halves, so the
 * whole safe range encodes exactly.
 */
export function putVarint(out: Uint8Array, off: number, n: number): number {
  if (!Number.isSafeInteger(n)) throw new EncodingError(`varint out of range: ${n}`);
  // zigzag(n) = 2n for n ≥ 0, 2|n| − 1 = 2(|n| − 1) + 1 for n < 0.
  const m = n >= 0 ? n : -n - 1;
  const odd = n >= 0 ? 0 : 1;
  const hi31 = Math.floor(m / 0x80000000); // m = hi31·2^31 + rest
  const rest = m - hi31 * 0x80000000;
  return putUvarint64(out, off, hi31, ((rest * 2) | odd) >>> 0);
}

/**
 * Splits a safe integer into the two's-complement halves of its int64 representation, writing them
 * to `out[0]` (hi) and `out[1]` (lo). Used for 64-bit fields and negative uvarints.
 */
export function int64Halves(n: number, out: Uint32Array): void {
  const hi = Math.floor(n / TWO_32);
  out[0] = hi >>> 0;
  out[1] = (n - hi * TWO_32) >>> 0;
}

/** Joins two's-complement int64 halves into a number; exact while the result is a safe integer. */
export function int64FromHalves(hi: number, lo: number): number {
  return (hi | 0) * TWO_32 + (lo >>> 0);
}
