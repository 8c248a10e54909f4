/**
 * Reads a persistent block: series through its index postings, chunks read from disk only when an
 * iterator reaches them, deleted intervals (tombstones) left out.
 */
import { Labels } from '../../model/labels.js';
import type { Matcher } from '../../model/matcher.js';
import type { Querier, SampleIterator, SelectHints, Series, SeriesSet } from '../../storage/interface.js';
import type { BlockReader } from '../block/reader.js';
import { postingsForMatchers } from '../index/postings-for-matchers.js';
import type { ChunkHandle, Interval } from './chunk-iterator.js';
import { ChunkSeriesIterator } from './chunk-iterator.js';
import { ListSeriesSet } from './series-set.js';

/** A chunk of a block, read when an iterator reaches it (a class: a query makes one per chunk). */
class BlockChunk implements ChunkHandle {
  constructor(
    private readonly block: BlockReader,
    readonly mint: number,
    readonly maxt: number,
    private readonly ref: number,
  ) {}
  data(): Uint8Array {
    return this.block.chunkData(this.ref);
  }
}

/**
 * A series of a block, its chunks kept as `mint, maxt, ref` triples: a select holds every series
 * until the query ends, so the chunk handles are made only when the series is iterated.
 */
class BlockSeries implements Series {
  constructor(
    readonly labels: Labels,
    private readonly block: BlockReader,
    private readonly chunks: readonly number[],
    private readonly mint: number,
    private readonly maxt: number,
    private readonly deleted: readonly Interval[],
  ) {}

  iterator(): SampleIterator {
    const c = this.chunks;
    const handles: ChunkHandle[] = [];
    for (let i = 0; i < c.length; i += 3) handles.push(new BlockChunk(this.block, c[i], c[i + 1], c[i + 2]));
    return new ChunkSeriesIterator(handles, this.mint, this.maxt, this.deleted);
  }
}

export class BlockQuerier implements Querier {
  constructor(
    private readonly block: BlockReader,
    private readonly mint: number,
    private readonly maxt: number,
  ) {}

  select(sorted: boolean, hints: SelectHints | undefined, ...matchers: Matcher[]): SeriesSet {
    const mint = Math.max(this.mint, hints?.start ?? -Infinity);
    const maxt = Math.min(this.maxt, hints?.end ?? Infinity);
    const block = this.block;
    const out: BlockSeries[] = [];
    try {
      for (const ref of postingsForMatchers(block.index, matchers)) {
        const chunks: number[] = [];
        const labels = block.index.seriesChunks(ref, mint, maxt, chunks);
        if (chunks.length === 0) continue;
        out.push(new BlockSeries(labels, block, chunks, mint, maxt, block.deletedIntervals(ref)));
      }
    } catch (err) {
      return new ListSeriesSet([], [], new Error(`read block ${block.meta.ulid}`, { cause: err }));
    }
    // Index order is `Labels.compare` order; the sort only guards postings that are not (O(n) if sorted).
    if (sorted) out.sort((a, b) => Labels.compare(a.labels, b.labels));
    return new ListSeriesSet(out);
  }

  labelNames(...matchers: Matcher[]): string[] {
    if (matchers.length === 0) return this.block.index.labelNames();
    const names = new Set<string>();
    for (const ref of postingsForMatchers(this.block.index, matchers)) {
      this.block.index.series(ref).labels.forEach((n) => names.add(n));
    }
    return [...names].sort();
  }

  labelValues(name: string, ...matchers: Matcher[]): string[] {
    if (matchers.length === 0) return this.block.index.labelValues(name);
    const values = new Set<string>();
    for (const ref of postingsForMatchers(this.block.index, matchers)) {
      const v = this.block.index.series(ref).labels.get(name);
      if (v !== '') values.add(v);
    }
    return [...values].sort();
  }

  close(): void {}
}
