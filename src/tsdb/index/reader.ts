/**
 * Reads an index file in Prometheus' format v2. Opening reads the TOC, the symbol table and the
 * postings offset table; series entries and postings lists are read on demand with positioned
 * reads, so a large block's index does not sit in the V8 heap (Prometheus memory-maps it).
 */

import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { Labels } from '../../model/labels.js';
import { compareBytewise } from './compare.js';
import { crc32c } from '../encoding/crc32c.js';
import { Decbuf } from '../encoding/decbuf.js';
import { CorruptionError } from '../encoding/errors.js';
import {
  INDEX_HEADER_SIZE,
  INDEX_TOC_SIZE,
  INDEX_VERSION_V2,
  MAGIC_INDEX,
  SERIES_ALIGNMENT,
} from './format.js';
import type { ChunkMeta } from './format.js';

/** A series as stored in the index. */
export interface IndexSeriesEntry {
  /** The series' labels. */
  readonly labels: Labels;
  /** Its chunks in time order. */
  readonly chunks: ChunkMeta[];
}

/** Table of contents: start offsets of the sections. */
interface Toc {
  symbols: number;
  series: number;
  labelIndices: number;
  labelIndicesTable: number;
  postings: number;
  postingsTable: number;
}

/**
 * An opened index. Immutable after `open`/`fromBytes`; safe to share. Methods throw
 * `CorruptionError` on malformed data.
 */
/** Bytes of an index, read by position. */
interface ByteSource {
  readonly size: number;
  /** `length` bytes at `offset` (fewer at the end of the source), valid until the next read. */
  read(offset: number, length: number): Uint8Array;
  close(): void;
}

function memorySource(buf: Uint8Array): ByteSource {
  return {
    size: buf.length,
    read: (offset, length) => buf.subarray(offset, Math.min(buf.length, offset + length)),
    close: () => undefined,
  };
}

/** Bytes read at once for a read that misses the file source's window. */
const READ_WINDOW = 64 * 1024;

/**
 * A file read through a window: queries read the series entries of a postings list in reference
 * order, which lie close together, so one read serves a run of them instead of two system calls
 * each (Prometheus memory-maps the file). The window's buffer is reused: every read is decoded
 * before the next.
 */
function fileSource(path: string): ByteSource {
  const fd = openSync(path, 'r');
  const size = fstatSync(fd).size;
  const buf = new Uint8Array(READ_WINDOW);
  let window = buf.subarray(0, 0);
  let windowStart = 0;
  return {
    size,
    read(offset, length) {
      const n = Math.max(0, Math.min(length, size - offset));
      const at = offset - windowStart;
      if (at >= 0 && at + n <= window.length) return window.subarray(at, at + n);
      if (n >= READ_WINDOW) {
        const out = new Uint8Array(n);
        readSync(fd, out, 0, n, offset);
        return out;
      }
      const want = Math.max(0, Math.min(READ_WINDOW, size - offset));
      window = buf.subarray(0, readSync(fd, buf, 0, want, offset));
      windowStart = offset;
      return window.subarray(0, n);
    },
    close: () => closeSync(fd),
  };
}

/**
 * A chunk's mint, maxt and ref while a series entry is decoded, in a typed array: as locals, these
 * numbers above 2^31 were boxed at every step of the loop (~750 bytes of garbage a series, and a
 * third of the entry's decoding time).
 */
const CHUNK_META = new Float64Array(3);
const MINT = 0;
const MAXT = 1;
const REF = 2;

/** Longest uvarint: the length prefix of a series entry. */
const MAX_UVARINT_LEN = 10;

export class IndexReader {
  private readonly src: ByteSource;
  private readonly file: string;
  private readonly symbolTable: string[];
  /** name → value → offset of the postings list, from the postings offset table. */
  private readonly postingsOffsets = new Map<string, Map<string, number>>();

  private constructor(src: ByteSource, file: string) {
    this.src = src;
    this.file = file;
    if (src.size < INDEX_HEADER_SIZE + INDEX_TOC_SIZE) this.corrupt('index too short', 0);
    const h = new Decbuf(src.read(0, INDEX_HEADER_SIZE), { file });
    if (h.be32() !== MAGIC_INDEX) this.corrupt('invalid index magic', 0);
    if (h.byte() !== INDEX_VERSION_V2) this.corrupt('unsupported index version', 4);
    const toc = this.readToc();
    this.symbolTable = this.readSymbols(toc.symbols);
    this.readPostingsTable(toc.postingsTable);
  }

