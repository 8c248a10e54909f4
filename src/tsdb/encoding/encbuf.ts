/**
 * `Encbuf`: the one writer for TSDB binary formats — a growable byte buffer with big-endian
 * integers, Go-compatible varints, length-prefixed strings and CRC-32C trailers.
 */

import { crc32c } from './crc32c.js';
import { EncodingError } from './errors.js';
import { MAX_VARINT_LEN64, int64Halves, putUvarint, putUvarint64, putVarint } from './varint.js';

/**
 * A growable writer. Bytes returned by `get()` are a view of the internal buffer, valid until the
 * next write or `reset()`; copy them (`slice()`) to keep them.
 */
export class Encbuf {
  private buf: Uint8Array;
  private view: DataView;
  private n = 0;
  private readonly halves = new Uint32Array(2);
  private nodeBuf: Buffer | undefined;

  /** Creates a buffer with room for `capacity` bytes before it first grows. */
  constructor(capacity = 1024) {
    this.buf = new Uint8Array(Math.max(16, capacity));
    this.view = new DataView(this.buf.buffer);
  }

  /** Number of bytes written. */
  get length(): number {
    return this.n;
  }

  /** Forgets the contents, keeping the allocated memory. */
  reset(): void {
    this.n = 0;
  }

  /** The bytes written so far (a view; see the class comment). */
  get(): Uint8Array {
    return this.buf.subarray(0, this.n);
  }

  private ensure(extra: number): void {
    const need = this.n + extra;
    if (need <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < need) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.n));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  /** Appends one byte (the low 8 bits of `b`). */
  putByte(b: number): void {
    this.ensure(1);
    this.buf[this.n++] = b;
  }

  /** Appends an unsigned 32-bit big-endian integer. */
  putBE32(v: number): void {
    this.ensure(4);
    this.view.setUint32(this.n, v >>> 0);
    this.n += 4;
  }

  /** Appends a 64-bit big-endian integer given as two's-complement halves. */
  putBE64Halves(hi: number, lo: number): void {
    this.ensure(8);
    this.view.setUint32(this.n, hi >>> 0);
    this.view.setUint32(this.n + 4, lo >>> 0);
    this.n += 8;
  }

  /** Appends a safe integer (possibly negative) as a 64-bit big-endian two's-complement value. */
  putBE64(v: number): void {
    if (!Number.isSafeInteger(v)) throw new EncodingError(`be64 out of range: ${v}`);
    int64Halves(v, this.halves);
    this.putBE64Halves(this.halves[0], this.halves[1]);
  }

  /** Appends the uvarint of a non-negative safe integer. */
  putUvarint(v: number): void {
    this.ensure(MAX_VARINT_LEN64);
    this.n = putUvarint(this.buf, this.n, v);
  }

  /** Appends the uvarint of the unsigned 64-bit value `hi·2^32 + lo`. */
  putUvarint64(hi: number, lo: number): void {
    this.ensure(MAX_VARINT_LEN64);
    this.n = putUvarint64(this.buf, this.n, hi, lo);
  }

  /** Appends the zig-zag varint of a safe integer. */
  putVarint(v: number): void {
    this.ensure(MAX_VARINT_LEN64);
    this.n = putVarint(this.buf, this.n, v);
  }

  /** Appends raw bytes. */
  putBytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.n);
    this.n += b.length;
  }

  /** Appends a string as UTF-8 with no length prefix. */
  putString(s: string): void {
    const len = Buffer.byteLength(s, 'utf8');
    this.ensure(len);
    this.n += this.bytesAsBuffer().write(s, this.n, 'utf8');
  }

  /** Appends a uvarint byte length followed by the UTF-8 string. */
  putUvarintStr(s: string): void {
    // Short ASCII strings (label names, most values) are copied here: the calls into Buffer for the
    // byte length and the write cost more than the copy. The length then takes one byte.
    const len = s.length;
    if (len < 0x80) {
      this.ensure(len + 1);
      const buf = this.buf;
      const at = this.n + 1;
      let i = 0;
      for (; i < len; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        buf[at + i] = c;
      }
      if (i === len) {
        buf[this.n] = len;
        this.n = at + len;
        return;
      }
    }
    this.putUvarint(Buffer.byteLength(s, 'utf8'));
    this.putString(s);
  }

  // A Buffer over the same memory, made once per buffer (not per string written).
  private bytesAsBuffer(): Buffer {
    if (this.nodeBuf === undefined || this.nodeBuf.buffer !== this.buf.buffer)
      this.nodeBuf = Buffer.from(this.buf.buffer, this.buf.byteOffset, this.buf.length);
    return this.nodeBuf;
  }

  /** Appends a uvarint length followed by the bytes. */
  putUvarintBytes(b: Uint8Array): void {
    this.putUvarint(b.length);
    this.putBytes(b);
  }

  /** Appends the big-endian CRC-32C of the bytes written from offset `start` up to now. */
  putHash(start = 0): void {
    this.putBE32(crc32c(this.buf, start, this.n));
  }

  /** Overwrites 4 bytes at `offset` with a big-endian integer (for lengths known afterwards). */
  setBE32(offset: number, v: number): void {
    this.view.setUint32(offset, v >>> 0);
  }
}
