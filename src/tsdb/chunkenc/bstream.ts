/**
 * Bit streams over `Uint8Array`, laid out as Prometheus' `bstream`: bits are packed most
 * significant first, and the last byte may be partly filled (its low bits are zero padding).
 * Values of up to 32 bits are written and read at once; 64-bit values go as two halves, because
 * JavaScript's bitwise operators work on 32 bits.
 */

const EMPTY = new Uint8Array(0);

/** Where a `BitWriter` gets its buffers, and gives them back when it grows or is released. */
export interface BufferPool {
  alloc(size: number): Uint8Array;
  free(buf: Uint8Array): void;
}

/** Buffers of their own, left to the garbage collector. */
const ownBuffers: BufferPool = { alloc: (size) => new Uint8Array(size), free: () => {} };

/**
 * Appends bits to a growable byte buffer. The stream can start with whole bytes already in it
 * (a chunk header), which are never touched by bit writes.
 */
export class BitWriter {
  private buf: Uint8Array;
  private n: number;
  /** Free (not yet written) low bits of the last byte, 0..7. */
  private free: number;

  /**
   * Starts a stream with `prefix` whole bytes (copied) and room for `capacity` bytes. A buffer from
   * `pool` may hold old bytes: every write clears a byte before setting its bits.
   */
  constructor(
    capacity = 128,
    prefix?: Uint8Array,
    private readonly pool: BufferPool = ownBuffers,
  ) {
    const len = prefix?.length ?? 0;
    this.buf = pool.alloc(Math.max(capacity, len, 8));
    if (prefix !== undefined) this.buf.set(prefix);
    this.n = len;
    this.free = 0;
  }

  /** The bytes written so far, including a partly filled last byte (a view, valid until the next write). */
  bytes(): Uint8Array {
    return this.buf.subarray(0, this.n);
  }

  /** Number of bytes in the stream. */
  byteLength(): number {
    return this.n;
  }

  /** Number of bits written, including any whole-byte prefix. */
  bitLength(): number {
    return this.n * 8 - this.free;
  }

  /** Overwrites a whole byte already in the stream (used for headers). */
  setByte(index: number, value: number): void {
    this.buf[index] = value;
  }

  /**
   * Cuts the stream to its first `bits` bits and continues writing right after them, clearing the
   * rest of the last byte. Used to resume a stream read back from bytes.
   */
  truncateToBits(bits: number): void {
    this.n = Math.ceil(bits / 8);
    this.free = (8 - (bits & 7)) & 7;
    if (this.n + 1 > this.buf.length) this.grow();
    if (this.free !== 0) this.buf[this.n - 1] &= (0xff << this.free) & 0xff;
  }

  /** Gives the buffer back to the pool; the writer must not be used afterwards. */
  release(): void {
    this.pool.free(this.buf);
    this.buf = EMPTY;
    this.n = 0;
  }

  private grow(): void {
    const next = this.pool.alloc(this.buf.length * 2);
    next.set(this.buf);
    this.pool.free(this.buf);
    this.buf = next;
  }

  /** Appends one bit (any non-zero `bit` writes 1). */
  writeBit(bit: number): void {
    if (this.free === 0) {
      if (this.n === this.buf.length) this.grow();
      this.buf[this.n++] = 0; // a reused buffer may hold old bytes
      this.free = 8;
    }
    this.free--;
    if (bit !== 0) this.buf[this.n - 1] |= 1 << this.free;
  }

  /**
   * Appends the low `nbits` bits of `value` (0 ≤ nbits ≤ 32), most significant first: whole bytes
   * first (as `writeByte`), then the remaining bits.
   */
  writeBits(value: number, nbits: number): void {
    if (nbits >= 8) {
      // Whole bytes, inlined `writeByte`: after the first one the free-bit count stays the same.
      while (this.n + 6 > this.buf.length) this.grow();
      const buf = this.buf;
      let n = this.n;
      let free = this.free;
      if (free === 0) {
        buf[n++] = 0;
        free = 8;
      }
      const used = 8 - free;
      do {
        nbits -= 8;
        const b = (value >>> nbits) & 0xff;
        buf[n - 1] |= b >>> used;
        buf[n++] = (b << free) & 0xff;
      } while (nbits >= 8);
      this.n = n;
      this.free = free;
    }
    while (nbits > 0) {
      if (this.free === 0) {
        if (this.n === this.buf.length) this.grow();
        this.buf[this.n++] = 0; // a reused buffer may hold old bytes
        this.free = 8;
      }
      const take = nbits < this.free ? nbits : this.free;
      nbits -= take;
      const bits = (value >>> nbits) & ((1 << take) - 1);
      this.free -= take;
      this.buf[this.n - 1] |= bits << this.free;
    }
  }

