/**
 * Where the head keeps full chunks: out of the V8 heap. On disk they are appended to
 * `chunks_head/` in Prometheus' format (read back with positioned reads when a query reaches
 * them); a head without a directory (tests, tools) keeps them in memory.
 */
import type { XorChunk } from '../chunkenc/xor.js';
import type { HeadChunkReader, HeadChunkWriter } from '../chunks/head-chunks.js';

/** Stores full head chunks and hands them back by reference. */
export interface HeadChunkStore {
  /** Stores a chunk that will not grow any more; returns its reference. */
  put(seriesRef: number, mint: number, maxt: number, chunk: XorChunk): number;
  /** The chunk's XOR bytes. */
  get(ref: number): Uint8Array;
}

/** Keeps chunk bytes in an array; references are indices. */
export class MemoryChunkStore implements HeadChunkStore {
  readonly #chunks: Uint8Array[] = [];
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
  put(seriesRef: number, mint: number, maxt: number, chunk: XorChunk): number {
    return this.writer.writeChunk(seriesRef, mint, maxt, chunk);
  }
  get(ref: number): Uint8Array {
    return this.reader.chunkData(ref).data;
  }
}
