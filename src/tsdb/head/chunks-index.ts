/**
 * The head's `chunks_head/` index, saved beside the memory snapshot at a clean shutdown so the
 * next start need not read every chunk record back to learn which series owns which chunk (at a
 * million series that scan was a fifth of a clean start). It lives in the snapshot directory as
 * `vigil-head-chunks` — Prometheus reads only the numbered segment files there and deletes the
 * directory with the snapshot — and is used only if every `chunks_head/` file still has the size
 * and last eight bytes it had when the index was written (any chunk written since, by Vigil or
 * Prometheus, lands in a new file or grows one; truncation and repair remove or shorten them).
 * Start-up deletes it before anything is written, so it never outlives the state it describes.
 *
 * Layout, one array of little-endian float64 (all values are integers below 2^53):
 * `magic │ version │ files │ (seq │ size │ maxt or NaN │ tail hi │ tail lo)… │ series │ triples │
 * series refs… │ each series' first triple… │ end │ (mint │ maxt │ ref)… │ ooo chunks │
 * (series ref │ mint │ maxt │ ref)… │ CRC-32C of the bytes before it`.
 */
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Encoding } from '../chunkenc/chunk.js';
import type { HeadChunkFileState, HeadChunkReader } from '../chunks/head-chunks.js';
import { headChunkRef } from '../chunks/head-chunks-format.js';
import { crc32c } from '../encoding/crc32c.js';
import type { Head } from './head.js';
import type { ChunkTriples, MmappedChunk } from './series.js';

/** The index's file name inside a snapshot directory. */
export const HEAD_CHUNKS_INDEX_FILENAME = 'vigil-head-chunks';

const MAGIC = 0x56474843; // "VGHC"
const VERSION = 1;
const FILE_FIELDS = 5;

/** Full chunks found on disk at start-up, by series ref: a scan's map or a saved index. */
export interface StartupChunks {
  /** The in-order chunks of series `ref` as triples, oldest first, or undefined. */
  get(ref: number): ChunkTriples | undefined;
}

/** What start-up knows about `chunks_head/`, from a scan or from the saved index. */
export interface HeadChunksInventory {
  inOrder: StartupChunks;
  /** Out-of-order chunks by series ref. */
  ooo: Map<number, MmappedChunk[]>;
  /** The reference of the last chunk record on disk (0: none). */
  lastRef: number;
  /** In-order chunks. */
  chunks: number;
  /** Series with in-order chunks. */
  series: number;
}

/**
 * Reads every chunk record of `files` (checking each, cutting a corrupted tail: see
 * `HeadChunkReader.iterate`) to learn which series owns which chunk. In-order chunks ending before
 * `minValidTime` are in blocks already and left out; encodings other than XOR are skipped.
 */
export function scanHeadChunkFiles(files: HeadChunkReader, minValidTime: number): HeadChunksInventory {
  const inOrder = new Map<number, number[]>();
  const ooo = new Map<number, MmappedChunk[]>();
  let chunks = 0;
  let lastRef = 0;
  for (const m of files.iterate()) {
    lastRef = m.ref;
    if (m.encoding !== Encoding.XOR) continue;
    if (m.ooo) {
      // Out-of-order chunks may be of any age: the in-order minimum does not bound them.
      const c = { mint: m.mint, maxt: m.maxt, ref: m.ref };
      const list = ooo.get(m.seriesRef);
      if (list === undefined) ooo.set(m.seriesRef, [c]);
      else list.push(c);
      continue;
    }
    if (m.maxt < minValidTime) continue;
    const list = inOrder.get(m.seriesRef);
    if (list === undefined) inOrder.set(m.seriesRef, [m.mint, m.maxt, m.ref]);
    else list.push(m.mint, m.maxt, m.ref);
    chunks++;
  }
  for (const [ref, list] of inOrder) if (!inTimeOrder(list)) inOrder.set(ref, sortedByMint(list));
  return { inOrder, ooo, lastRef, chunks, series: inOrder.size };
}

