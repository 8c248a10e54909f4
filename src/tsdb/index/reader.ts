/**
 * Reads an index file in Prometheus' format v2. The whole file is read into one buffer at open:
 * simple and fast for the block sizes Vigil has so far; a positioned-read reader can replace it
 * behind the same methods.
 */

import { readFile } from 'node:fs/promises';
import { Labels } from '../../model/labels.js';
import { compareBytewise } from './compare.js';
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
export class IndexReader {
  private readonly buf: Uint8Array;
  private readonly file: string;
  private readonly symbolTable: string[];
  /** name → value → offset of the postings list, from the postings offset table. */
  private readonly postingsOffsets = new Map<string, Map<string, number>>();

  private constructor(buf: Uint8Array, file: string) {
    this.buf = buf;
    this.file = file;
    if (buf.length < INDEX_HEADER_SIZE + INDEX_TOC_SIZE) this.corrupt('index too short', 0);
    const h = new Decbuf(buf, { file });
    if (h.be32() !== MAGIC_INDEX) this.corrupt('invalid index magic', 0);
    if (h.byte() !== INDEX_VERSION_V2) this.corrupt('unsupported index version', 4);
    const toc = this.readToc();
    this.symbolTable = this.readSymbols(toc.symbols);
    this.readPostingsTable(toc.postingsTable);
  }

  /** Reads and opens the index file at `path`. */
  static async open(path: string): Promise<IndexReader> {
    return new IndexReader(await readFile(path), path);
  }

  /** Opens an index held in memory (the bytes are not copied; keep them unchanged). */
  static fromBytes(bytes: Uint8Array, name = 'index'): IndexReader {
    return new IndexReader(bytes, name);
  }

  private corrupt(reason: string, offset: number): never {
    throw new CorruptionError(reason, { file: this.file, offset });
  }

  private check(d: Decbuf, what: string): void {
    const err = d.err();
    if (err !== undefined) throw new Error(`read index ${what}`, { cause: err });
  }

  private readToc(): Toc {
    const start = this.buf.length - INDEX_TOC_SIZE;
    const d = new Decbuf(this.buf.subarray(start), { file: this.file, baseOffset: start });
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
    const d = new Decbuf(this.buf, { file: this.file });
    d.seek(off);
    const len = d.be32();
    const start = d.position;
    d.skip(len);
    d.checkHash(start);
    this.check(d, what);
    const body = new Decbuf(this.buf.subarray(start, start + len), { file: this.file, baseOffset: start });
    return body;
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

  /** The labels and chunk metadata of the series with reference `ref`. */
  series(ref: number): IndexSeriesEntry {
    const off = ref * SERIES_ALIGNMENT;
    const d = new Decbuf(this.buf, { file: this.file });
    d.seek(off);
    const len = d.uvarint();
    const start = d.position;
    d.skip(len);
    d.checkHash(start);
    this.check(d, `series ${ref}`);
    const b = new Decbuf(this.buf.subarray(start, start + len), { file: this.file, baseOffset: start });
    const nl = b.uvarint();
    const pairs: string[] = [];
    for (let i = 0; i < nl && b.err() === undefined; i++) {
      pairs.push(this.symbol(b.uvarint()), this.symbol(b.uvarint()));
    }
    const nc = b.uvarint();
    const chunks: ChunkMeta[] = [];
    let maxt = 0;
    let cref = 0;
    for (let i = 0; i < nc && b.err() === undefined; i++) {
      let mint: number;
      if (i === 0) {
        mint = b.varint();
        maxt = mint + b.uvarint();
        cref = b.uvarint();
      } else {
        mint = maxt + b.uvarint();
        maxt = mint + b.uvarint();
        cref += b.varint();
      }
      chunks.push({ mint, maxt, ref: cref });
    }
    this.check(b, `series ${ref}`);
    return { labels: Labels.fromSortedPairs(pairs), chunks };
  }
}
