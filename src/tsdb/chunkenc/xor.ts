/**
 * The XOR chunk, bit-compatible with Prometheus' `chunkenc.XORChunk` (Gorilla compression):
 *
 * ```
 * num_samples <uint16 BE> │ t0 <varint> │ v0 <64 bits> │ t1−t0 <uvarint> │ v1 <xor> │ (dod <varbit> │ v <xor>)…
 * ```
 *
 * Timestamp delta-of-deltas use the prefixes `0` (dod = 0), `10`+14 bits, `110`+17 bits,
 * `1110`+20 bits and `1111`+64 bits. Values are XOR'd with the previous value: `0` when equal,
 * otherwise `1`, then `0` to reuse the previous leading/trailing zero counts, or `1`, 5 bits of
 * leading zeros (capped at 31), 6 bits of significant bits (64 written as 0), then the bits.
 *
 * 64-bit quantities (value bits, XORs, large dods) are kept as two 32-bit halves: JavaScript's
 * bitwise operators work on 32 bits, and BigInt would allocate per sample.
 */

import type { SampleIterator } from '../../storage/interface.js';
import { ValueType } from '../../storage/interface.js';
import { CorruptionError, EncodingError } from '../encoding/errors.js';
import {
  MAX_VARINT_LEN64,
  int64FromHalves,
  int64Halves,
  putUvarint64,
  putVarint,
} from '../encoding/varint.js';
import { BitReader, BitWriter } from './bstream.js';
import type { BufferPool } from './bstream.js';
import type { Chunk, ChunkAppender } from './chunk.js';
import { Encoding } from './chunk.js';

/** Most samples a chunk holds (the header is 16 bits). */
export const MAX_XOR_SAMPLES = 0xffff;

const HEADER_SIZE = 2;
/** Delta-of-delta field width by the number of 1 bits in its prefix (10, 110, 1110). */
const DOD_WIDTHS = [0, 14, 17, 20];
const TWO_32 = 4294967296;
/** Scratch for float ↔ bits; one per module because it is only used synchronously. */
const bitsView = new DataView(new ArrayBuffer(8));
const varintScratch = new Uint8Array(MAX_VARINT_LEN64);
const halves = new Uint32Array(2);

function clz64(hi: number, lo: number): number {
  return hi !== 0 ? Math.clz32(hi) : 32 + Math.clz32(lo);
}

function ctz32(x: number): number {
  return 31 - Math.clz32(x & -x);
}

function ctz64(hi: number, lo: number): number {
  return lo !== 0 ? ctz32(lo) : 32 + ctz32(hi);
}

/** A float chunk in Prometheus' XOR encoding. */
export class XorChunk implements Chunk {
  /** @internal The bit stream; the first two bytes are the sample count. */
  readonly w: BitWriter;

  /**
   * An empty chunk, or one read from `bytes` (copied) such as a chunk file's data; its buffer
   * comes from `pool` when given (see `release`).
   */
  constructor(bytes?: Uint8Array, pool?: BufferPool) {
    if (bytes === undefined) {
      this.w = new BitWriter(128, new Uint8Array(HEADER_SIZE), pool);
    } else {
      if (bytes.length < HEADER_SIZE)
        throw new CorruptionError('xor chunk shorter than its header', { offset: 0 });
      this.w = new BitWriter(bytes.length + 32, bytes, pool);
    }
  }

  /** Gives the buffer back to its pool; the chunk must not be used afterwards. */
  release(): void {
    this.w.release();
  }

  /** Always `Encoding.XOR`. */
  encoding(): Encoding {
    return Encoding.XOR;
  }

  /** The encoded bytes (a view, valid until the next append). */
  bytes(): Uint8Array {
    return this.w.bytes();
  }

  /**
   * Empties the chunk for reuse, keeping its buffer: a head series cuts a chunk every ~30 minutes,
   * and reusing one buffer spares malloc a freed block of a few hundred bytes each time.
   * Appenders of the old contents must not be used afterwards.
   */
  reset(): void {
    this.w.truncateToBits(HEADER_SIZE * 8);
    this.w.setByte(0, 0);
    this.w.setByte(1, 0);
  }

  /** Number of samples, from the header. */
  numSamples(): number {
    const b = this.w.bytes();
    return (b[0] << 8) | b[1];
  }