/** Whether chunk triples are in time order (as the chunk writer leaves them, one series at a time). */
function inTimeOrder(triples: readonly number[]): boolean {
  for (let i = 3; i < triples.length; i += 3) if (triples[i] < triples[i - 3]) return false;
  return true;
}

/** Chunk triples sorted by their first timestamp. */
function sortedByMint(triples: readonly number[]): number[] {
  const order = Array.from({ length: triples.length / 3 }, (_, i) => i * 3);
  order.sort((a, b) => triples[a] - triples[b]);
  return order.flatMap((i) => [triples[i], triples[i + 1], triples[i + 2]]);
}

/**
 * Writes the index of `head`'s full chunks into `snapshotDir`, describing `files` as they are now.
 * Call it after the chunk writer is flushed and closed.
 */
export async function writeHeadChunksIndex(
  snapshotDir: string,
  head: Head,
  files: HeadChunkReader,
): Promise<void> {
  const states = files.fileStates();
  const refs: number[] = [];
  const lists: ChunkTriples[] = [];
  const ooo: number[] = [];
  let triples = 0;
  for (const s of head.allSeries()) {
    const closed = s.closedChunks;
    if (closed.length > 0) {
      refs.push(s.ref);
      lists.push(closed);
      triples += closed.length / 3;
    }
    for (const c of s.ooo?.mmapped ?? []) ooo.push(s.ref, c.mint, c.maxt, c.ref);
  }
  // Series are kept in creation order, which is ref order unless restored out of order.
  const order = refs.map((_, i) => i);
  if (!refs.every((r, i) => i === 0 || refs[i - 1] < r)) order.sort((a, b) => refs[a] - refs[b]);

  const n = refs.length;
  const out = new Float64Array(
    3 + states.length * FILE_FIELDS + 2 + n + (n + 1) + triples * 3 + 1 + ooo.length + 1,
  );
  let p = 0;
  out[p++] = MAGIC;
  out[p++] = VERSION;
  out[p++] = states.length;
  for (const f of states) {
    out[p++] = f.seq;
    out[p++] = f.size;
    out[p++] = f.maxt ?? NaN;
    out[p++] = f.tailHi;
    out[p++] = f.tailLo;
  }
  out[p++] = n;
  out[p++] = triples;
  for (const i of order) out[p++] = refs[i];
  let start = 0;
  for (const i of order) {
    out[p++] = start;
    start += lists[i].length / 3;
  }
  out[p++] = start;
  for (const i of order) {
    out.set(lists[i], p);
    p += lists[i].length;
  }
  out[p++] = ooo.length / 4;
  out.set(ooo, p);
  p += ooo.length;
  const bytes = new Uint8Array(out.buffer);
  out[p] = crc32c(bytes, 0, p * 8);
  const path = join(snapshotDir, HEAD_CHUNKS_INDEX_FILENAME);
  await writeFile(`${path}.tmp`, bytes);
  await rename(`${path}.tmp`, path);
}

/**
 * Reads the index in `snapshotDir` and deletes it. Returns the inventory if the index is whole and
 * `files` are exactly as it describes them (each file's largest maxt is then set on `files`), or
 * the reason it cannot be used. Chunks ending before `minValidTime` are left out, as a scan does.
 */
