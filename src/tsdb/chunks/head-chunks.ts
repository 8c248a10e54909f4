/**
 * Head chunk files (`chunks_head/`), byte-compatible with Prometheus' `ChunkDiskMapper`: the head
 * writes each full chunk here ("m-maps" it) and keeps only its reference in memory.
 *
 * `HeadChunkReader` (in `head-chunks-reader.ts`) opens the directory and reads; `HeadChunkWriter`
 * appends to new files in the same directory and registers them with the reader, so one reader
 * serves both old and freshly written chunks.
 */
import { fsync, fsyncSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Chunk } from '../chunkenc/chunk.js';
import { Encbuf } from '../encoding/encbuf.js';
import { EncodingError } from '../encoding/errors.js';
import {
  DEFAULT_HEAD_CHUNK_WRITE_BUFFER_SIZE,
  HEAD_CHUNKS_FORMAT_V1,
  HEAD_CHUNK_FILE_HEADER_SIZE,
  MAGIC_HEAD_CHUNKS,
  MAX_HEAD_CHUNK_FILE_SIZE,
  MAX_HEAD_CHUNK_META_SIZE,
  OOO_ENCODING_FLAG,
  headChunkFileName,
  headChunkRef,
} from './head-chunks-format.js';
import type { HeadChunkReader } from './head-chunks-reader.js';
import type { PendingWrites } from './head-chunks-reader.js';

export { HeadChunkReader } from './head-chunks-reader.js';
export type { HeadChunkFileState, HeadChunkReaderDeps } from './head-chunks-reader.js';
export {
  MAGIC_HEAD_CHUNKS,
  MAX_HEAD_CHUNK_FILE_SIZE,
  headChunkFileName,
  headChunkRef,
  headChunkRefOffset,
  headChunkRefSeq,
} from './head-chunks-format.js';
export type { HeadChunkMeta } from './head-chunks-format.js';

const fsyncAsync = promisify(fsync);

/** Options of a {@link HeadChunkWriter}. */
export interface HeadChunkWriterOptions {
  /** A new file is started when the next record would pass this size (a larger chunk still fits alone). */
  maxFileSize: number;
  /** Bytes buffered before a write to the file. */
  writeBufferSize: number;
}

/** Prometheus' values: 128 MiB files, a 4 MiB write buffer. */
export function defaultHeadChunkWriterOptions(): HeadChunkWriterOptions {
  return { maxFileSize: MAX_HEAD_CHUNK_FILE_SIZE, writeBufferSize: DEFAULT_HEAD_CHUNK_WRITE_BUFFER_SIZE };
}

/**
 * Appends chunk records to `chunks_head/`. Like Prometheus it never appends to a file that existed
 * before: the first write starts the file after the last one. `writeChunk` is synchronous and
 * buffers; the buffer goes to the file when full, on `flush()`, on a read of a buffered chunk and
 * on rotation (which also fsyncs the finished file). Not safe across processes.
 */
export class HeadChunkWriter implements PendingWrites {
  readonly #reader: HeadChunkReader;
  readonly #opts: HeadChunkWriterOptions;
  readonly #buf: Encbuf;
  #seq = 0; // current file; 0 = none yet
  #fd = -1;
  #size = 0; // bytes in the current file, buffered ones included
  #flushed = 0; // bytes of the current file on disk
  #maxt: number | undefined;
  #closed = false;

  private constructor(reader: HeadChunkReader, opts: HeadChunkWriterOptions) {
    this.#reader = reader;
    this.#opts = opts;
    this.#buf = new Encbuf(Math.min(opts.writeBufferSize, 64 * 1024));
  }

  /** A writer on the reader's directory; the reader then also serves the chunks written here. */
  static open(reader: HeadChunkReader, options: Partial<HeadChunkWriterOptions> = {}): HeadChunkWriter {
    const opts = { ...defaultHeadChunkWriterOptions(), ...options };
    if (opts.maxFileSize <= HEAD_CHUNK_FILE_HEADER_SIZE + MAX_HEAD_CHUNK_META_SIZE) {
      throw new RangeError(`head chunk file size too small: ${opts.maxFileSize}`);
    }
    const w = new HeadChunkWriter(reader, opts);
    reader.attach(w);
    return w;
  }

  /** The sequence number of the file being written, 0 before the first write. */
  get currentSequence(): number {
    return this.#seq;
  }