  /**
   * An appender that continues the chunk. For a chunk read from bytes, it first decodes all
   * samples to recover the encoder state (as Prometheus does); throws the iterator's error if the
   * chunk is corrupt.
   */
  appender(): XorAppender {
    const a = new XorAppender(this);
    const n = this.numSamples();
    if (n === 0) return a;
    const it = new XorIterator(this.w.bytes());
    while (it.next() !== ValueType.None);
    const err = it.err();
    if (err !== undefined) throw err;
    a.resume(it, n);
    return a;
  }

  /** A cursor over the samples present now; see `Chunk.iterator`. */
  iterator(reuse?: SampleIterator): XorIterator {
    if (reuse instanceof XorIterator) {
      reuse.reset(this.w.bytes());
      return reuse;
    }
    return new XorIterator(this.w.bytes());
  }
}

/** Appends samples to an `XorChunk`. Not safe for concurrent use; one appender per chunk. */
export class XorAppender implements ChunkAppender {
  private readonly c: XorChunk;
  private n = 0;
  private t = 0;
  private tDelta = 0;
  private vHi = 0;
  private vLo = 0;
  /** Leading zeros of the last written XOR, 0xff before the first. */
  private leading = 0xff;
  private trailing = 0;

  /** @internal Use `XorChunk.appender()`. */
  constructor(chunk: XorChunk) {
    this.c = chunk;
  }

  /** @internal Continues after the samples an iterator has read to the end. */
  resume(it: XorIterator, n: number): void {
    this.n = n;
    this.t = it.t();
    this.tDelta = it.tDeltaState();
    this.vHi = it.vHiState() | 0;
    this.vLo = it.vLoState() | 0;
    // As Prometheus: the iterator's state, so with one sample leading is 0, not 0xff.
    this.leading = it.leadingState();
    this.trailing = it.trailingState();
    // Drop any bytes past the last sample's bits and resume in the partly filled byte.
    this.c.w.truncateToBits(it.bitPositionState());
  }

  /** Appends a sample; see `ChunkAppender.append`. */
  append(t: number, v: number): void {
    if (!Number.isSafeInteger(t)) throw new EncodingError(`timestamp is not a safe integer: ${t}`);
    const n = this.n;
    if (n >= MAX_XOR_SAMPLES) throw new EncodingError('xor chunk is full');
    const w = this.c.w;
    bitsView.setFloat64(0, v);
    const hi = bitsView.getUint32(0);
    const lo = bitsView.getUint32(4);
    if (n === 0) {
      const len = putVarint(varintScratch, 0, t);
      for (let i = 0; i < len; i++) w.writeBits(varintScratch[i], 8);
      w.writeBits(hi, 32);
      w.writeBits(lo, 32);
    } else if (n === 1) {
      const tDelta = t - this.t;
      if (!Number.isSafeInteger(tDelta)) throw new EncodingError(`timestamp delta out of range: ${tDelta}`);
      // Go writes uint64(tDelta): a negative delta becomes a 10-byte uvarint.
      int64Halves(tDelta, halves);
      const len = putUvarint64(varintScratch, 0, halves[0], halves[1]);
      for (let i = 0; i < len; i++) w.writeBits(varintScratch[i], 8);
      this.tDelta = tDelta;
      this.writeValue(hi, lo);
    } else {
      const tDelta = t - this.t;
      const dod = tDelta - this.tDelta;
      if (dod === 0) {
        w.writeBit(0);
      } else if (dod >= -8191 && dod <= 8192) {
        w.writeBits(0b10, 2);
        w.writeBits(dod & 0x3fff, 14);
      } else if (dod >= -65535 && dod <= 65536) {
        w.writeBits(0b110, 3);
        w.writeBits(dod & 0x1ffff, 17);
      } else if (dod >= -524287 && dod <= 524288) {
        w.writeBits(0b1110, 4);
        w.writeBits(dod & 0xfffff, 20);
      } else {
        if (!Number.isSafeInteger(dod)) throw new EncodingError(`timestamp delta out of range: ${dod}`);
        w.writeBits(0b1111, 4);
        int64Halves(dod, halves);
        w.writeBits(halves[0], 32);
        w.writeBits(halves[1], 32);
      }
      this.tDelta = tDelta;
      this.writeValue(hi, lo);
    }
    this.t = t;
    // Kept as int32: a uint32 above 2^31 would make V8 box both fields of every appender (32 B each).
    this.vHi = hi | 0;
    this.vLo = lo | 0;
    this.n = n + 1;
    w.setByte(0, this.n >>> 8);
    w.setByte(1, this.n & 0xff);
  }