export async function takeHeadChunksIndex(
  snapshotDir: string,
  files: HeadChunkReader,
  minValidTime: number,
): Promise<HeadChunksInventory | { unusable: string }> {
  const path = join(snapshotDir, HEAD_CHUNKS_INDEX_FILENAME);
  let raw: Buffer;
  try {
    raw = await readFile(path);
  } catch {
    return { unusable: 'no index' };
  }
  await rm(path, { force: true });
  const a = asFloat64(raw);
  if (a === undefined || a.length < 6 || a[0] !== MAGIC || a[1] !== VERSION)
    return { unusable: 'not an index' };
  if (a[a.length - 1] !== crc32c(raw, 0, raw.length - 8)) return { unusable: 'checksum mismatch' };
  const states = files.fileStates();
  let p = 2;
  if (a[p++] !== states.length) return { unusable: 'chunk files added or removed' };
  const maxts: (number | undefined)[] = [];
  for (const f of states) {
    if (!sameFile(f, a, p)) return { unusable: `chunk file ${f.seq} changed` };
    maxts.push(Number.isNaN(a[p + 2]) ? undefined : a[p + 2]);
    p += FILE_FIELDS;
  }
  const n = a[p++];
  const triples = a[p++];
  if (!Number.isSafeInteger(n) || !Number.isSafeInteger(triples) || n < 0 || triples < 0)
    return { unusable: 'malformed' };
  const refsAt = p;
  const startsAt = refsAt + n;
  const triplesAt = startsAt + n + 1;
  const oooAt = triplesAt + triples * 3;
  if (oooAt + 1 > a.length - 1 || oooAt + 1 + a[oooAt] * 4 !== a.length - 1) return { unusable: 'malformed' };
  states.forEach((f, i) => files.setFileMaxt(f.seq, maxts[i]));
  const ooo = new Map<number, MmappedChunk[]>();
  for (let i = oooAt + 1; i < a.length - 1; i += 4) {
    const c = { mint: a[i + 1], maxt: a[i + 2], ref: a[i + 3] };
    const list = ooo.get(a[i]);
    if (list === undefined) ooo.set(a[i], [c]);
    else list.push(c);
  }
  const last = states[states.length - 1];
  return {
    inOrder: new IndexedChunks(
      a.subarray(refsAt, startsAt),
      a.subarray(startsAt, triplesAt),
      a.subarray(triplesAt, oooAt),
      minValidTime,
    ),
    ooo,
    // Any reference below the end of the last file is a record on disk (see replayWbl).
    lastRef: last === undefined ? 0 : headChunkRef(last.seq, last.size - 1),
    chunks: triples,
    series: n,
  };
}

/** Whether saved fields at `a[p]` describe file `f`. */
function sameFile(f: HeadChunkFileState, a: Float64Array, p: number): boolean {
  return a[p] === f.seq && a[p + 1] === f.size && a[p + 3] === f.tailHi && a[p + 4] === f.tailLo;
}

/** The bytes as float64s: a view where aligned, else a copy; undefined for a length not a multiple of 8. */
function asFloat64(b: Uint8Array): Float64Array | undefined {
  if (b.length % 8 !== 0) return undefined;
  if (b.byteOffset % 8 === 0) return new Float64Array(b.buffer, b.byteOffset, b.length / 8);
  return new Float64Array(b.slice().buffer);
}

/** Chunk triples by series ref over the saved arrays: refs ascending, each series' first triple. */
class IndexedChunks implements StartupChunks {
  #hint = 0;

  constructor(
    private readonly refs: Float64Array,
    private readonly starts: Float64Array,
    private readonly triples: Float64Array,
    private readonly minValidTime: number,
  ) {}

  get(ref: number): ChunkTriples | undefined {
    const i = this.#find(ref);
    if (i < 0) return undefined;
    const out: number[] = [];
    for (let k = this.starts[i] * 3; k < this.starts[i + 1] * 3; k += 3) {
      if (this.triples[k + 1] < this.minValidTime) continue;
      out.push(this.triples[k], this.triples[k + 1], this.triples[k + 2]);
    }
    return out.length === 0 ? undefined : out;
  }

  // Series are restored in about the order they were saved: try the one after the last found first.
  #find(ref: number): number {
    const refs = this.refs;
    const h = this.#hint;
    if (h < refs.length && refs[h] === ref) return this.#found(h);
    let lo = 0;
    let hi = refs.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (refs[mid] < ref) lo = mid + 1;
      else if (refs[mid] > ref) hi = mid - 1;
      else return this.#found(mid);
    }
    return -1;
  }

  #found(i: number): number {
    this.#hint = i + 1;
    return i;
  }
}