  /**
   * Appends the low `nbits` bits (0 ≤ nbits ≤ 64) of the 64-bit value `hi·2^32 + lo`. The split
   * into two 32-bit writes keeps Prometheus' order of whole bytes then single bits within the
   * field, so that the stream ends in the same state (with or without an empty last byte).
   */
  writeBits64(hi: number, lo: number, nbits: number): void {
    if (nbits <= 32) {
      this.writeBits(lo, nbits);
      return;
    }
    const rest = nbits & 7;
    if (rest === 0) {
      this.writeBits(hi, nbits - 32);
      this.writeBits(lo, 32);
      return;
    }
    // Top part: a whole number of bytes; bottom part: 3 bytes plus the odd bits, from `lo` alone.
    const low = 24 + rest;
    this.writeBits(((hi << (32 - low)) | (lo >>> low)) >>> 0, nbits - low);
    this.writeBits(lo & ((1 << low) - 1), low);
  }

  /**
   * Appends 8 bits. As Prometheus' `bstream.writeByte`, this always opens a new last byte: after a
   * byte written on a byte boundary the stream ends in an empty byte (8 free bits). That byte is
   * part of the chunk on disk, so it is reproduced for bit-for-bit equal chunks.
   */
  writeByte(b: number): void {
    if (this.n + 2 > this.buf.length) this.grow();
    if (this.free === 0) {
      this.buf[this.n++] = 0;
      this.free = 8;
    }
    this.buf[this.n - 1] |= b >>> (8 - this.free);
    this.buf[this.n++] = (b << this.free) & 0xff;
  }
}

/**
 * Reads bits from a byte array. Reading past the end sets `eof` (sticky) and returns zeros, so a
 * decoder checks once after a group of reads. Positions are bit offsets (streams up to 256 MiB).
 */
export class BitReader {
  private buf: Uint8Array;
  private pos: number;
  private end: number;
  /** True once a read went past the end of the stream. */
  eof = false;

  /** Reads `bytes` starting at bit offset `startBit`. */
  constructor(bytes: Uint8Array = new Uint8Array(0), startBit = 0) {
    this.buf = bytes;
    this.pos = startBit;
    this.end = bytes.length * 8;
  }

  /** Restarts on other bytes, so a reader can be reused without allocating. */
  reset(bytes: Uint8Array, startBit = 0): void {
    this.buf = bytes;
    this.pos = startBit;
    this.end = bytes.length * 8;
    this.eof = false;
  }

  /** Current bit position. */
  bitPosition(): number {
    return this.pos;
  }

  /** Reads one bit (0 or 1). */
  readBit(): number {
    const pos = this.pos;
    if (pos >= this.end) {
      this.eof = true;
      return 0;
    }
    this.pos = pos + 1;
    return (this.buf[pos >>> 3] >>> (7 - (pos & 7))) & 1;
  }

  /** Reads `n` bits (1 ≤ n ≤ 32) as an unsigned integer, most significant first. */
  readBits(n: number): number {
    const pos = this.pos;
    if (pos + n > this.end) {
      this.eof = true;
      this.pos = this.end;
      return 0;
    }
    this.pos = pos + n;
    const buf = this.buf;
    let i = pos >>> 3;
    const avail = 8 - (pos & 7);
    const first = buf[i] & ((1 << avail) - 1);
    if (n <= avail) return first >>> (avail - n);
    let result = first;
    let need = n - avail;
    i++;
    while (need >= 8) {
      result = (result << 8) | buf[i++];
      need -= 8;
    }
    if (need > 0) result = (result << need) | (buf[i] >>> (8 - need));
    return result >>> 0;
  }

  /** Reads 8 bits. */
  readByte(): number {
    return this.readBits(8);
  }
}