  private writeValue(hi: number, lo: number): void {
    const w = this.c.w;
    const dHi = (hi ^ this.vHi) >>> 0;
    const dLo = (lo ^ this.vLo) >>> 0;
    if (dHi === 0 && dLo === 0) {
      w.writeBit(0);
      return;
    }
    let leading = clz64(dHi, dLo);
    const trailing = ctz64(dHi, dLo);
    if (leading >= 32) leading = 31; // 5 bits hold at most 31
    if (this.leading !== 0xff && leading >= this.leading && trailing >= this.trailing) {
      w.writeBits(0b10, 2);
      writeShifted(w, dHi, dLo, this.trailing, 64 - this.leading - this.trailing);
      return;
    }
    this.leading = leading;
    this.trailing = trailing;
    const sigbits = 64 - leading - trailing;
    w.writeBits(0b11, 2);
    w.writeBits(leading, 5);
    w.writeBits(sigbits & 0x3f, 6); // 64 significant bits are written as 0
    writeShifted(w, dHi, dLo, trailing, sigbits);
  }
}

/** Writes the low `nbits` of the 64-bit value (hi, lo) shifted right by `shift`. */
function writeShifted(w: BitWriter, hi: number, lo: number, shift: number, nbits: number): void {
  if (shift >= 32) {
    lo = hi >>> (shift - 32);
    hi = 0;
  } else if (shift > 0) {
    lo = ((lo >>> shift) | (hi << (32 - shift))) >>> 0;
    hi = hi >>> shift;
  }
  w.writeBits64(hi, lo, nbits);
}

/**
 * A cursor over an XOR chunk's samples, implementing `SampleIterator` with no allocation per
 * sample. Reuse it for another chunk through `XorChunk.iterator(reuse)` or `reset`.
 */
export class XorIterator implements SampleIterator {
  private readonly br = new BitReader();
  private total = 0;
  private read = 0;
  private tCur = 0;
  private tDelta = 0;
  private vHi = 0;
  private vLo = 0;
  private val = 0;
  private leading = 0;
  private trailing = 0;
  private error: CorruptionError | undefined;

  /** Iterates over `bytes`, an XOR chunk's data (not copied; it must not change meanwhile). */
  constructor(bytes?: Uint8Array) {
    if (bytes !== undefined) this.reset(bytes);
  }

  /** Restarts on another chunk's bytes. */
  reset(bytes: Uint8Array): void {
    this.error = undefined;
    this.read = 0;
    this.tCur = 0;
    this.tDelta = 0;
    this.vHi = 0;
    this.vLo = 0;
    this.val = 0;
    this.leading = 0;
    this.trailing = 0;
    if (bytes.length < HEADER_SIZE) {
      this.total = 0;
      this.error = new CorruptionError('xor chunk shorter than its header', { offset: 0 });
      return;
    }
    this.total = (bytes[0] << 8) | bytes[1];
    this.br.reset(bytes, HEADER_SIZE * 8);
  }

  /** Timestamp of the current sample. */
  t(): number {
    return this.tCur;
  }

  /** Value of the current sample (NaN payloads such as the staleness marker preserved). */
  v(): number {
    return this.val;
  }

  /** The corruption that stopped iteration, if any. */
  err(): Error | undefined {
    return this.error;
  }

  /** Advances to the first sample with timestamp ≥ t; never moves backwards. */
  seek(t: number): ValueType {
    if (this.error !== undefined) return ValueType.None;
    while (this.read === 0 || t > this.tCur) {
      if (this.next() === ValueType.None) return ValueType.None;
    }
    return ValueType.Float;
  }

