/**
 * Writes persistent blocks from in-memory series (cut into XOR chunks of up to 120 samples) or from
 * series already in chunks (the head's), through `BlockStreamWriter`: all files in a temporary
 * directory that is fsynced and then renamed into place, so a block directory is either complete
 * or absent.
 */

import type { Labels } from '../../model/labels.js';
import type { Chunk } from '../chunkenc/chunk.js';
import { XorChunk } from '../chunkenc/xor.js';
import { compareLabelsBytewise } from '../index/compare.js';
import type { BlockMeta } from './meta.js';
import { BlockStreamWriter } from './stream-writer.js';
import type { BlockFinish } from './stream-writer.js';

/** Samples per chunk, as Prometheus cuts them. */
export const SAMPLES_PER_CHUNK = 120;
/** The index file name inside a block directory. */
export const INDEX_FILENAME = 'index';
/** The chunk directory name inside a block directory. */
export const CHUNKS_DIRNAME = 'chunks';

/**
 * One series to write. Timestamps strictly increase. Values are a `Float64Array` so NaN payloads
 * (the staleness marker) survive: V8 may canonicalise NaNs stored in plain number arrays.
 */
export interface BlockSeries {
  readonly labels: Labels;
  readonly timestamps: readonly number[];
  readonly values: Float64Array;
}

/** Error for input `writeBlock` cannot store. Code `ERR_BLOCK_WRITE`. */
export class BlockWriteError extends Error {
  /** Stable code for programmatic checks. */
  readonly code = 'ERR_BLOCK_WRITE';
  /** Creates the error with a lower-case message. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'BlockWriteError';
  }
}

/**
 * Writes a level-1 block holding `series` under `dir` (created if missing) and returns its meta;
 * the block is `join(dir, meta.ulid)`. Series with no samples are skipped; duplicate label sets
 * are an error.
 */
export async function writeBlock(dir: string, series: readonly BlockSeries[]): Promise<BlockMeta> {
  const input = series
    .filter((s) => s.timestamps.length > 0)
    .slice()
    .sort((a, b) => compareLabelsBytewise(a.labels, b.labels));
  let minTime = Infinity;
  let maxTime = -Infinity;
  for (let i = 0; i < input.length; i++) {
    const s = input[i];
    if (i > 0 && input[i - 1].labels.equals(s.labels))
      throw new BlockWriteError(`duplicate series ${s.labels.toString()}`);
    if (s.values.length !== s.timestamps.length)
      throw new BlockWriteError(
        `series ${s.labels.toString()}: ${s.timestamps.length} timestamps, ${s.values.length} values`,
      );
    for (let j = 1; j < s.timestamps.length; j++) {
      if (!(s.timestamps[j] > s.timestamps[j - 1]))
        throw new BlockWriteError(
          `series ${s.labels.toString()}: timestamps not increasing at ${s.timestamps[j]}`,
        );
    }
    minTime = Math.min(minTime, s.timestamps[0]);
    maxTime = Math.max(maxTime, s.timestamps[s.timestamps.length - 1]);
  }
  if (input.length === 0) throw new BlockWriteError('no samples to write');

  const meta = await writeBlockFromChunks(dir, chunkedSeries(input), { minTime, maxTime: maxTime + 1 });
  if (meta === undefined) throw new BlockWriteError('no samples to write');
  return meta;
}

/** Cuts each series' samples into XOR chunks of `SAMPLES_PER_CHUNK`. */
function* chunkedSeries(input: readonly BlockSeries[]): Generator<BlockChunkSeries> {
  for (const s of input) {
    const chunks: BlockChunk[] = [];
    for (let start = 0; start < s.timestamps.length; start += SAMPLES_PER_CHUNK) {
      const end = Math.min(start + SAMPLES_PER_CHUNK, s.timestamps.length);
      const c = new XorChunk();
      const app = c.appender();
      for (let j = start; j < end; j++) app.append(s.timestamps[j], s.values[j]);
      chunks.push({ mint: s.timestamps[start], maxt: s.timestamps[end - 1], chunk: c });
    }
    yield { labels: s.labels, chunks };
  }
}

/** One encoded chunk of a series, with its first and last timestamps. */
export interface BlockChunk {
  readonly mint: number;
  readonly maxt: number;
  readonly chunk: Chunk;
}

/** A series given as encoded chunks in time order. */
export interface BlockChunkSeries {
  readonly labels: Labels;
  readonly chunks: readonly BlockChunk[];
}

/** Where a block sits in time and in the compaction history. */
export interface BlockWriteOptions {
  /** Inclusive lower bound of the block's samples, ms. */
  minTime: number;
  /** Exclusive upper bound, ms. */
  maxTime: number;
  /** Compaction level, sources and parents; a new level-1 block by default. */
  compaction?: BlockFinish['compaction'];
}

/**
 * Writes a block from series already cut into chunks (the head's chunks), through
 * `BlockStreamWriter`: series are consumed one at a time and must arrive sorted by labels in byte
 * order. Returns undefined, writing nothing, when there is no chunk at all (as Prometheus skips
 * empty head compactions).
 */
export async function writeBlockFromChunks(
  dir: string,
  series: Iterable<BlockChunkSeries> | AsyncIterable<BlockChunkSeries>,
  opts: BlockWriteOptions,
): Promise<BlockMeta | undefined> {
  const w = await BlockStreamWriter.create(dir);
  try {
    for await (const s of series) await w.addSeries(s.labels, s.chunks);
  } catch (err) {
    await w.abort();
    throw err instanceof BlockWriteError ? err : new BlockWriteError(`write block ${w.ulid}`, { cause: err });
  }
  return w.finish({
    minTime: opts.minTime,
    maxTime: opts.maxTime,
    compaction: opts.compaction ?? { level: 1 },
  });
}
