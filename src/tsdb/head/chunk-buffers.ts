/**
 * Buffers for the head's open chunks, carved out of shared slabs. A `Uint8Array` with an
 * `ArrayBuffer` of its own costs ~400 bytes beyond its data (the ArrayBuffer object, V8's C++
 * backing-store record, malloc's header); a view into a shared slab costs ~100. With a million
 * series each holding an open chunk, that difference is ~300 MB of resident memory.
 *
 * Buffers come in power-of-two sizes from 128 B to 4 KiB (an open chunk of 120 samples is 20 B to
 * ~1 KiB); larger requests get buffers of their own. Freed buffers are kept by size and handed
 * out again; slabs are never returned, as the head's population of open chunks is steady.
 */
import type { BufferPool } from '../chunkenc/bstream.js';

const SLAB_BYTES = 64 * 1024;
const MIN_SHIFT = 7; // 128 B
const MAX_SHIFT = 12; // 4 KiB

/** The size class (0 = 128 B) of a pooled buffer size, or -1 when the pool does not serve it. */
function sizeClass(size: number): number {
  if (size > 1 << MAX_SHIFT) return -1;
  const shift = Math.max(MIN_SHIFT, 32 - Math.clz32(size - 1));
  return shift - MIN_SHIFT;
}

export class ChunkBufferPool implements BufferPool {
  readonly #free: Uint8Array[][] = [];
  #slab = new ArrayBuffer(0);
  #slabUsed = 0;

  constructor() {
    for (let c = 0; c <= MAX_SHIFT - MIN_SHIFT; c++) this.#free.push([]);
  }

  /** A buffer of at least `size` bytes (exactly `size` when the pool does not serve that size). */
  alloc(size: number): Uint8Array {
    const c = sizeClass(size);
    if (c < 0) return new Uint8Array(size);
    const bytes = 1 << (c + MIN_SHIFT);
    const reused = this.#free[c].pop();
    if (reused !== undefined) return reused;
    if (this.#slabUsed + bytes > this.#slab.byteLength) {
      this.#slab = new ArrayBuffer(SLAB_BYTES);
      this.#slabUsed = 0;
    }
    const buf = new Uint8Array(this.#slab, this.#slabUsed, bytes);
    this.#slabUsed += bytes;
    return buf;
  }

  /** Takes back a buffer from `alloc`; buffers of their own are left to the garbage collector. */
  free(buf: Uint8Array): void {
    if (buf.buffer.byteLength !== SLAB_BYTES || sizeClass(buf.length) < 0) return;
    this.#free[sizeClass(buf.length)].push(buf);
  }
}