  /**
   * Appends one chunk of series `seriesRef` covering [mint, maxt] and returns its reference.
   * `ooo` sets the out-of-order bit of the encoding byte. Throws `EncodingError` for a ref or
   * timestamp that is not a safe integer, before anything is written.
   */
  writeChunk(
    seriesRef: number,
    mint: number,
    maxt: number,
    chunk: Pick<Chunk, 'encoding' | 'bytes'>,
    ooo = false,
  ): number {
    if (this.#closed) throw new Error('write head chunk: writer is closed');
    if (
      !Number.isSafeInteger(seriesRef) ||
      seriesRef < 0 ||
      !Number.isSafeInteger(mint) ||
      !Number.isSafeInteger(maxt)
    ) {
      throw new EncodingError(`head chunk ref or time out of range: ${seriesRef} ${mint} ${maxt}`);
    }
    const data = chunk.bytes();
    const need = MAX_HEAD_CHUNK_META_SIZE + data.length;
    if (this.#seq === 0 || this.#size + need > this.#opts.maxFileSize) this.cutNewFile();
    if (this.#buf.length > 0 && this.#buf.length + need > this.#opts.writeBufferSize) this.flush();
    const ref = headChunkRef(this.#seq, this.#size);
    const start = this.#buf.length;
    this.#buf.putBE64(seriesRef);
    this.#buf.putBE64(mint);
    this.#buf.putBE64(maxt);
    this.#buf.putByte(chunk.encoding() | (ooo ? OOO_ENCODING_FLAG : 0));
    this.#buf.putUvarintBytes(data);
    this.#buf.putHash(start);
    this.#size += this.#buf.length - start;
    if (this.#maxt === undefined || maxt > this.#maxt) this.#maxt = maxt;
    return ref;
  }

  /** Writes the buffered bytes to the current file (no fsync). */
  flush(): void {
    const bytes = this.#buf.get();
    let n = 0;
    while (n < bytes.length) n += writeSync(this.#fd, bytes, n, bytes.length - n, this.#flushed + n);
    this.#flushed += n;
    this.#buf.reset();
    this.#reader.grew(this.#seq, this.#flushed, this.#maxt);
  }

  /** @internal Called by the reader before reading bytes of file `seq` below `end`. */
  flushUpTo(seq: number, end: number): void {
    if (seq === this.#seq && this.#buf.length > 0 && end > this.#flushed) this.flush();
  }

  /** Flushes and fsyncs the current file. */
  async sync(): Promise<void> {
    if (this.#seq === 0) return;
    this.flush();
    await fsyncAsync(this.#fd);
  }

  /**
   * Finishes the current file (flush and fsync, kept open for reads) and starts the next one.
   * The next `writeChunk` goes to the new file.
   */
  cutNewFile(): void {
    if (this.#seq !== 0) {
      this.flush();
      // One fsync per 128 MiB file; blocking here keeps rotation synchronous like writeChunk.
      fsyncSync(this.#fd);
    }
    const seqs = this.#reader.sequences;
    const seq =
      seqs.length === 0 ? Math.max(1, this.#seq + 1) : Math.max(seqs[seqs.length - 1] + 1, this.#seq + 1);
    const path = join(this.#reader.dir, headChunkFileName(seq));
    const fd = openSync(path, 'wx+');
    this.#reader.addFile(seq, path, fd);
    this.#seq = seq;
    this.#fd = fd;
    this.#size = HEAD_CHUNK_FILE_HEADER_SIZE;
    this.#flushed = 0;
    this.#maxt = undefined;
    this.#buf.reset();
    this.#buf.putBE32(MAGIC_HEAD_CHUNKS);
    this.#buf.putByte(HEAD_CHUNKS_FORMAT_V1);
    this.#buf.putBytes(new Uint8Array(3));
  }

  /** Deletes every file with a sequence number below `seq`, except the one being written. */
  truncateBefore(seq: number): void {
    for (const s of this.#reader.sequences) {
      if (s >= seq || s === this.#seq) break;
      this.#reader.removeFile(s);
    }
  }

  /**
   * Prometheus' `Truncate(mint)`: deletes the oldest files whose chunks all end before `mint`,
   * stopping at the first file that does not (or whose maxt is unknown because `iterate()` has not
   * read it). If the current file holds chunks a new one is started, so it can go next time.
   * Files from `keepFrom` on are kept whatever their times: they hold live out-of-order chunks,
   * which may be older than anything in order.
   */
  truncateOlderThan(mint: number, keepFrom = Infinity): void {
    let below = 0;
    for (const s of this.#reader.sequences) {
      const maxt = this.#reader.fileMaxt(s);
      if (s === this.#seq || s >= keepFrom || maxt === undefined || maxt >= mint) break;
      below = s + 1;
    }
    if (this.#seq !== 0 && this.#size > HEAD_CHUNK_FILE_HEADER_SIZE) this.cutNewFile();
    if (below > 0) this.truncateBefore(below);
  }

  /** Flushes and fsyncs the current file. The reader stays open; close it separately. */
  async close(): Promise<void> {
    if (this.#closed) return;
    await this.sync();
    this.#closed = true;
    this.#reader.attach(undefined);
  }
}
