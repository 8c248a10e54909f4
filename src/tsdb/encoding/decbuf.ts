/**
 * `Decbuf`: the one reader for TSDB binary formats, with a sticky error. Reads past the end or of
 * malformed data set `err` once and from then on return zeros, so a decoder makes many reads and
 * checks `err` once at the end (as Prometheus' `encoding.Decbuf`).
 */

import { crc32c } from './crc32c.js';
import { CorruptionError } from './errors.js';

const TWO_32 = 4294967296;
const MAX_SAFE_HI = 0x1fffff; // 2^53 − 1 = 0x1fffff·2^32 + 0xffffffff
const utf8 = new TextDecoder('utf-8', { fatal: false });

/** Where a `Decbuf`'s bytes come from, so errors can say where in the file they happened. */
export interface DecbufOptions {
  /** File or segment name for error messages. */
  file?: string;
  /** Offset of `bytes[0]` within that file. */
  baseOffset?: number;
}

/** A cursor over bytes. See the module comment for the sticky error. */
export class Decbuf {
  private readonly buf: Uint8Array;
  private readonly view: DataView;
  private readonly file: string | undefined;
  private readonly base: number;
  private p = 0;
  private e: CorruptionError | undefined;

  /** Reads `bytes` (not copied; the caller keeps it unchanged while decoding). */
  constructor(bytes: Uint8Array, options: DecbufOptions = {}) {
    this.buf = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.file = options.file;
    this.base = options.baseOffset ?? 0;
  }

  /** The first error met, if any. */
  err(): CorruptionError | undefined {
    return this.e;
  }

  /** Current read position within the buffer. */
  get position(): number {
    return this.p;
  }

  /** Bytes left to read. */
  remaining(): number {
    return this.buf.length - this.p;
  }

  /** Records a corruption at the current position (first one wins) and returns 0. */
  fail(reason: string): number {
    if (this.e === undefined)
      this.e = new CorruptionError(reason, { file: this.file, offset: this.base + this.p });
    return 0;
  }

  private take(n: number): boolean {
    if (this.e !== undefined) return false;
    if (n > this.buf.length - this.p) {
      this.fail(`unexpected end of data: need ${n} bytes, have ${this.buf.length - this.p}`);
      return false;
    }
    return true;
  }

  /** Moves to absolute position `pos` within the buffer. */
  seek(pos: number): void {
    if (this.e !== undefined) return;
    if (pos < 0 || pos > this.buf.length) this.fail(`seek out of range: ${pos}`);
    else this.p = pos;
  }

  /** Skips `n` bytes. */
  skip(n: number): void {
    if (this.take(n)) this.p += n;
  }

  /** Reads one byte. */
  byte(): number {
    return this.take(1) ? this.buf[this.p++] : 0;
  }

  /** Reads an unsigned 32-bit big-endian integer. */
  be32(): number {
    if (!this.take(4)) return 0;
    const v = this.view.getUint32(this.p);
    this.p += 4;
    return v;
  }

  /** Reads a signed 64-bit big-endian integer; fails if it is not a safe integer. */
  be64(): number {
    if (!this.take(8)) return 0;
    const hi = this.view.getInt32(this.p);
    const lo = this.view.getUint32(this.p + 4);
    if (hi > MAX_SAFE_HI || hi < -MAX_SAFE_HI - 1) return this.fail('be64 exceeds 2^53');
    this.p += 8;
    return hi * TWO_32 + lo;
  }

  /** Reads a uvarint; fails on truncation, overlong encodings or values of 2^53 and above. */
  uvarint(): number {
    if (this.e !== undefined) return 0;
    let v = 0;
    let mul = 1;
    for (let i = 0; i < 8; i++) {
      if (this.p >= this.buf.length) return this.fail('truncated uvarint');
      const b = this.buf[this.p++];
      if (i === 7 && (b & 0x7f) >= 16) return this.fail('uvarint exceeds 2^53');
      v += (b & 0x7f) * mul;
      if (b < 0x80) return v;
      mul *= 128;
    }
    // Byte 9 carries bits 56..62: anything non-zero there overflows 2^53.
    return this.fail('uvarint exceeds 2^53');
  }

  /** Reads a zig-zag varint; fails if the value is outside the safe-integer range. */
  varint(): number {
    if (this.e !== undefined) return 0;
    // The zig-zag value of a safe integer fits in 54 bits: decode into halves.
    let lo = 0;
    let hi = 0;
    for (let i = 0, shift = 0; i < 10; i++, shift += 7) {
      if (this.p >= this.buf.length) return this.fail('truncated varint');
      const b = this.buf[this.p++];
      const g = b & 0x7f;
      if (shift < 28) lo |= g << shift;
      else if (shift === 28) {
        lo |= g << 28;
        hi |= g >>> 4;
      } else hi |= g << (shift - 32);
      if (b < 0x80) {
        const mHi = hi >>> 1;
        const mLo = ((lo >>> 1) | (hi << 31)) >>> 0;
        if (mHi > MAX_SAFE_HI || (i === 9 && b > 1)) return this.fail('varint exceeds 2^53');
        const m = mHi * TWO_32 + mLo;
        return lo & 1 ? -m - 1 : m;
      }
    }
    return this.fail('varint too long');
  }

  /** Reads `n` bytes as a view into the buffer (not a copy). */
  bytes(n: number): Uint8Array {
    if (!this.take(n)) return this.buf.subarray(0, 0);
    const b = this.buf.subarray(this.p, this.p + n);
    this.p += n;
    return b;
  }

  /** Reads a uvarint length and that many bytes (a view). */
  uvarintBytes(): Uint8Array {
    return this.bytes(this.uvarint());
  }

  /** Reads a uvarint length and that many bytes as a UTF-8 string. */
  uvarintStr(): string {
    const b = this.uvarintBytes();
    return b.length === 0 ? '' : utf8.decode(b);
  }

  /** CRC-32C of the bytes from `start` up to the current position. */
  crc32(start: number): number {
    return crc32c(this.buf, start, this.p);
  }

  /** Reads a big-endian CRC-32C and fails unless it matches the bytes from `start` up to it. */
  checkHash(start: number): boolean {
    const want = this.crc32(start);
    const at = this.p;
    const got = this.be32();
    if (this.e !== undefined) return false;
    if (got !== want) {
      this.p = at;
      this.fail(`checksum mismatch: stored ${hex(got)}, computed ${hex(want)}`);
      return false;
    }
    return true;
  }
}

function hex(n: number): string {
  return `0x${n.toString(16).padStart(8, '0')}`;
}
