/**
 * Opens a persistent block directory (meta.json, index, chunks, tombstones) and reads the series
 * and samples selected by label matchers, with deleted ranges removed.
 */

import { join } from 'node:path';
import type { Labels } from '../../model/labels.js';
import type { Matcher } from '../../model/matcher.js';
import { ValueType } from '../../storage/interface.js';
import { ChunkSegmentReader } from '../chunks/segment-reader.js';
import { postingsForMatchers } from '../index/postings-for-matchers.js';
import { IndexReader } from '../index/reader.js';
import { readTombstonesFile, TOMBSTONES_FILENAME } from '../tombstones/tombstones.js';
import type { Tombstone } from '../tombstones/tombstones.js';
import { META_FILENAME, readMetaFile } from './meta.js';
import type { BlockMeta } from './meta.js';
import { CHUNKS_DIRNAME, INDEX_FILENAME } from './writer.js';

/** One series read from a block, samples decoded (values keep their NaN payloads). */
export interface BlockSeriesData {
  readonly labels: Labels;
  readonly timestamps: number[];
  readonly values: Float64Array;
}

/** An opened block. Read-only; `close()` when done (after all reads have resolved). */
export class BlockReader {
  private constructor(
    /** The block's meta.json. */
    readonly meta: BlockMeta,
    /** The block's index. */
    readonly index: IndexReader,
    private readonly chunks: ChunkSegmentReader,
    private tombstones: Map<number, Tombstone[]>,
  ) {}

  /** Opens the block in directory `dir`. */
  static async open(dir: string): Promise<BlockReader> {
    const meta = await readMetaFile(join(dir, META_FILENAME));
    const index = await IndexReader.open(join(dir, INDEX_FILENAME));
    const stones = await readTombstonesFile(join(dir, TOMBSTONES_FILENAME));
    const chunks = await ChunkSegmentReader.open(join(dir, CHUNKS_DIRNAME));
    return new BlockReader(meta, index, chunks, groupByRef(stones));
  }

  /**
   * The series satisfying all `matchers`, in label order, with their samples in `[mint, maxt]`
   * (inclusive, default everything). Series with no sample in the range are left out.
   */
  async select(matchers: readonly Matcher[], mint = -Infinity, maxt = Infinity): Promise<BlockSeriesData[]> {
    const out: BlockSeriesData[] = [];
    for (const ref of postingsForMatchers(this.index, matchers)) {
      const entry = this.index.series(ref);
      const stones = this.tombstones.get(ref) ?? [];
      const ts: number[] = [];
      // A Float64Array, not a number[]: stored doubles keep their NaN payloads (staleness marker).
      let values = new Float64Array(entry.chunks.length * 120);
      for (const meta of entry.chunks) {
        if (meta.maxt < mint || meta.mint > maxt) continue;
        const it = (await this.chunks.chunk(meta.ref)).iterator();
        while (it.next() === ValueType.Float) {
          const t = it.t();
          if (t < mint || t > maxt) continue;
          if (stones.some((s) => t >= s.mint && t <= s.maxt)) continue;
          if (ts.length === values.length) {
            const grown = new Float64Array(values.length * 2 + 16);
            grown.set(values);
            values = grown;
          }
          values[ts.length] = it.v();
          ts.push(t);
        }
        const err = it.err();
        if (err !== undefined) throw new Error(`read series ${ref}`, { cause: err });
      }
      if (ts.length === 0) continue;
      out.push({ labels: entry.labels, timestamps: ts, values: values.slice(0, ts.length) });
    }
    return out;
  }

  /**
   * The XOR bytes of the chunk at `ref` (a read-only view), read with a positioned read when not
   * in the segment's window (for lazy, synchronous query iterators; the CRC is not checked, see
   * `ChunkSegmentReader.queryBytesSync`).
   */
  chunkData(ref: number): Uint8Array {
    return this.chunks.queryBytesSync(ref);
  }

  /** The deleted intervals of series `ref`. */
  deletedIntervals(ref: number): readonly Tombstone[] {
    return this.tombstones.get(ref) ?? [];
  }

  /** Every deleted interval of the block. */
  allTombstones(): Tombstone[] {
    return [...this.tombstones.values()].flat();
  }

  /** Replaces the deleted intervals after the tombstones file was rewritten. */
  setTombstones(stones: readonly Tombstone[]): void {
    this.tombstones = groupByRef(stones);
  }

  /** Closes the index and chunk files. */
  async close(): Promise<void> {
    this.index.close();
    await this.chunks.close();
  }
}

function groupByRef(stones: readonly Tombstone[]): Map<number, Tombstone[]> {
  const byRef = new Map<number, Tombstone[]>();
  for (const s of stones) {
    const list = byRef.get(s.ref);
    if (list === undefined) byRef.set(s.ref, [s]);
    else list.push(s);
  }
  return byRef;
}
