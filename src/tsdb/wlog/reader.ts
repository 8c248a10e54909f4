/** Reads records back from a segmented WAL, across segments, in large page-aligned chunks. */
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { uncompress } from 'snappyjs';
import { crc32c } from '../encoding/crc32c.js';
import { WalCorruptionError, WalUnsupportedError } from './errors.js';
import {
  FRAGMENT_HEADER_SIZE,
  FRAGMENT_TYPE_MASK,
  FragmentType,
  PAGE_SIZE,
  SNAPPY_FLAG,
  ZSTD_FLAG,
  listSegments,
  segmentName,
} from './format.js';

/** Options of a {@link WalReader}. */
export interface WalReaderOptions {
  /** Bytes read per file read call; rounded up to whole pages. */
  chunkSize: number;
  /**
   * Where to start: segments before `segment` are not opened, and in `segment` reading starts at
   * the page holding `offset`, which must be a record boundary (such as the WAL's end when a
   * memory snapshot was taken). Records before it are not returned.
   */
  start?: { readonly segment: number; readonly offset: number };
}

/** Default reader options: 1 MiB reads. */
export function defaultWalReaderOptions(): WalReaderOptions {
  return { chunkSize: 1024 * 1024 };
}

/**
 * A cursor over the records of all segments of a WAL directory:
 * `while (await r.next()) use(r.record()); if (r.err()) …`. On corruption `next()` returns false
 * and `err()` returns a {@link WalCorruptionError} naming the segment and the offset of the first
 * bad record, ready for `repairWal`. Always `close()` the reader.
 */
export class WalReader {
  readonly #dir: string;
  readonly #segments: number[];
  readonly #chunk: Uint8Array;
  #segIdx = -1;
  #fh: FileHandle | undefined;
  #chunkStart = 0; // file offset of #chunk[0]
  #chunkLen = 0;
  #pos = 0; // position in #chunk
  #eof = true;
  #rec = new Uint8Array(64 * 1024);
  #recLen = 0;
  #out: Uint8Array = new Uint8Array(0);
  #recSegment = -1;
  #recOffset = 0;
  #err: Error | undefined;
  readonly #start: { readonly segment: number; readonly offset: number } | undefined;
  /** Fragments of the current segment before this offset are passed over unread (see `start`). */
  #skipBefore = 0;

  private constructor(dir: string, segments: number[], opts: WalReaderOptions) {
    this.#dir = dir;
    this.#segments = segments;
    this.#start = opts.start;
    this.#chunk = new Uint8Array(Math.max(1, Math.ceil(opts.chunkSize / PAGE_SIZE)) * PAGE_SIZE);
  }

  /** Opens all segments of `dir` for reading; fails if segment numbers have a gap. */
  static async open(dir: string, options: Partial<WalReaderOptions> = {}): Promise<WalReader> {
    const first = options.start?.segment ?? -Infinity;
    const segs = (await listSegments(dir)).filter((s) => s >= first);
    for (let i = 1; i < segs.length; i++) {
      if (segs[i] !== segs[i - 1] + 1)
        throw new Error(`read WAL: missing segment between ${segs[i - 1]} and ${segs[i]}`);
    }
    return new WalReader(dir, segs, { ...defaultWalReaderOptions(), ...options });
  }

  /** The segment numbers this reader covers. */
  get segments(): readonly number[] {
    return this.#segments;
  }

  /** The current record, decompressed; valid until the next `next()`. */
  record(): Uint8Array {
    return this.#out;
  }

  /** The segment of the current record. */
  get segment(): number {
    return this.#recSegment;
  }

  /** The byte offset of the current record's first fragment in its segment. */
  get offset(): number {
    return this.#recOffset;
  }

  /** The error that stopped reading, if any. */
  err(): Error | undefined {
    return this.#err;
  }

