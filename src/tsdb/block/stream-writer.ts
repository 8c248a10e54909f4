/**
 * Writes a block series by series: chunks go to the segment files as they arrive, so only the
 * index entries (labels and chunk metadata) are held until `finish()`. Used by compaction and
 * backfill, where the samples of all series would not fit in memory at once.
 */
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Labels } from '../../model/labels.js';
import type { Chunk } from '../chunkenc/chunk.js';
import { ChunkSegmentWriter } from '../chunks/segment-writer.js';
import type { ChunkSegmentWriterOptions } from '../chunks/segment-writer.js';
import { compareLabelsBytewise } from '../index/compare.js';
import type { ChunkMeta } from '../index/format.js';
import { IndexJobBuilder } from './index-job.js';
import { runIndexJob } from './index-job-run.js';
import { TOMBSTONES_FILENAME, writeTombstonesFile } from '../tombstones/tombstones.js';
import { META_FILENAME, META_VERSION, writeMetaFile } from './meta.js';
import type { BlockCompaction, BlockMeta } from './meta.js';
import { ulid as newUlid } from './ulid.js';
import { BlockWriteError, CHUNKS_DIRNAME, INDEX_FILENAME } from './writer.js';

/** A chunk with its time range, ready to be written. */
export interface TimedChunk {
  readonly chunk: Chunk;
  /** First sample timestamp (ms). */
  readonly mint: number;
  /** Last sample timestamp (ms). */
  readonly maxt: number;
}

/** What `finish()` needs beyond the series: the time range and lineage of the new block. */
export interface BlockFinish {
  /** Inclusive start of the block's range. */
  minTime: number;
  /** Exclusive end of the block's range. */
  maxTime: number;
  /** Compaction lineage; `sources` defaults to the new block's own ULID. */
  compaction: Omit<BlockCompaction, 'sources'> & { sources?: string[] };
}

/**
 * One block being written in `<dir>/<ulid>.tmp-for-creation`. Call `addSeries` in strictly
 * increasing label order (byte order), then `finish()`, or `abort()` to remove the partial block.
 * Not safe for concurrent use: await each call.
 */
export class BlockStreamWriter {
  /** The ULID the block will have. */
  readonly ulid: string;
  private readonly dir: string;
  private readonly tmp: string;
  private readonly chunks: ChunkSegmentWriter;
  private readonly index = new IndexJobBuilder();
  private last: Labels | undefined;
  private numSamples = 0;
  private numChunks = 0;

  private constructor(dir: string, id: string, chunks: ChunkSegmentWriter) {
    this.dir = dir;
    this.ulid = id;
    this.tmp = join(dir, `${id}.tmp-for-creation`);
    this.chunks = chunks;
  }

  /** Starts a block under `dir` (created if missing). `ulid` defaults to a new one for now. */
  static async create(
    dir: string,
    options: { ulid?: string; chunkWriter?: Partial<ChunkSegmentWriterOptions> } = {},
  ): Promise<BlockStreamWriter> {
    const id = options.ulid ?? newUlid();
    const tmp = join(dir, `${id}.tmp-for-creation`);
    await rm(tmp, { recursive: true, force: true });
    await mkdir(tmp, { recursive: true });
    const chunks = await ChunkSegmentWriter.open(join(tmp, CHUNKS_DIRNAME), options.chunkWriter);
    return new BlockStreamWriter(dir, id, chunks);
  }

  /** Number of series added so far. */
  get seriesCount(): number {
    return this.index.count;
  }

  /**
   * Writes the chunks of one series (in time order, not overlapping). A series with no chunks is
   * ignored. Throws `BlockWriteError` when the labels do not come after the previous series'.
   */
  async addSeries(labels: Labels, chunks: readonly TimedChunk[]): Promise<void> {
    if (chunks.length === 0) return;
    if (this.last !== undefined && compareLabelsBytewise(this.last, labels) >= 0)
      throw new BlockWriteError(`series out of order or duplicate: ${labels.toString()}`);
    const refs = await this.chunks.writeChunks(chunks.map((c) => c.chunk));
    const metas: ChunkMeta[] = new Array<ChunkMeta>(chunks.length);
    for (let i = 0; i < chunks.length; i++) {
      const c = chunks[i];
      metas[i] = { mint: c.mint, maxt: c.maxt, ref: refs[i] };
      this.numSamples += c.chunk.numSamples();
    }
    this.numChunks += chunks.length;
    this.index.add(labels, metas);
    this.last = labels;
  }

  /**
   * Writes index, empty tombstones and meta.json, fsyncs, and renames the directory into place.
   * Returns the meta. With no series added nothing is kept and `undefined` is returned.
   */
  async finish(f: BlockFinish): Promise<BlockMeta | undefined> {
    try {
      await this.chunks.close();
      if (this.index.count === 0) {
        await rm(this.tmp, { recursive: true, force: true });
        return undefined;
      }
      // The index is encoded in a worker thread: for a large block that takes seconds of CPU.
      await runIndexJob(this.index.build(join(this.tmp, INDEX_FILENAME)));
      await writeTombstonesFile(join(this.tmp, TOMBSTONES_FILENAME), []);
      const meta: BlockMeta = {
        ulid: this.ulid,
        minTime: f.minTime,
        maxTime: f.maxTime,
        stats: { numSamples: this.numSamples, numSeries: this.index.count, numChunks: this.numChunks },
        compaction: { ...f.compaction, sources: f.compaction.sources ?? [this.ulid] },
        version: META_VERSION,
      };
      await writeMetaFile(join(this.tmp, META_FILENAME), meta);
      await syncDir(join(this.tmp, CHUNKS_DIRNAME));
      await syncDir(this.tmp);
      await rename(this.tmp, join(this.dir, this.ulid));
      await syncDir(this.dir);
      return meta;
    } catch (err) {
      await rm(this.tmp, { recursive: true, force: true });
      throw new BlockWriteError(`write block ${this.ulid}`, { cause: err });
    }
  }

  /** Removes the partial block. */
  async abort(): Promise<void> {
    await this.chunks.close().catch(() => undefined);
    await rm(this.tmp, { recursive: true, force: true });
  }
}

/** fsyncs a directory so a rename or new entry in it survives a crash. */
export async function syncDir(path: string): Promise<void> {
  const f = await open(path, 'r');
  try {
    await f.sync();
  } finally {
    await f.close();
  }
}
