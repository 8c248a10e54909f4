/**
 * Where the head keeps full chunks: out of the V8 heap. On disk they are appended to
 * `chunks_head/` in Prometheus' format (read back with positioned reads when a query reaches
 * them); a head without a directory (tests, tools) keeps them in memory.
 */
import type { XorChunk } from '../chunkenc/xor.js';
import type { HeadChunkReader, HeadChunkWriter } from '../chunks/head-chunks.js';

/** Stores full head chunks and hands them back by reference. */
export interface HeadChunkStore {
  /**
   * Stores a chunk that will not grow any more; returns its reference. `ooo` marks an out-of-order
   * chunk (the encoding's high bit in `chunks_head/`).
   */
  put(seriesRef: number, mint: number, maxt: number, chunk: XorChunk, ooo?: boolean): number;
  /** The chunk's XOR bytes. */
  get(ref: number): Uint8Array;
}

/** Keeps chunk bytes in an array; references are indices from 1 (0 means "no chunk" in markers). */
export class MemoryChunkStore implements HeadChunkStore {
  readonly #chunks: Uint8Array[] = [new Uint8Array(0)];
  put(_seriesRef: number, _mint: number, _maxt: number, chunk: XorChunk): number {
    this.#chunks.push(chunk.bytes().slice());
    return this.#chunks.length - 1;
  }
  get(ref: number): Uint8Array {
    return this.#chunks[ref];
  }
}

/** Appends chunks to `chunks_head/` files; references are Prometheus' head chunk refs. */
export class DiskChunkStore implements HeadChunkStore {
  constructor(
    readonly writer: HeadChunkWriter,
    readonly reader: HeadChunkReader,
  ) {}
  put(seriesRef: number, mint: number, maxt: number, chunk: XorChunk, ooo = false): number {
    return this.writer.writeChunk(seriesRef, mint, maxt, chunk, ooo);
  }
  get(ref: number): Uint8Array {
    return this.reader.chunkData(ref).data;
  }
}
