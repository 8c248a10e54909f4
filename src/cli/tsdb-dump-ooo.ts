/**
 * The out-of-order part of the head for `vigil tsdb dump`, rebuilt read-only as the server's
 * start-up rebuilds it (`tsdb/head/load.ts`, `tsdb/head/replay-wbl.ts`): the out-of-order chunks
 * of `chunks_head/` first (after an out-of-order compaction some samples are only there), then the
 * write-behind log `wbl/`. Its samples go into each series' out-of-order chunks with no time
 * minimum (they were accepted once); a timestamp already in the open chunk is dropped; an mmap
 * marker drops the open chunk, whose samples are in a `chunks_head/` chunk, unless the marker names
 * a chunk past the last one found there. Nothing in the directory is changed.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Encoding } from '../tsdb/chunkenc/index.js';
import { XorChunk } from '../tsdb/chunkenc/index.js';
import {
  HEAD_CHUNK_FILE_HEADER_SIZE,
  MAGIC_HEAD_CHUNKS,
  MAX_HEAD_CHUNK_META_SIZE,
  OOO_ENCODING_FLAG,
  headChunkFileName,
  headChunkRef,
} from '../tsdb/chunks/head-chunks-format.js';
import { crc32c, Decbuf } from '../tsdb/encoding/index.js';
import { MemoryChunkStore } from '../tsdb/head/chunk-store.js';
import { DEFAULT_OOO_CAP_MAX } from '../tsdb/head/ooo-chunk.js';
import { OooSeries } from '../tsdb/head/ooo-series.js';
import type { HeadChunkView } from '../tsdb/head/series.js';
import { decodeMmapMarkers, decodeSamples, newSampleBatch, RecordType } from '../tsdb/record/index.js';
import { WalReader } from '../tsdb/wlog/index.js';

/** One out-of-order chunk of `chunks_head/`. */
export interface OooHeadChunk {
  readonly seriesRef: number;
  readonly mint: number;
  readonly maxt: number;
  readonly data: Uint8Array;
}

/** What `scanHeadChunks` found: the out-of-order chunks in file order and the last reference. */
export interface HeadChunkScan {
  readonly ooo: OooHeadChunk[];
  /** The reference of the last valid chunk of any kind (0: none), which bounds the markers replayed. */
  readonly lastRef: number;
}

/**
 * Reads `dir` (`chunks_head/`) without changing it: every chunk record up to the first torn or
 * corrupt one, where the server would cut the file; that is reported in `warnings`.
 */
export async function scanHeadChunks(dir: string, warnings: string[]): Promise<HeadChunkScan> {
  const out: HeadChunkScan = { ooo: [], lastRef: 0 };
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return out;
  }
  const seqs = names
    .filter((n) => /^\d+$/.test(n))
    .map(Number)
    .sort((a, b) => a - b);
  let lastRef = 0;
  for (let i = 0; i < seqs.length; i++) {
    const file = join(dir, headChunkFileName(seqs[i]));
    const fail = (why: string, offset: number): HeadChunkScan => {
      warnings.push(`read ${file} at offset ${offset}: ${why}; later head chunks ignored`);
      return { ooo: out.ooo, lastRef };
    };
    if (i > 0 && seqs[i] !== seqs[i - 1] + 1) return fail('head chunk files are not sequential', 0);
    const b = await readFile(file);
    // A last file without a whole header was created but never written (the server deletes it).
    if (b.length < HEAD_CHUNK_FILE_HEADER_SIZE && i === seqs.length - 1) break;
    const d = new Decbuf(b, { file });
    if (d.be32() !== MAGIC_HEAD_CHUNKS) return fail('bad magic number', 0);
    let pos = HEAD_CHUNK_FILE_HEADER_SIZE;
    while (pos < b.length) {
      d.seek(pos);
      const seriesRef = d.be64();
      const mint = d.be64();
      const maxt = d.be64();
      // Zero bytes where a record would start: the preallocated rest of the file.
      if (d.err() !== undefined) {
        if (b.subarray(pos, pos + MAX_HEAD_CHUNK_META_SIZE).some((x) => x !== 0))
          return fail('torn head chunk record', pos);
        break;
      }
      if (seriesRef === 0 && mint === 0 && maxt === 0) break;
      const enc = d.byte();
      const len = d.uvarint();
      const data = d.bytes(len);
      const end = d.position;
      const crc = d.be32();
      if (d.err() !== undefined) return fail('torn head chunk record', pos);
      if (crc !== crc32c(b, pos, end)) return fail('head chunk checksum mismatch', pos);
      lastRef = headChunkRef(seqs[i], pos);
      if ((enc & OOO_ENCODING_FLAG) !== 0 && (enc & ~OOO_ENCODING_FLAG) === Encoding.XOR)
        out.ooo.push({ seriesRef, mint, maxt, data: data.slice() }); // not the whole file's buffer
      pos = d.position;
    }
  }
  return { ooo: out.ooo, lastRef };
}

/** The out-of-order chunks of the series the WAL declared, by WAL reference. */
export class OooHead {
  readonly #store = new MemoryChunkStore();
  readonly #series = new Map<number, OooSeries>();

  /** `known` says whether the WAL declared a series reference (others are skipped, as at start-up). */
  constructor(private readonly known: (ref: number) => boolean) {}

  /** Out-of-order samples of `ref` as chunks, first-cut first: at equal times the earlier wins. */
  chunks(ref: number): HeadChunkView[] {
    const out: HeadChunkView[] = [];
    this.#series.get(ref)?.chunksIn(-Infinity, Infinity, out);
    return out;
  }

  #get(ref: number): OooSeries | undefined {
    let s = this.#series.get(ref);
    if (s === undefined && this.known(ref)) {
      s = new OooSeries(ref, this.#store);
      this.#series.set(ref, s);
    }
    return s;
  }

  /** Restores the chunks found in `chunks_head/`. */
  restore(chunks: readonly OooHeadChunk[]): void {
    for (const c of chunks) {
      const ref = this.#store.put(c.seriesRef, c.mint, c.maxt, new XorChunk(c.data));
      this.#get(c.seriesRef)?.restore([{ mint: c.mint, maxt: c.maxt, ref }]);
    }
  }

  /** Replays the write-behind log `dir`; a corrupt tail is reported in `warnings`, later records ignored. */
  async replayWbl(dir: string, lastChunkRef: number, warnings: string[]): Promise<void> {
    const r = await WalReader.open(dir);
    const batch = newSampleBatch(1024);
    try {
      while (await r.next()) {
        const rec = r.record();
        if (rec[0] === RecordType.Samples) {
          const b = decodeSamples(rec, batch);
          for (let i = 0; i < b.length; i++)
            this.#get(b.refs[i])?.insert(b.timestamps[i], b.values[i], DEFAULT_OOO_CAP_MAX);
        } else if (rec[0] === RecordType.MmapMarkers) {
          for (const m of decodeMmapMarkers(rec)) {
            const s = m.mmapRef > lastChunkRef ? undefined : this.#series.get(m.ref);
            if (s !== undefined) s.head = undefined;
          }
        }
      }
      const err = r.err();
      if (err !== undefined) warnings.push(`read WBL ${dir}: ${err.message}; later records ignored`);
    } finally {
      await r.close();
    }
  }
}
