/**
 * Building the output chunks of one series from the chunks of several blocks: chunks that overlap
 * nothing and hold no deleted sample are copied as they are; every run of overlapping chunks, and
 * every chunk touched by a tombstone, is decoded, merged with duplicates removed, and re-encoded.
 */
import { ValueType } from '../../storage/interface.js';
import type { Chunk } from '../chunkenc/chunk.js';
import { XorChunk, XorIterator } from '../chunkenc/xor.js';
import type { TimedChunk } from '../block/stream-writer.js';
import { SAMPLES_PER_CHUNK } from '../block/writer.js';
import type { Tombstone } from '../tombstones/tombstones.js';

/** A chunk of the series in one of the input blocks. */
export interface SourceChunk {
  readonly mint: number;
  readonly maxt: number;
  readonly ref: number;
  /** Position of the block in the compaction's input order; on equal timestamps the lower wins. */
  readonly source: number;
  /** Deleted ranges of this series in that block. */
  readonly stones: readonly Tombstone[];
}

/** Loads a chunk of a source block. */
export type ChunkLoader = (source: number, ref: number) => Promise<Chunk>;

/** Whether any deleted range intersects `[mint, maxt]`. */
export function touchesStones(stones: readonly Tombstone[], mint: number, maxt: number): boolean {
  for (const s of stones) if (s.mint <= maxt && s.maxt >= mint) return true;
  return false;
}

function deleted(stones: readonly Tombstone[], t: number): boolean {
  for (const s of stones) if (t >= s.mint && t <= s.maxt) return true;
  return false;
}

/** Growable sample columns reused across series: no allocation per sample. */
class SampleScratch {
  t = new Float64Array(1024);
  // Float64Array keeps NaN payloads (the staleness marker) bit for bit.
  v = new Float64Array(1024);
  src = new Int32Array(1024);
  order = new Uint32Array(1024);
  n = 0;

  push(t: number, v: number, src: number): void {
    if (this.n === this.t.length) this.grow();
    this.t[this.n] = t;
    this.v[this.n] = v;
    this.src[this.n] = src;
    this.n++;
  }

  private grow(): void {
    const cap = this.t.length * 2;
    const t = new Float64Array(cap);
    t.set(this.t);
    const v = new Float64Array(cap);
    v.set(this.v);
    const src = new Int32Array(cap);
    src.set(this.src);
    this.t = t;
    this.v = v;
    this.src = src;
    this.order = new Uint32Array(cap);
  }
}

/** Merges the chunks of one series; keeps scratch buffers between calls. */
export class SeriesMerger {
  private readonly scratch = new SampleScratch();
  private readonly it = new XorIterator();
  /** Samples dropped as duplicates (same timestamp in several blocks), for statistics. */
  duplicates = 0;

  /**
   * The output chunks for `chunks` (all of one series, any order), in time order. Empty when every
   * sample was deleted.
   */
  async merge(chunks: readonly SourceChunk[], load: ChunkLoader): Promise<TimedChunk[]> {
    const sorted = chunks.slice().sort((a, b) => a.mint - b.mint || a.source - b.source);
    const out: TimedChunk[] = [];
    for (let i = 0; i < sorted.length;) {
      let j = i + 1;
      let runMax = sorted[i].maxt;
      while (j < sorted.length && sorted[j].mint <= runMax) {
        runMax = Math.max(runMax, sorted[j].maxt);
        j++;
      }
      const first = sorted[i];
      if (j === i + 1 && !touchesStones(first.stones, first.mint, first.maxt)) {
        out.push({ chunk: await load(first.source, first.ref), mint: first.mint, maxt: first.maxt });
      } else {
        await this.rewrite(sorted.slice(i, j), load, out);
      }
      i = j;
    }
    return out;
  }

  private async rewrite(run: readonly SourceChunk[], load: ChunkLoader, out: TimedChunk[]): Promise<void> {
    const s = this.scratch;
    s.n = 0;
    for (const c of run) {
      const it = (await load(c.source, c.ref)).iterator(this.it);
      const check = touchesStones(c.stones, c.mint, c.maxt);
      while (it.next() === ValueType.Float) {
        const t = it.t();
        if (check && deleted(c.stones, t)) continue;
        s.push(t, it.v(), c.source);
      }
      const err = it.err();
      if (err !== undefined) throw err;
    }
    if (s.n === 0) return;
    const order = s.order.subarray(0, s.n);
    for (let k = 0; k < s.n; k++) order[k] = k;
    const { t, src } = s;
    order.sort((a, b) => t[a] - t[b] || src[a] - src[b]);
    let chunk: XorChunk | undefined;
    let app: ReturnType<XorChunk['appender']> | undefined;
    let count = 0;
    let mint = 0;
    let last = -Infinity;
    for (let k = 0; k < order.length; k++) {
      const idx = order[k];
      const ts = t[idx];
      if (ts === last) {
        this.duplicates++;
        continue;
      }
      if (chunk === undefined || count === SAMPLES_PER_CHUNK) {
        if (chunk !== undefined) out.push({ chunk, mint, maxt: last });
        chunk = new XorChunk();
        app = chunk.appender();
        count = 0;
        mint = ts;
      }
      app!.append(ts, s.v[idx]);
      count++;
      last = ts;
    }
    if (chunk !== undefined) out.push({ chunk, mint, maxt: last });
  }
}
