/**
 * Whole-chunk decoding of the XOR encoding (see `xor.ts` for the layout) into typed arrays. Query
 * iterators read every sample of the chunks they open; one loop with the bit position in a local
 * variable and the next 32 bits peeked at once decodes about twice as fast as the cursor
 * (`XorIterator`), which reads bit by bit through its reader's fields.
 */
import { CorruptionError } from '../encoding/errors.js';

const TWO_32 = 4294967296;
/** Which 32-bit half of a float in memory holds its high bits (native byte order). */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const HI = LITTLE_ENDIAN ? 1 : 0;
const LO = LITTLE_ENDIAN ? 0 : 1;

/**
 * The 32 bits of `buf` from bit `pos`, most significant first, zeros past the end; as an int32,
 * not a uint32, so that V8 never boxes it (callers use `>>>` and `^`, which ignore the sign).
 */
function peek32(buf: Uint8Array, pos: number): number {
  const i = pos >>> 3;
  if (i + 4 >= buf.length) return peekTail(buf, pos);
  const s = pos & 7;
  const w = (buf[i] << 24) | (buf[i + 1] << 16) | (buf[i + 2] << 8) | buf[i + 3];
  return s === 0 ? w : (w << s) | (buf[i + 4] >>> (8 - s));
}

/** `peek32` near the end of the bytes (the last few samples of every chunk). */
function peekTail(buf: Uint8Array, pos: number): number {
  const i = pos >>> 3;
  const len = buf.length;
  const w =
    ((i < len ? buf[i] : 0) << 24) |
    ((i + 1 < len ? buf[i + 1] : 0) << 16) |
    ((i + 2 < len ? buf[i + 2] : 0) << 8) |
    (i + 3 < len ? buf[i + 3] : 0);
  const s = pos & 7;
  return s === 0 ? w : (w << s) | ((i + 4 < len ? buf[i + 4] : 0) >>> (8 - s));
}

/** The `n` bits (1 ≤ n ≤ 32) of `buf` from bit `pos` (as an int32 when n is 32). */
function bits(buf: Uint8Array, pos: number, n: number): number {
  const w = peek32(buf, pos);
  return n === 32 ? w : w >>> (32 - n);
}

/** Prometheus' sign extension of an n-bit delta-of-delta (a value of exactly 2^(n-1) stays positive). */
function signExtend(v: number, n: number): number {
  return v > 1 << (n - 1) ? v - (1 << n) : v;
}

/**
 * A reusable decoder: `decode(bytes)` fills `ts` and `vs` (grown as needed) with a chunk's
 * samples and returns how many. A corrupt chunk yields the samples before the damage and sets
 * `err`; a later `decode` clears it.
 */
export class XorDecoder {
  ts = new Float64Array(128);
  vs = new Float64Array(128);
  /**
   * `vs` as 32-bit halves: a value's bits are stored straight into it, where writing them to a
   * scratch and reading a float back would stall on the CPU's store forwarding.
   */
  #halves = new Uint32Array(this.vs.buffer);
  err: CorruptionError | undefined;
  #pos = 0;