  /** Advances to the next record; false at the end or on error (see `err()`). */
  async next(): Promise<boolean> {
    if (this.#err !== undefined) return false;
    try {
      return await this.#next();
    } catch (e) {
      this.#err = e instanceof Error ? e : new Error(String(e));
      return false;
    }
  }

  /** Closes the open segment file. */
  async close(): Promise<void> {
    const fh = this.#fh;
    this.#fh = undefined;
    if (fh !== undefined) await fh.close();
  }

  #corrupt(reason: string, offset: number): WalCorruptionError {
    const seg = this.#segments[this.#segIdx];
    return new WalCorruptionError(reason, join(this.#dir, segmentName(seg)), seg, offset);
  }

  async #next(): Promise<boolean> {
    this.#recLen = 0;
    let assembling = false;
    let snappy = false;
    for (;;) {
      if (this.#pos >= this.#chunkLen) {
        if (!this.#eof) await this.#fill();
        if (this.#pos >= this.#chunkLen) {
          if (assembling) throw this.#corrupt('unexpected end of segment inside a record', this.#recOffset);
          if (!(await this.#nextSegment())) return false;
          continue;
        }
      }
      const buf = this.#chunk;
      const fileOff = this.#chunkStart + this.#pos;
      const pageRem = PAGE_SIZE - (fileOff % PAGE_SIZE);
      const avail = Math.min(pageRem, this.#chunkLen - this.#pos);
      const typeByte = buf[this.#pos];
      const type = typeByte & FRAGMENT_TYPE_MASK;
      const at = assembling ? this.#recOffset : fileOff;
      if (type === FragmentType.PageTerm) {
        for (let i = 0; i < avail; i++) {
          if (buf[this.#pos + i] !== 0) throw this.#corrupt('non-zero bytes in page padding', at);
        }
        this.#pos += avail;
        continue;
      }
      if (type > FragmentType.Last || (typeByte & 0xe0) !== 0)
        throw this.#corrupt(`invalid fragment type ${typeByte}`, at);
      if (avail < FRAGMENT_HEADER_SIZE) throw this.#corrupt('truncated fragment header', at);
      const len = (buf[this.#pos + 1] << 8) | buf[this.#pos + 2];
      if (FRAGMENT_HEADER_SIZE + len > pageRem) throw this.#corrupt('fragment exceeds page', at);
      if (FRAGMENT_HEADER_SIZE + len > avail) throw this.#corrupt('truncated fragment', at);
      const start = this.#pos + FRAGMENT_HEADER_SIZE;
      if (fileOff < this.#skipBefore) {
        this.#pos = start + len;
        continue;
      }
      const want =
        ((buf[this.#pos + 3] << 24) |
          (buf[this.#pos + 4] << 16) |
          (buf[this.#pos + 5] << 8) |
          buf[this.#pos + 6]) >>>
        0;
      if (crc32c(buf, start, start + len) !== want) throw this.#corrupt('fragment checksum mismatch', at);
      const starts = type === FragmentType.Full || type === FragmentType.First;
      if (starts === assembling) throw this.#corrupt(`unexpected fragment type ${type}`, at);
      if (starts) {
        this.#recOffset = fileOff;
        this.#recSegment = this.#segments[this.#segIdx];
        assembling = true;
        snappy = (typeByte & SNAPPY_FLAG) !== 0;
        if ((typeByte & ZSTD_FLAG) !== 0)
          throw new WalUnsupportedError('read WAL: zstd-compressed records are not supported');
      }
      this.#append(buf.subarray(start, start + len));
      this.#pos = start + len;
      if (type === FragmentType.Full || type === FragmentType.Last) {
        const raw = this.#rec.subarray(0, this.#recLen);
        if (snappy) {
          try {
            this.#out = uncompress(raw);
          } catch (e) {
            throw this.#corrupt(`invalid snappy data: ${String(e)}`, this.#recOffset);
          }
        } else this.#out = raw;
        return true;
      }
    }
  }

  #append(b: Uint8Array): void {
    if (this.#recLen + b.length > this.#rec.length) {
      const grown = new Uint8Array(Math.max(this.#rec.length * 2, this.#recLen + b.length));
      grown.set(this.#rec.subarray(0, this.#recLen));
      this.#rec = grown;
    }
    this.#rec.set(b, this.#recLen);
    this.#recLen += b.length;
  }

  // Reads the next page-aligned chunk of the current segment; sets #eof on a short read.
  async #fill(): Promise<void> {
    const fh = this.#fh;
    if (fh === undefined) return;
    this.#chunkStart += this.#chunkLen;
    let n = 0;
    while (n < this.#chunk.length) {
      const { bytesRead } = await fh.read(this.#chunk, n, this.#chunk.length - n, this.#chunkStart + n);
      if (bytesRead === 0) break;
      n += bytesRead;
    }
    this.#chunkLen = n;
    this.#pos = 0;
    if (n < this.#chunk.length) this.#eof = true;
  }

  async #nextSegment(): Promise<boolean> {
    await this.close();
    if (this.#segIdx + 1 >= this.#segments.length) return false;
    this.#segIdx++;
    const seg = this.#segments[this.#segIdx];
    this.#fh = await open(join(this.#dir, segmentName(seg)), 'r');
    // Starting mid-segment: read from the start offset's page and pass over what precedes it.
    this.#skipBefore = seg === this.#start?.segment ? this.#start.offset : 0;
    this.#chunkStart = this.#skipBefore - (this.#skipBefore % PAGE_SIZE);
    this.#chunkLen = 0;
    this.#pos = 0;
    this.#eof = false;
    return true;
  }
}
