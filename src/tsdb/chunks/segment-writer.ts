/**
 * Writes chunks into a block's `chunks/` directory as Prometheus does: numbered segment files with
 * a header, each chunk as `len <uvarint> │ encoding <1 byte> │ data │ CRC-32C(encoding, data)`,
 * a new segment when the next chunk would pass the size limit.
 */

import { mkdir, open, readdir } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Chunk } from '../chunkenc/chunk.js';
import { Encbuf } from '../encoding/encbuf.js';
import { chunkRef } from './chunk-ref.js';
import {
  CHUNK_OVERHEAD,
  CHUNKS_FORMAT_V1,
  DEFAULT_SEGMENT_SIZE,
  MAGIC_CHUNKS,
  MAX_CHUNK_LENGTH_FIELD_SIZE,
  SEGMENT_HEADER_SIZE,
  segmentFileName,
} from './segment-format.js';

/** Options of `ChunkSegmentWriter`. */
export interface ChunkSegmentWriterOptions {
  /** Largest segment file in bytes (a single larger chunk still gets a segment of its own). */
  segmentSize: number;
  /** Buffered bytes before a write to the file. */
  bufferSize: number;
}

/** The defaults: Prometheus' 512 MiB segments, 8 MiB write buffer. */
export function defaultChunkSegmentWriterOptions(): ChunkSegmentWriterOptions {
  return { segmentSize: DEFAULT_SEGMENT_SIZE, bufferSize: 8 * 1024 * 1024 };
}

/**
 * Appends chunks to segment files in one directory. Not safe for concurrent use: await each call
 * before the next. Ends with `close()`, which flushes and fsyncs.
 */
export class ChunkSegmentWriter {
  private readonly dir: string;
  private readonly opts: ChunkSegmentWriterOptions;
  private readonly buf = new Encbuf(64 * 1024);
  private file: FileHandle | undefined;
  /** 0-based index of the current segment among the files this writer created. */
  private segment = -1;
  /** Next 1-based file sequence number. */
  private nextSeq: number;
  /** Bytes in the current segment, written or buffered. */
  private size = 0;
  private filePos = 0;

  private constructor(dir: string, nextSeq: number, opts: ChunkSegmentWriterOptions) {
    this.dir = dir;
    this.nextSeq = nextSeq;
    this.opts = opts;
  }

  /**
   * Opens a writer on `dir` (created if missing). The directory must hold no segment files yet:
   * references count segments from the first file, as readers do.
   */
  static async open(
    dir: string,
    options: Partial<ChunkSegmentWriterOptions> = {},
  ): Promise<ChunkSegmentWriter> {
    await mkdir(dir, { recursive: true });
    if ((await readdir(dir)).some((name) => /^\d+$/.test(name))) {
      throw new Error(`open chunk writer: ${dir} already holds segment files`);
    }
    return new ChunkSegmentWriter(dir, 1, { ...defaultChunkSegmentWriterOptions(), ...options });
  }

  /**
   * Writes the chunks in order and returns their references (see `chunkRef`). The bytes may stay
   * buffered until a later call or `close()`.
   */
  async writeChunks(chunks: readonly Chunk[]): Promise<number[]> {
    const refs: number[] = [];
    for (const c of chunks) {
      const data = c.bytes();
      const need = MAX_CHUNK_LENGTH_FIELD_SIZE + CHUNK_OVERHEAD + data.length;
      if (
        this.file === undefined ||
        (this.size > SEGMENT_HEADER_SIZE && this.size + need > this.opts.segmentSize)
      ) {
        await this.cut();
      }
      refs.push(chunkRef(this.segment, this.size));
      const start = this.buf.length;
      this.buf.putUvarint(data.length);
      const encStart = this.buf.length;
      this.buf.putByte(c.encoding());
      this.buf.putBytes(data);
      this.buf.putHash(encStart);
      this.size += this.buf.length - start;
      if (this.buf.length >= this.opts.bufferSize) await this.flush();
    }
    return refs;
  }

  private async flush(): Promise<void> {
    if (this.file === undefined || this.buf.length === 0) return;
    const bytes = this.buf.get();
    await this.file.write(bytes, 0, bytes.length, this.filePos);
    this.filePos += bytes.length;
    this.buf.reset();
  }

  private async finishSegment(): Promise<void> {
    if (this.file === undefined) return;
    await this.flush();
    await this.file.sync();
    await this.file.close();
    this.file = undefined;
  }

  private async cut(): Promise<void> {
    await this.finishSegment();
    const path = join(this.dir, segmentFileName(this.nextSeq++));
    this.file = await open(path, 'wx');
    this.segment++;
    this.filePos = 0;
    this.buf.putBE32(MAGIC_CHUNKS);
    this.buf.putByte(CHUNKS_FORMAT_V1);
    this.buf.putBytes(new Uint8Array(3));
    this.size = SEGMENT_HEADER_SIZE;
  }

  /** Flushes, fsyncs and closes the current segment. The writer is not used afterwards. */
  async close(): Promise<void> {
    await this.finishSegment();
  }
}
