/**
 * Reads chunks from a block's `chunks/` directory by reference, through file handles and
 * positioned reads: segment files are never loaded whole. Each segment keeps the last window of
 * bytes it read: queries read series in index order, whose chunks lie one after another, so one
 * read serves a run of chunks instead of two system calls each. The window's buffer is reused, so
 * a chunk's bytes handed out as a view into it are valid until the next read.
 */

import { readSync } from 'node:fs';
import { open, readdir } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Chunk } from '../chunkenc/chunk.js';
import { Encoding } from '../chunkenc/chunk.js';
import { XorChunk } from '../chunkenc/xor.js';
import { crc32c } from '../encoding/crc32c.js';
import { CorruptionError } from '../encoding/errors.js';
import { chunkRefOffset, chunkRefSegment } from './chunk-ref.js';
import {
  CHUNK_OVERHEAD,
  CHUNKS_FORMAT_V1,
  MAGIC_CHUNKS,
  MAX_CHUNK_LENGTH_FIELD_SIZE,
  SEGMENT_HEADER_SIZE,
} from './segment-format.js';

/** Bytes read at once when a chunk is not in a segment's window. */
const READ_WINDOW = 64 * 1024;

interface Segment {
  readonly name: string;
  readonly file: FileHandle;
  readonly size: number;
  /** The last bytes read, from file offset `windowStart`; empty until the first read. */
  window: Uint8Array;
  windowStart: number;
  windowLen: number;
}

/**
 * Opens all numbered segment files of a directory. `chunk(ref)` may be called concurrently; the
 * reader must stay open until the last call has resolved, then `close()`.
 */
export class ChunkSegmentReader {
  private readonly segments: Segment[];

  private constructor(segments: Segment[]) {
    this.segments = segments;
  }

  /** Opens the segment files of `dir` in sequence order and checks their headers. */
  static async open(dir: string): Promise<ChunkSegmentReader> {
    const names = (await readdir(dir)).filter((n) => /^\d+$/.test(n)).sort((a, b) => Number(a) - Number(b));
    const segments: Segment[] = [];
    try {
      for (const name of names) {
        const file = await open(join(dir, name), 'r');
        const size = (await file.stat()).size;
        segments.push({ name: join(dir, name), file, size, window: EMPTY, windowStart: 0, windowLen: 0 });
        const header = new Uint8Array(SEGMENT_HEADER_SIZE);
        const { bytesRead } = await file.read(header, 0, SEGMENT_HEADER_SIZE, 0);
        if (bytesRead < SEGMENT_HEADER_SIZE) {
          throw new CorruptionError('segment shorter than its header', { file: name, offset: bytesRead });
        }
        const view = new DataView(header.buffer);
        const magic = view.getUint32(0);
        if (magic !== MAGIC_CHUNKS) {
          throw new CorruptionError(`invalid magic number ${magic.toString(16)}`, { file: name, offset: 0 });
        }
        if (header[4] !== CHUNKS_FORMAT_V1) {
          throw new CorruptionError(`invalid chunk format version ${header[4]}`, { file: name, offset: 4 });
        }
      }
    } catch (err) {
      await Promise.all(segments.map((s) => s.file.close()));
      throw err;
    }
    return new ChunkSegmentReader(segments);
  }

  /** Total bytes of all segment files. */
  size(): number {
    return this.segments.reduce((n, s) => n + s.size, 0);
  }

  /**
   * The chunk at `ref`, after checking its CRC-32C. Throws `CorruptionError` (with the file and
   * offset) for a bad reference, a truncated chunk, a checksum mismatch or an unknown encoding.
   */
  // eslint-disable-next-line @typescript-eslint/require-await -- keeps throwing as a rejection
  async chunk(ref: number): Promise<Chunk> {
    return this.chunkSync(ref);
  }

  /**
   * `chunk`, read synchronously with positioned reads: queries decode block chunks on demand from
   * a synchronous `SampleIterator`, and a chunk read is a single small `pread`.
   */
  chunkSync(ref: number): Chunk {
    return new XorChunk(this.xorBytesSync(ref));
  }