  /** Advances to the next sample. */
  next(): ValueType {
    if (this.error !== undefined || this.read === this.total) return ValueType.None;
    const br = this.br;
    if (this.read === 0) {
      this.tCur = this.readVarint();
      this.vHi = br.readBits(32);
      this.vLo = br.readBits(32);
      bitsView.setUint32(0, this.vHi);
      bitsView.setUint32(4, this.vLo);
      this.val = bitsView.getFloat64(0);
    } else {
      if (this.read === 1) {
        this.readUvarint64();
        this.tDelta = int64FromHalves(halves[0], halves[1]);
      } else {
        // The prefix is up to four 1 bits ended by a 0: count the ones.
        let ones = 0;
        while (ones < 4 && br.readBit() === 1) ones++;
        let dod = 0;
        if (ones === 4) {
          const hi = br.readBits(32);
          dod = int64FromHalves(hi, br.readBits(32));
        } else if (ones !== 0) {
          const sz = DOD_WIDTHS[ones];
          dod = signExtend(br.readBits(sz), sz);
        }
        this.tDelta += dod;
      }
      this.tCur += this.tDelta;
      this.readValue();
    }
    if (br.eof) {
      this.error = new CorruptionError(`xor chunk truncated at sample ${this.read}`, {
        offset: Math.floor(br.bitPosition() / 8),
      });
      return ValueType.None;
    }
    this.read++;
    return ValueType.Float;
  }

  private readValue(): void {
    const br = this.br;
    if (br.readBit() === 0) return;
    let mbits: number;
    if (br.readBit() === 0) {
      mbits = 64 - this.leading - this.trailing;
    } else {
      this.leading = br.readBits(5);
      mbits = br.readBits(6);
      if (mbits === 0) mbits = 64;
      if (this.leading + mbits > 64) {
        this.error = new CorruptionError('xor chunk: invalid significant bit count', {
          offset: Math.floor(br.bitPosition() / 8),
        });
        return;
      }
      this.trailing = 64 - this.leading - mbits;
    }
    let hi = 0;
    let lo: number;
    if (mbits > 32) {
      hi = br.readBits(mbits - 32);
      lo = br.readBits(32);
    } else {
      lo = br.readBits(mbits);
    }
    const shift = this.trailing;
    if (shift >= 32) {
      hi = lo << (shift - 32);
      lo = 0;
    } else if (shift > 0) {
      hi = (hi << shift) | (lo >>> (32 - shift));
      lo = lo << shift;
    }
    this.vHi = (this.vHi ^ hi) >>> 0;
    this.vLo = (this.vLo ^ lo) >>> 0;
    bitsView.setUint32(0, this.vHi);
    bitsView.setUint32(4, this.vLo);
    this.val = bitsView.getFloat64(0);
  }

  /** Reads a Go uvarint from the bit stream into `halves`. */
  private readUvarint64(): void {
    const br = this.br;
    let lo = 0;
    let hi = 0;
    for (let shift = 0; shift < 70; shift += 7) {
      const b = br.readBits(8);
      const g = b & 0x7f;
      if (shift < 28) lo |= g << shift;
      else if (shift === 28) {
        lo |= g << 28;
        hi |= g >>> 4;
      } else hi |= g << (shift - 32);
      if (b < 0x80 || br.eof) break;
    }
    halves[0] = hi >>> 0;
    halves[1] = lo >>> 0;
  }

  /** Reads a Go zig-zag varint as a number (exact for safe integers). */
  private readVarint(): number {
    this.readUvarint64();
    const hi = halves[0];
    const lo = halves[1];
    const m = (hi >>> 1) * TWO_32 + (((lo >>> 1) | (hi << 31)) >>> 0);
    return lo & 1 ? -m - 1 : m;
  }

  /** @internal Encoder state for `XorAppender.resume`. */
  tDeltaState(): number {
    return this.tDelta;
  }
  /** @internal */
  vHiState(): number {
    return this.vHi;
  }
  /** @internal */
  vLoState(): number {
    return this.vLo;
  }
  /** @internal */
  leadingState(): number {
    return this.leading;
  }
  /** @internal */
  trailingState(): number {
    return this.trailing;
  }
  /** @internal */
  bitPositionState(): number {
    return this.br.bitPosition();
  }
}

/** Interprets an `nbits`-bit field as Prometheus does: values above 2^(nbits−1) are negative. */
function signExtend(bits: number, nbits: number): number {
  return bits > 1 << (nbits - 1) ? bits - (1 << nbits) : bits;
}
