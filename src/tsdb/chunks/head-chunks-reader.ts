/**
 * Reads the head chunk files of `chunks_head/`: one chunk by reference, or every chunk in file
 * order at start-up. Files are read with positioned reads on one descriptor each (`fs.readSync`),
 * never loaded whole, so 128 MiB files stay off the V8 heap.
 */
import {
  closeSync,
  fstatSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readdirSync,
  readSync,
  rmSync,
} from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../util/logger.js';
import type { Chunk } from '../chunkenc/chunk.js';
import { Encoding } from '../chunkenc/chunk.js';
import { XorChunk } from '../chunkenc/xor.js';
import { crc32c } from '../encoding/crc32c.js';
import { Decbuf } from '../encoding/decbuf.js';
import { CorruptionError } from '../encoding/errors.js';
import {
  HEAD_CHUNKS_FORMAT_V1,
  HEAD_CHUNK_FILE_HEADER_SIZE,
  HEAD_CHUNK_META_PREFIX,
  MAGIC_HEAD_CHUNKS,
  MAX_HEAD_CHUNK_META_SIZE,
  OOO_ENCODING_FLAG,
  headChunkFileName,
  headChunkRef,
  headChunkRefOffset,
  headChunkRefSeq,
} from './head-chunks-format.js';
import type { HeadChunkMeta } from './head-chunks-format.js';

/** One open head chunk file. `size` counts the bytes on disk (the writer's buffer excluded). */
interface HeadChunkFile {
  readonly seq: number;
  readonly path: string;
  readonly fd: number;
  size: number;
  /** Largest chunk maxt seen in the file; undefined until iterated or written. */
  maxt: number | undefined;
}

/**
 * One file as it is on disk: its size, its largest chunk maxt if known, and its last eight bytes
 * (the last record's checksum and data, as two unsigned 32-bit halves), which fingerprint what was
 * written last.
 */
export interface HeadChunkFileState {
  readonly seq: number;
  readonly size: number;
  readonly maxt: number | undefined;
  readonly tailHi: number;
  readonly tailLo: number;
}

/** The part of a writer a reader needs: bytes of `seq` still buffered must reach the file first. */
export interface PendingWrites {
  /** Writes out buffered bytes of file `seq` that start before `end`, if any. */
  flushUpTo(seq: number, end: number): void;
}

/** Dependencies of a {@link HeadChunkReader}. */
export interface HeadChunkReaderDeps {
  /** Receives repair warnings. */
  logger: Logger;
}

const READ_WINDOW = 1024 * 1024;
const CHUNK_READ_GUESS = 1024;

/**
 * The files of one `chunks_head/` directory. Not safe for concurrent use across processes; within
 * a process all calls are synchronous. `close()` releases the descriptors.
 */
export class HeadChunkReader {
  readonly #dir: string;
  readonly #logger: Logger;
  readonly #files = new Map<number, HeadChunkFile>();
  #pending: PendingWrites | undefined;
  #repaired: CorruptionError | undefined;

  private constructor(dir: string, logger: Logger) {
    this.#dir = dir;
    this.#logger = logger;
  }

  /**
   * Opens every numbered file of `dir` (created if missing) and checks its header. A last file
   * shorter than a header (created but not yet written before a crash) is deleted, as Prometheus
   * deletes an empty one; a gap in the numbering or a bad header is a `CorruptionError`.
   */
  static open(dir: string, deps: HeadChunkReaderDeps): HeadChunkReader {
    mkdirSync(dir, { recursive: true });
    const seqs = readdirSync(dir)
      .filter((n) => /^\d+$/.test(n))
      .map(Number)
      .sort((a, b) => a - b);
    const r = new HeadChunkReader(dir, deps.logger);
    try {
      for (let i = 0; i < seqs.length; i++) {
        const seq = seqs[i];
        if (i > 0 && seq !== seqs[i - 1] + 1) {
          throw new CorruptionError(`head chunk files are not sequential: ${seqs[i - 1]} then ${seq}`, {
            file: join(dir, headChunkFileName(seq)),
            offset: 0,
          });
        }
        const path = join(dir, headChunkFileName(seq));
        const fd = openSync(path, 'r+');
        const size = fstatSync(fd).size;
        if (size < HEAD_CHUNK_FILE_HEADER_SIZE && i === seqs.length - 1) {
          closeSync(fd);
          rmSync(path);
          deps.logger.warn('Deleted head chunk file without a complete header', { file: path, size });
          continue;
        }
        r.#files.set(seq, { seq, path, fd, size, maxt: undefined });
        checkHeader(fd, path, size);
      }
    } catch (err) {
      r.close();
      throw err;
    }
    return r;
  }

