/**
 * Writes an index file in Prometheus' format v2 (format/index.md): symbols, 16-byte aligned series
 * entries, label indices (one per label name, as Prometheus 2.x writes them), postings lists
 * starting with the all-postings list, the postings offset table and the TOC, each with a CRC-32C.
 *
 * The whole index is built in memory and returned as one byte array: fine for the block sizes
 * Vigil writes so far; a streaming writer can replace it behind the same function.
 */

import type { Labels } from '../../model/labels.js';
import { compareBytewise, compareLabelsBytewise } from './compare.js';
import { Encbuf } from '../encoding/encbuf.js';
import { IndexWriteError } from './errors.js';
import { INDEX_VERSION_V2, MAGIC_INDEX, SERIES_ALIGNMENT } from './format.js';
import type { ChunkMeta } from './format.js';

/** One series to index: its labels and chunk metadata in time order. */
export interface IndexSeries {
  /** The series' labels. */
  readonly labels: Labels;
  /** Chunks in increasing time order. */
  readonly chunks: readonly ChunkMeta[];
}

const TWO_32 = 4294967296;

/**
 * Encodes an index for `series`, which must be sorted by labels in byte order (`compareLabelsBytewise`) and unique.
 * Returns the file bytes; series references are assigned in input order.
 */
export function encodeIndex(series: readonly IndexSeries[]): Uint8Array {
  // Prometheus' symbol table always holds the empty string.
  const symbolSet = new Set<string>(['']);
  for (let i = 0; i < series.length; i++) {
    const s = series[i];
    if (i > 0 && compareLabelsBytewise(series[i - 1].labels, s.labels) >= 0) {
      throw new IndexWriteError(`series out of order or duplicate: ${s.labels.toString()}`);
    }
    s.labels.forEach((n, v) => {
      symbolSet.add(n);
      symbolSet.add(v);
    });
  }
  const symbols = [...symbolSet].sort(compareBytewise);
  const symbolRef = new Map<string, number>();
  symbols.forEach((s, i) => symbolRef.set(s, i));

  const e = new Encbuf(1 << 16);
  e.putBE32(MAGIC_INDEX);
  e.putByte(INDEX_VERSION_V2);

  // Symbols.
  const symbolsOff = e.length;
  const symStart = startSection(e);
  e.putBE32(symbols.length);
  for (const s of symbols) e.putUvarintStr(s);
  endSection(e, symStart);

  // Series.
  const seriesOff = e.length;
  const refs: number[] = [];
  const postings = new Map<string, Map<string, number[]>>();
  const body = new Encbuf(256);
  for (const s of series) {
    pad(e, SERIES_ALIGNMENT);
    const ref = e.length / SERIES_ALIGNMENT;
    refs.push(ref);
    body.reset();
    body.putUvarint(s.labels.size);
    s.labels.forEach((n, v) => {
      body.putUvarint(symbolRef.get(n)!);
      body.putUvarint(symbolRef.get(v)!);
      let values = postings.get(n);
      if (values === undefined) postings.set(n, (values = new Map<string, number[]>()));
      let list = values.get(v);
      if (list === undefined) values.set(v, (list = []));
      list.push(ref);
    });
    encodeChunkMetas(body, s.chunks);
    e.putUvarint(body.length);
    const start = e.length;
    e.putBytes(body.get());
    e.putHash(start);
  }

  // Label indices, one per label name, values as symbol references.
  const names = [...postings.keys()].sort(compareBytewise);
  const labelIndexOffsets: number[] = [];
  // The TOC points at the end of the previous section, before the padding, as in Prometheus.
  const labelIndicesOff = e.length;
  for (const n of names) {
    pad(e, 4);
    labelIndexOffsets.push(e.length);
    const values = [...postings.get(n)!.keys()].sort(compareBytewise);
    const start = startSection(e);
    e.putBE32(1);
    e.putBE32(values.length);
    for (const v of values) e.putBE32(symbolRef.get(v)!);
    endSection(e, start);
  }

  // Postings: the all-postings list first, then by name and value.
  const entries: { name: string; value: string; off: number }[] = [];
  const postingsOff = e.length;
  const writePostings = (name: string, value: string, list: readonly number[]): void => {
    pad(e, 4);
    entries.push({ name, value, off: e.length });
    const s = startSection(e);
    e.putBE32(list.length);
    for (const r of list) e.putBE32(r);
    endSection(e, s);
  };
  writePostings('', '', refs);
  for (const n of names) {
    const values = postings.get(n)!;
    for (const v of [...values.keys()].sort(compareBytewise)) writePostings(n, v, values.get(v)!);
  }

  // Label offset table, after the postings as Prometheus writes it.
  const labelOffsetTableOff = e.length;
  let start = startSection(e);
  e.putBE32(names.length);
  names.forEach((n, i) => {
    e.putUvarint(1);
    e.putUvarintStr(n);
    putUvarint64(e, labelIndexOffsets[i]);
  });
  endSection(e, start);

  // Postings offset table.
  const postingsTableOff = e.length;
  start = startSection(e);
  e.putBE32(entries.length);
  for (const en of entries) {
    e.putUvarint(2);
    e.putUvarintStr(en.name);
    e.putUvarintStr(en.value);
    putUvarint64(e, en.off);
  }
  endSection(e, start);

  // TOC.
  const tocStart = e.length;
  for (const off of [
    symbolsOff,
    seriesOff,
    labelIndicesOff,
    labelOffsetTableOff,
    postingsOff,
    postingsTableOff,
  ]) {
    e.putBE64(off);
  }
  e.putHash(tocStart);
  return e.get().slice();
}

function encodeChunkMetas(b: Encbuf, chunks: readonly ChunkMeta[]): void {
  b.putUvarint(chunks.length);
  let prevMaxt = 0;
  let prevRef = 0;
  chunks.forEach((c, i) => {
    if (c.maxt < c.mint) throw new IndexWriteError(`chunk maxt ${c.maxt} before mint ${c.mint}`);
    if (i === 0) {
      b.putVarint(c.mint);
      b.putUvarint(c.maxt - c.mint);
      putUvarint64(b, c.ref);
    } else {
      if (c.mint < prevMaxt) throw new IndexWriteError(`chunks overlap at ${c.mint}`);
      b.putUvarint(c.mint - prevMaxt);
      b.putUvarint(c.maxt - c.mint);
      b.putVarint(c.ref - prevRef);
    }
    prevMaxt = c.maxt;
    prevRef = c.ref;
  });
}

function putUvarint64(b: Encbuf, v: number): void {
  b.putUvarint64(Math.floor(v / TWO_32), v % TWO_32);
}

/** Reserves the 4-byte `len` field; returns where it is. */
function startSection(e: Encbuf): number {
  const at = e.length;
  e.putBE32(0);
  return at;
}

/** Fills in `len` (bytes after the field) and appends the CRC-32C over them. */
function endSection(e: Encbuf, lenAt: number): void {
  e.setBE32(lenAt, e.length - lenAt - 4);
  e.putHash(lenAt + 4);
}

function pad(e: Encbuf, align: number): void {
  while (e.length % align !== 0) e.putByte(0);
}