  decode(buf: Uint8Array): number {
    this.err = undefined;
    if (buf.length < 2) {
      this.err = new CorruptionError('xor chunk shorter than its header', { offset: 0 });
      return 0;
    }
    const total = (buf[0] << 8) | buf[1];
    if (total > this.ts.length) {
      this.ts = new Float64Array(total);
      this.vs = new Float64Array(total);
      this.#halves = new Uint32Array(this.vs.buffer);
    }
    const ts = this.ts;
    const halves = this.#halves;
    const end = buf.length * 8;
    if (total === 0) return 0;
    // First sample: varint time, 64 raw value bits.
    this.#pos = 16;
    ts[0] = this.#varint(buf);
    let vHi = bits(buf, this.#pos, 32);
    let vLo = bits(buf, this.#pos + 32, 32);
    let pos = this.#pos + 64;
    if (pos > end) return this.#truncated(0, pos);
    halves[HI] = vHi;
    halves[LO] = vLo;
    let delta = 0;
    let leading = 0;
    let trailing = 0;
    for (let n = 1; n < total; n++) {
      // The value's bits, peeked: after a 1-bit delta-of-delta the rest of that peek holds them
      // (`avail` of its bits are real), which spares a second read of the bytes most of the time.
      let wv: number;
      let avail: number;
      if (n === 1) {
        this.#pos = pos;
        delta = this.#uvarint(buf);
        pos = this.#pos;
        wv = peek32(buf, pos);
        avail = 32;
      } else {
        // Delta-of-delta: prefix 0, 10, 110, 1110 (14, 17, 20 bits) or 1111 (64 bits).
        const w = peek32(buf, pos);
        if (w >>> 31 === 0) {
          pos += 1;
          wv = w << 1;
          avail = 31;
        } else {
          if (w >>> 30 === 2) {
            delta += signExtend((w >>> 16) & 0x3fff, 14);
            pos += 16;
          } else if (w >>> 29 === 6) {
            delta += signExtend((w >>> 12) & 0x1ffff, 17);
            pos += 20;
          } else if (w >>> 28 === 14) {
            delta += signExtend((w >>> 8) & 0xfffff, 20);
            pos += 24;
          } else {
            const hi = bits(buf, pos + 4, 32);
            delta += hi * TWO_32 + (bits(buf, pos + 36, 32) >>> 0);
            pos += 68;
          }
          wv = peek32(buf, pos);
          avail = 32;
        }
      }
      // Value: 0 (same), 10 (XOR within the previous window), 11 + 5 + 6 bits (new window).
      if (wv >>> 31 !== 0) {
        let mbits: number;
        let head: number; // bits of the control before the value's bits
        if (wv >>> 30 === 2) {
          mbits = 64 - leading - trailing;
          head = 2;
        } else {
          leading = (wv >>> 25) & 31;
          mbits = (wv >>> 19) & 63;
          if (mbits === 0) mbits = 64;
          head = 13;
          if (leading + mbits > 64) {
            this.err = new CorruptionError('xor chunk: invalid significant bit count', {
              offset: (pos + head) >>> 3,
            });
            return n;
          }
          trailing = 64 - leading - mbits;
        }
        pos += head;
        let hi = 0;
        let lo: number;
        if (mbits <= avail - head) lo = (wv << head) >>> (32 - mbits);
        else if (mbits > 32) {
          hi = bits(buf, pos, mbits - 32);
          lo = bits(buf, pos + mbits - 32, 32);
        } else {
          lo = bits(buf, pos, mbits);
        }
        pos += mbits;
        if (trailing >= 32) {
          hi = lo << (trailing - 32);
          lo = 0;
        } else if (trailing > 0) {
          hi = (hi << trailing) | (lo >>> (32 - trailing));
          lo = lo << trailing;
        }
        vHi ^= hi;
        vLo ^= lo;
      } else {
        pos += 1;
      }
      if (pos > end) return this.#truncated(n, pos);
      // The time from the previous one in the array, not a local: a local time (above 2^31) was
      // sometimes compiled boxed, one heap number a sample and a tenth slower.
      ts[n] = ts[n - 1] + delta;
      halves[2 * n + HI] = vHi;
      halves[2 * n + LO] = vLo;
    }
    return total;
  }

  #truncated(n: number, pos: number): number {
    this.err = new CorruptionError(`xor chunk truncated at sample ${n}`, { offset: Math.floor(pos / 8) });
    return n;
  }

  /**
   * A Go uvarint of up to 64 bits from `#pos`, gathered in 32-bit halves and read as a signed
   * 64-bit integer, as the cursor does (Prometheus adds it to a time as int64).
   */
  #uvarint(buf: Uint8Array): number {
    let lo = 0;
    let hi = 0;
    for (let shift = 0; shift < 70; shift += 7) {
      const b = bits(buf, this.#pos, 8);
      this.#pos += 8;
      const g = b & 0x7f;
      if (shift < 28) lo |= g << shift;
      else if (shift === 28) {
        lo |= g << 28;
        hi |= g >>> 4;
      } else hi |= g << (shift - 32);
      if (b < 0x80) break;
    }
    return (hi | 0) * TWO_32 + (lo >>> 0);
  }

  /** A Go zig-zag varint from `#pos` (exact for safe integers). */
  #varint(buf: Uint8Array): number {
    const u = this.#uvarint(buf);
    const m = u < 0 ? u + 2 ** 64 : u; // the unsigned value back (exact below 2^53, as times are)
    return m % 2 === 0 ? m / 2 : -(m + 1) / 2;
  }
}
