/**
 * A cursor over the series of one block in index (label) order, for scans such as compaction and
 * dumps: the index, a windowed chunk reader and the tombstones grouped by series reference. Only
 * the current series' index entry is decoded.
 */
import { join } from 'node:path';
import type { Labels } from '../../model/labels.js';
import type { ChunkMeta } from '../index/format.js';
import { IndexReader } from '../index/reader.js';
import { readTombstonesFile, TOMBSTONES_FILENAME } from '../tombstones/tombstones.js';
import type { Tombstone } from '../tombstones/tombstones.js';
import { DEFAULT_CHUNK_WINDOW, SequentialChunkReader } from './sequential-chunk-reader.js';
import { CHUNKS_DIRNAME, INDEX_FILENAME } from './writer.js';

/** The series a cursor is on. */
export interface CursorSeries {
  readonly ref: number;
  readonly labels: Labels;
  readonly chunks: readonly ChunkMeta[];
  /** Deleted ranges of this series (empty when none). */
  readonly stones: readonly Tombstone[];
}

const NO_STONES: readonly Tombstone[] = [];

/** Walks chosen series of a block. `close()` when done. */
export class BlockSeriesCursor {
  private pos = 0;
  /** The current series, `undefined` once exhausted. */
  current: CursorSeries | undefined;

  private constructor(
    /** The block's index. */
    readonly index: IndexReader,
    /** The block's chunks, read through a window. */
    readonly chunks: SequentialChunkReader,
    private readonly stones: ReadonlyMap<number, Tombstone[]>,
    private readonly refs: readonly number[],
  ) {
    this.advance();
  }

  /**
   * Opens the block in `dir`. `select` picks the series references (sorted) from the index;
   * default all. A missing tombstones file means no deletions.
   */
  static async open(
    dir: string,
    options: { select?: (index: IndexReader) => number[]; window?: number } = {},
  ): Promise<BlockSeriesCursor> {
    const index = await IndexReader.open(join(dir, INDEX_FILENAME));
    let list: Tombstone[] = [];
    try {
      list = await readTombstonesFile(join(dir, TOMBSTONES_FILENAME));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    const stones = new Map<number, Tombstone[]>();
    for (const s of list) {
      const l = stones.get(s.ref);
      if (l === undefined) stones.set(s.ref, [s]);
      else l.push(s);
    }
    const refs = options.select?.(index) ?? index.allPostings();
    const chunks = await SequentialChunkReader.open(
      join(dir, CHUNKS_DIRNAME),
      options.window ?? DEFAULT_CHUNK_WINDOW,
    );
    return new BlockSeriesCursor(index, chunks, stones, refs);
  }

  /** Moves to the next selected series. */
  advance(): void {
    if (this.pos >= this.refs.length) {
      this.current = undefined;
      return;
    }
    const ref = this.refs[this.pos++];
    const e = this.index.series(ref);
    this.current = { ref, labels: e.labels, chunks: e.chunks, stones: this.stones.get(ref) ?? NO_STONES };
  }

  /** Closes the index and chunk files. */
  async close(): Promise<void> {
    this.index.close();
    await this.chunks.close();
  }
}