  /** Opens the index file at `path` (keeping a file descriptor until `close()`). */
  static open(path: string): Promise<IndexReader> {
    const src = fileSource(path);
    try {
      return Promise.resolve(new IndexReader(src, path));
    } catch (err) {
      src.close();
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
  }

  /** Opens an index held in memory (the bytes are not copied; keep them unchanged). */
  static fromBytes(bytes: Uint8Array, name = 'index'): IndexReader {
    return new IndexReader(memorySource(bytes), name);
  }

  /** Closes the file. */
  close(): void {
    this.src.close();
  }

  private corrupt(reason: string, offset: number): never {
    throw new CorruptionError(reason, { file: this.file, offset });
  }

  private check(d: Decbuf, what: string): void {
    const err = d.err();
    if (err !== undefined) throw new Error(`read index ${what}`, { cause: err });
  }

  private readToc(): Toc {
    const start = this.src.size - INDEX_TOC_SIZE;
    const d = new Decbuf(this.src.read(start, INDEX_TOC_SIZE), { file: this.file, baseOffset: start });
    const toc: Toc = {
      symbols: d.be64(),
      series: d.be64(),
      labelIndices: d.be64(),
      labelIndicesTable: d.be64(),
      postings: d.be64(),
      postingsTable: d.be64(),
    };
    d.checkHash(0);
    this.check(d, 'toc');
    return toc;
  }

  /** A decoder over the `len`-prefixed, CRC-checked section at `off`, positioned after `len`. */
  private section(off: number, what: string): Decbuf {
    const head = new Decbuf(this.src.read(off, 4), { file: this.file, baseOffset: off });
    const len = head.be32();
    this.check(head, what);
    const bytes = this.src.read(off, 4 + len + 4);
    const d = new Decbuf(bytes, { file: this.file, baseOffset: off });
    d.skip(4);
    d.skip(len);
    d.checkHash(4);
    this.check(d, what);
    return new Decbuf(bytes.subarray(4, 4 + len), { file: this.file, baseOffset: off + 4 });
  }

  private readSymbols(off: number): string[] {
    const d = this.section(off, 'symbols');
    const n = d.be32();
    const out: string[] = [];
    for (let i = 0; i < n && d.err() === undefined; i++) out.push(d.uvarintStr());
    this.check(d, 'symbols');
    return out;
  }

  private readPostingsTable(off: number): void {
    const d = this.section(off, 'postings offset table');
    const n = d.be32();
    for (let i = 0; i < n && d.err() === undefined; i++) {
      if (d.uvarint() !== 2) d.fail('postings offset table entry without two strings');
      const name = d.uvarintStr();
      const value = d.uvarintStr();
      const at = d.uvarint();
      let values = this.postingsOffsets.get(name);
      if (values === undefined) this.postingsOffsets.set(name, (values = new Map<string, number>()));
      values.set(value, at);
    }
    this.check(d, 'postings offset table');
  }

  /** Number of symbols. */
  get symbolCount(): number {
    return this.symbolTable.length;
  }

  /** The symbol with reference `ref` (its position in the sorted symbol table). */
  symbol(ref: number): string {
    const s = this.symbolTable[ref];
    if (s === undefined) this.corrupt(`unknown symbol reference ${ref}`, 0);
    return s;
  }

  /** All symbols, sorted. The returned array must not be modified. */
  symbols(): readonly string[] {
    return this.symbolTable;
  }

  /** The sorted series references of the pair `name="value"`; empty when absent. */
  postings(name: string, value: string): number[] {
    const off = this.postingsOffsets.get(name)?.get(value);
    if (off === undefined) return [];
    const d = this.section(off, `postings ${name}=${value}`);
    const n = d.be32();
    const out = new Array<number>(n);
    for (let i = 0; i < n; i++) out[i] = d.be32();
    this.check(d, 'postings');
    return out;
  }

  /** All series references (the `"", ""` list). */
  allPostings(): number[] {
    return this.postings('', '');
  }

  /** The sorted values of label `name`. */
  labelValues(name: string): string[] {
    const values = this.postingsOffsets.get(name);
    return values === undefined || name === '' ? [] : [...values.keys()].sort(compareBytewise);
  }

  /** The sorted label names present in the index. */
  labelNames(): string[] {
    return [...this.postingsOffsets.keys()].filter((n) => n !== '').sort(compareBytewise);
  }

  /**
   * The labels and chunk metadata of the series with reference `ref`; with `mint`/`maxt`, only the
   * chunks overlapping that range (a query of the last hour of a day's block needs 2 of 48).
   */
  series(ref: number, mint = -Infinity, maxt = Infinity): IndexSeriesEntry {
    const triples: number[] = [];
    const labels = this.seriesChunks(ref, mint, maxt, triples);
    const chunks: ChunkMeta[] = [];
    for (let i = 0; i < triples.length; i += 3)
      chunks.push({ mint: triples[i], maxt: triples[i + 1], ref: triples[i + 2] });
    return { labels, chunks };
  }

  /**
   * `series` for queries: returns the labels and appends the chunks overlapping [mint, maxt] to
   * `chunks` as `mint, maxt, ref` triples, so that a select holding thousands of series for a whole
   * query keeps one array per series rather than an object per chunk for the garbage collector to
   * copy.
   */
  seriesChunks(ref: number, mint: number, maxt: number, chunks: number[]): Labels {
    const off = ref * SERIES_ALIGNMENT;
    const head = this.src.read(off, MAX_UVARINT_LEN);
    // The length prefix by hand and the CRC checked directly: a query reads thousands of entries,
    // and the decoders below are only for the entry itself and for reporting damage.
    let len = 0;
    let start = 0;
    for (let mul = 1; start < head.length; mul *= 128) {
      const byte = head[start++];
      len += (byte & 0x7f) * mul;
      if (byte < 0x80) break;
    }
    const bytes = this.src.read(off, start + len + 4);
    const e = start + len;
    const stored =
      e + 4 <= bytes.length
        ? ((bytes[e] << 24) | (bytes[e + 1] << 16) | (bytes[e + 2] << 8) | bytes[e + 3]) >>> 0
        : -1;
    if (stored !== crc32c(bytes, start, Math.min(e, bytes.length))) this.#seriesDamage(ref, off);
    const b = new Decbuf(bytes.subarray(start, start + len), { file: this.file, baseOffset: off + start });
    const nl = b.uvarint();
    const pairs: string[] = [];
    for (let i = 0; i < nl && b.err() === undefined; i++) {
      pairs.push(this.symbol(b.uvarint()), this.symbol(b.uvarint()));
    }
    const nc = b.uvarint();
    const m = CHUNK_META;
    m[MAXT] = 0;
    m[REF] = 0;
    for (let i = 0; i < nc && b.err() === undefined; i++) {
      if (i === 0) {
        m[MINT] = b.varint();
        m[MAXT] = m[MINT] + b.uvarint();
        m[REF] = b.uvarint();
      } else {
        m[MINT] = m[MAXT] + b.uvarint();
        m[MAXT] = m[MINT] + b.uvarint();
        m[REF] += b.varint();
      }
      if (m[MAXT] >= mint && m[MINT] <= maxt) chunks.push(m[MINT], m[MAXT], m[REF]);
    }
    this.check(b, `series ${ref}`);
    return Labels.fromSortedPairs(pairs);
  }

  /** Throws the corruption of the series entry at `off` (length prefix, truncation or CRC). */
  #seriesDamage(ref: number, off: number): never {
    const head = new Decbuf(this.src.read(off, MAX_UVARINT_LEN), { file: this.file, baseOffset: off });
    const len = head.uvarint();
    this.check(head, `series ${ref}`);
    const start = head.position;
    const d = new Decbuf(this.src.read(off, start + len + 4), { file: this.file, baseOffset: off });
    d.skip(start + len);
    d.checkHash(start);
    this.check(d, `series ${ref}`);
    return this.corrupt(`series ${ref}: checksum mismatch`, off);
  }
}