  /** The directory. */
  get dir(): string {
    return this.#dir;
  }

  /** The file sequence numbers, ascending. */
  get sequences(): number[] {
    return [...this.#files.keys()].sort((a, b) => a - b);
  }

  /** The corruption that the last `iterate()` cut off, if any. */
  get repaired(): CorruptionError | undefined {
    return this.#repaired;
  }

  /** Total bytes of the files on disk. */
  size(): number {
    let n = 0;
    for (const f of this.#files.values()) n += f.size;
    return n;
  }

  /** Every file's state, in sequence order (see {@link HeadChunkFileState}). */
  fileStates(): HeadChunkFileState[] {
    return this.sequences.map((seq) => {
      const f = this.#files.get(seq)!;
      const tail = new Uint8Array(8);
      const n = Math.min(8, f.size);
      if (n > 0) readSync(f.fd, tail, 8 - n, n, f.size - n);
      const view = new DataView(tail.buffer);
      return { seq, size: f.size, maxt: f.maxt, tailHi: view.getUint32(0), tailLo: view.getUint32(4) };
    });
  }

  /** Sets file `seq`'s largest chunk maxt, known from a saved index instead of `iterate()`. */
  setFileMaxt(seq: number, maxt: number | undefined): void {
    const f = this.#files.get(seq);
    if (f !== undefined) f.maxt = maxt;
  }

  /**
   * The chunk at `ref` after checking its CRC. Throws `CorruptionError` (file and offset) for a
   * reference outside the files, a truncated record, a checksum mismatch or an encoding other than
   * XOR. The chunk's bytes are a copy.
   */
  chunk(ref: number): Chunk {
    const { encoding, data } = this.chunkData(ref);
    if (encoding !== Encoding.XOR) {
      throw new CorruptionError(`unsupported chunk encoding ${encoding}`, {
        file: this.#fileFor(ref).path,
        offset: headChunkRefOffset(ref) + HEAD_CHUNK_META_PREFIX,
      });
    }
    return new XorChunk(data);
  }

  /** The encoding (out-of-order bit cleared) and the data of the chunk at `ref`, checked as `chunk()`. */
  chunkData(ref: number): { encoding: number; data: Uint8Array } {
    const f = this.#fileFor(ref);
    const off = headChunkRefOffset(ref);
    this.#pending?.flushUpTo(f.seq, off + CHUNK_READ_GUESS);
    if (off < HEAD_CHUNK_FILE_HEADER_SIZE || off + HEAD_CHUNK_META_PREFIX + 2 > f.size) {
      throw new CorruptionError('head chunk reference outside the file', { file: f.path, offset: off });
    }
    // One read covers a typical record (120 XOR samples take a few hundred bytes); longer ones take two.
    let rec = readAt(f, off, Math.min(CHUNK_READ_GUESS, f.size - off));
    const d = new Decbuf(rec, { file: f.path, baseOffset: off });
    d.skip(HEAD_CHUNK_META_PREFIX);
    const encoding = d.byte() & ~OOO_ENCODING_FLAG;
    const len = d.uvarint();
    const lenErr = d.err();
    if (lenErr !== undefined) throw lenErr;
    const total = d.position + len + 4;
    this.#pending?.flushUpTo(f.seq, off + total);
    if (off + total > f.size) {
      throw new CorruptionError(`head chunk of ${len} bytes runs past the end of the file`, {
        file: f.path,
        offset: off,
      });
    }
    if (total > rec.length) rec = readAt(f, off, total);
    const want = new DataView(rec.buffer, rec.byteOffset).getUint32(total - 4);
    const got = crc32c(rec, 0, total - 4);
    if (want !== got) {
      throw new CorruptionError(`head chunk checksum mismatch: stored ${hex(want)}, computed ${hex(got)}`, {
        file: f.path,
        offset: off,
      });
    }
    return { encoding, data: rec.subarray(d.position, d.position + len) };
  }

  /**
   * Yields every chunk record in file order, checking each CRC, for rebuilding the series' chunk
   * lists at start-up. A file ends at its size or at zero bytes where a record would start (Prometheus
   * preallocates its files). At the first torn or corrupted record the file is truncated there,
   * later files are deleted, a warning is logged (`repaired` holds the error) and iteration ends:
   * every chunk before it is kept, and the WAL still holds the samples of what was cut.
   */
  *iterate(): Generator<HeadChunkMeta> {
    this.#repaired = undefined;
    for (const seq of this.sequences) {
      const f = this.#files.get(seq);
      if (f === undefined) continue;
      this.#pending?.flushUpTo(seq, Infinity);
      const scan = new Scanner(f);
      let pos = HEAD_CHUNK_FILE_HEADER_SIZE;
      while (pos < f.size) {
        const res = scan.record(pos);
        if (res === 'end') break;
        if (res instanceof CorruptionError) {
          this.#repair(f, pos, res);
          return;
        }
        if (f.maxt === undefined || res.meta.maxt > f.maxt) f.maxt = res.meta.maxt;
        yield res.meta;
        pos = res.next;
      }
    }
  }

  #repair(f: HeadChunkFile, offset: number, err: CorruptionError): void {
    this.#repaired = err;
    this.#logger.warn('Truncating corrupted head chunk file', { file: f.path, offset, err });
    ftruncateSync(f.fd, offset);
    f.size = offset;
    for (const seq of this.sequences) if (seq > f.seq) this.removeFile(seq);
  }

  #fileFor(ref: number): HeadChunkFile {
    const seq = headChunkRefSeq(ref);
    const f = this.#files.get(seq);
    if (f === undefined) {
      throw new CorruptionError(`head chunk file ${seq} does not exist`, {
        file: join(this.#dir, headChunkFileName(seq)),
        offset: headChunkRefOffset(ref),
      });
    }
    return f;
  }

  /** @internal The writer registers the file it creates and the bytes it has flushed. */
  addFile(seq: number, path: string, fd: number): void {
    this.#files.set(seq, { seq, path, fd, size: 0, maxt: undefined });
  }

  /** @internal Records bytes written to file `seq` and the largest maxt among them. */
  grew(seq: number, size: number, maxt: number | undefined): void {
    const f = this.#files.get(seq);
    if (f === undefined) return;
    f.size = size;
    if (maxt !== undefined && (f.maxt === undefined || maxt > f.maxt)) f.maxt = maxt;
  }

  /** @internal The largest maxt of file `seq`, if known. */
  fileMaxt(seq: number): number | undefined {
    return this.#files.get(seq)?.maxt;
  }

  /** @internal Attaches the writer whose buffered bytes reads must wait for. */
  attach(pending: PendingWrites | undefined): void {
    this.#pending = pending;
  }

  /** @internal Closes and deletes file `seq`. */
  removeFile(seq: number): void {
    const f = this.#files.get(seq);
    if (f === undefined) return;
    this.#files.delete(seq);
    closeSync(f.fd);
    rmSync(f.path, { force: true });
  }

  /** Closes every file descriptor. The reader is not used afterwards. */
  close(): void {
    for (const f of this.#files.values()) closeSync(f.fd);
    this.#files.clear();
  }
}

function checkHeader(fd: number, path: string, size: number): void {
  if (size < HEAD_CHUNK_FILE_HEADER_SIZE) {
    throw new CorruptionError('head chunk file shorter than its header', { file: path, offset: size });
  }
  const b = new Uint8Array(HEAD_CHUNK_FILE_HEADER_SIZE);
  readSync(fd, b, 0, b.length, 0);
  const magic = new DataView(b.buffer).getUint32(0);
  if (magic !== MAGIC_HEAD_CHUNKS) {
    throw new CorruptionError(`invalid head chunk magic number ${hex(magic)}`, { file: path, offset: 0 });
  }
  if (b[4] !== HEAD_CHUNKS_FORMAT_V1) {
    throw new CorruptionError(`invalid head chunk format version ${b[4]}`, { file: path, offset: 4 });
  }
}

function readAt(f: HeadChunkFile, pos: number, len: number): Uint8Array {
  const b = new Uint8Array(len);
  let n = 0;
  while (n < len) {
    const got = readSync(f.fd, b, n, len - n, pos + n);
    if (got === 0)
      throw new CorruptionError('unexpected end of head chunk file', { file: f.path, offset: pos + n });
    n += got;
  }
  return b;
}

function hex(n: number): string {
  return `0x${n.toString(16).padStart(8, '0')}`;
}

/** A forward reader over one file through a 1 MiB window, for `iterate()`. */
class Scanner {
  readonly #f: HeadChunkFile;
  #buf = new Uint8Array(READ_WINDOW);
  #start = 0; // file offset of #buf[0]
  #len = 0;

  constructor(f: HeadChunkFile) {
    this.#f = f;
  }

  // Makes [pos, pos + len) (clipped to the file) available; returns the index of pos in #buf.
  #window(pos: number, len: number): number {
    const end = Math.min(pos + len, this.#f.size);
    if (pos >= this.#start && end <= this.#start + this.#len) return pos - this.#start;
    const want = Math.max(READ_WINDOW, end - pos);
    if (want > this.#buf.length) this.#buf = new Uint8Array(want);
    const n = Math.min(want, this.#f.size - pos);
    let got = 0;
    while (got < n) {
      const r = readSync(this.#f.fd, this.#buf, got, n - got, pos + got);
      if (r === 0) break;
      got += r;
    }
    this.#start = pos;
    this.#len = got;
    return 0;
  }

  /** Decodes the record at `pos`: its metadata and the next offset, 'end', or the corruption. */
  record(pos: number): { meta: HeadChunkMeta; next: number } | 'end' | CorruptionError {
    const file = this.#f.path;
    const avail = this.#f.size - pos;
    let i = this.#window(pos, MAX_HEAD_CHUNK_META_SIZE);
    if (avail < MAX_HEAD_CHUNK_META_SIZE) {
      for (let k = 0; k < avail; k++) {
        if (this.#buf[i + k] !== 0)
          return new CorruptionError('torn head chunk record header', { file, offset: pos });
      }
      return 'end';
    }
    const head = new Decbuf(this.#buf.subarray(i, i + MAX_HEAD_CHUNK_META_SIZE), { file, baseOffset: pos });
    const seriesRef = head.be64();
    const mint = head.be64();
    const maxt = head.be64();
    // Series refs start at 1: an all-zero prefix is the preallocated rest of the file.
    if (head.err() === undefined && seriesRef === 0 && mint === 0 && maxt === 0) return 'end';
    const encByte = head.byte();
    const len = head.uvarint();
    const metaErr = head.err();
    if (metaErr !== undefined) return metaErr;
    const dataStart = head.position;
    const total = dataStart + len + 4;
    if (total > avail) {
      return new CorruptionError(`torn head chunk record: needs ${total} bytes, file has ${avail}`, {
        file,
        offset: pos,
      });
    }
    i = this.#window(pos, total);
    const b = this.#buf;
    const crcAt = i + total - 4;
    const want = ((b[crcAt] << 24) | (b[crcAt + 1] << 16) | (b[crcAt + 2] << 8) | b[crcAt + 3]) >>> 0;
    const got = crc32c(b, i, crcAt);
    if (want !== got) {
      return new CorruptionError(`head chunk checksum mismatch: stored ${hex(want)}, computed ${hex(got)}`, {
        file,
        offset: pos,
      });
    }
    const numSamples = len >= 2 ? (b[i + dataStart] << 8) | b[i + dataStart + 1] : 0;
    const meta: HeadChunkMeta = {
      seriesRef,
      ref: headChunkRef(this.#f.seq, pos),
      mint,
      maxt,
      encoding: encByte & ~OOO_ENCODING_FLAG,
      ooo: (encByte & OOO_ENCODING_FLAG) !== 0,
      numSamples,
    };
    return { meta, next: pos + total };
  }
}