  /**
   * The XOR data of the chunk at `ref` (checked as `chunk` does) as a read-only view, valid until
   * the next read from this reader: for iterators, which decode it at once and need no appendable
   * `Chunk`, so no copy of the bytes and no buffer per read.
   */
  xorBytesSync(ref: number): Uint8Array {
    return this.#xorBytes(ref, true);
  }

  /**
   * `xorBytesSync` without the CRC-32C check, for query reads: as Prometheus' chunk reader, a
   * query trusts chunks that compaction or `vigil tsdb` verification already read whole, and the
   * check was 3–4 % of a dashboard's CPU. A damaged chunk still fails on its length, its end or
   * its encoding byte, and decoding stops at a truncated sample.
   */
  queryBytesSync(ref: number): Uint8Array {
    return this.#xorBytes(ref, false);
  }

  #xorBytes(ref: number, verify: boolean): Uint8Array {
    const index = chunkRefSegment(ref);
    const offset = chunkRefOffset(ref);
    const seg = this.segments[index];
    if (seg === undefined) throw new CorruptionError(`segment index ${index} out of range`, { offset });
    if (offset < SEGMENT_HEADER_SIZE || offset >= seg.size) {
      throw new CorruptionError('chunk offset outside the segment', { file: seg.name, offset });
    }
    const headLen = Math.min(MAX_CHUNK_LENGTH_FIELD_SIZE, seg.size - offset);
    const h = windowAt(seg, offset, headLen);
    let len = 0;
    let n = 0;
    for (let mul = 1; ; mul *= 128) {
      if (n >= headLen) throw new CorruptionError('truncated chunk length', { file: seg.name, offset });
      const b = seg.window[h + n++];
      len += (b & 0x7f) * mul;
      if (b < 0x80) break;
    }
    const start = offset + n;
    if (start + len + CHUNK_OVERHEAD > seg.size) {
      throw new CorruptionError(`chunk of ${len} bytes runs past the end of the segment`, {
        file: seg.name,
        offset,
      });
    }
    const at = windowAt(seg, start, len + CHUNK_OVERHEAD);
    const w = seg.window;
    if (verify) checkCrc(w, at, len, seg.name, offset);
    const encoding = w[at];
    if (encoding !== Encoding.XOR) {
      throw new CorruptionError(`unsupported chunk encoding ${encoding}`, { file: seg.name, offset: start });
    }
    return w.subarray(at + 1, at + 1 + len);
  }

  /** Closes the files. */
  async close(): Promise<void> {
    await Promise.all(this.segments.map((s) => s.file.close()));
  }
}

const EMPTY = new Uint8Array(0);

/**
 * Throws unless the CRC-32C after a chunk's encoding byte (at `at` in `bytes`) and its `len` data
 * bytes matches them.
 */
function checkCrc(bytes: Uint8Array, at: number, len: number, file: string, offset: number): void {
  const e = at + 1 + len; // the big-endian CRC after the encoding byte and data, read without a DataView
  const want = ((bytes[e] << 24) | (bytes[e + 1] << 16) | (bytes[e + 2] << 8) | bytes[e + 3]) >>> 0;
  const got = crc32c(bytes, at, e);
  if (want !== got) {
    throw new CorruptionError(
      `chunk checksum mismatch: stored ${want.toString(16)}, computed ${got.toString(16)}`,
      {
        file,
        offset,
      },
    );
  }
}

/**
 * Where `n` bytes of the segment from `pos` (within the file) start in its window, refilled from
 * `pos` when they are not all in it: an index rather than a view, so reading a chunk's length and
 * header makes no object. Valid until the next call for the segment.
 */
function windowAt(seg: Segment, pos: number, n: number): number {
  const at = pos - seg.windowStart;
  if (at >= 0 && at + n <= seg.windowLen) return at;
  const want = Math.min(Math.max(READ_WINDOW, n), seg.size - pos);
  if (seg.window.length < want) seg.window = new Uint8Array(Math.max(READ_WINDOW, want));
  seg.windowStart = pos;
  seg.windowLen = readSync(seg.file.fd, seg.window, 0, want, pos);
  return 0;
}
