/**
 * Series of a data directory for `vigil tsdb dump`: each block, and the WAL head, is a cursor over
 * its matching series in label order, and `SeriesMerge` merges them like sorted lists, as
 * Prometheus' merge querier does. Only the current series of each block is decoded, so dumping a
 * large block needs little memory.
 */
import type { Labels } from '../model/labels.js';
import { matchesAll } from '../model/matcher.js';
import type { Matcher } from '../model/matcher.js';
import { ValueType } from '../storage/interface.js';
import { BlockSeriesCursor } from '../tsdb/block/index.js';
import type { DirMeta } from '../tsdb/block/index.js';
import { compareLabelsBytewise, mergePostings, postingsForMatchers } from '../tsdb/index/index.js';
import type { Tombstone } from '../tsdb/tombstones/index.js';
import type { HeadSeries } from './tsdb-dump-head.js';

/** Growable sample columns; values in a Float64Array keep NaN payloads. */
export class SampleColumns {
  t = new Float64Array(256);
  v = new Float64Array(256);
  n = 0;

  push(t: number, vs: Float64Array, i: number): void {
    if (this.n === this.t.length) {
      const t2 = new Float64Array(this.n * 2);
      t2.set(this.t);
      const v2 = new Float64Array(this.n * 2);
      v2.set(this.v);
      this.t = t2;
      this.v = v2;
    }
    this.t[this.n] = t;
    // Element to element copy between Float64Arrays: the bits are kept.
    this.v[this.n] = vs[i];
    this.n++;
  }
}

/** A cursor over the series of one source, in label order. */
export interface SeriesCursor {
  /** The labels of the current series, `undefined` when exhausted. */
  current(): Labels | undefined;
  /** Adds the current series' samples in `[mint, maxt]` (not deleted) to `into`, then advances. */
  take(into: SampleColumns, mint: number, maxt: number): Promise<void>;
  close(): Promise<void>;
}

function deleted(stones: readonly Tombstone[], t: number): boolean {
  for (const s of stones) if (t >= s.mint && t <= s.maxt) return true;
  return false;
}

/** The series of a block that match any of the matcher sets. */
export class BlockCursor implements SeriesCursor {
  private readonly one = new Float64Array(1);

  private constructor(private readonly cursor: BlockSeriesCursor) {}

  /** Opens the block `b` and selects the series matching any of `matcherSets`. */
  static async open(b: DirMeta, matcherSets: readonly (readonly Matcher[])[]): Promise<BlockCursor> {
    const cursor = await BlockSeriesCursor.open(b.dir, {
      select: (index) => mergePostings(matcherSets.map((m) => postingsForMatchers(index, m))),
    });
    return new BlockCursor(cursor);
  }

  current(): Labels | undefined {
    return this.cursor.current?.labels;
  }

  async take(into: SampleColumns, mint: number, maxt: number): Promise<void> {
    const cur = this.cursor.current!;
    for (const c of cur.chunks) {
      if (c.maxt < mint || c.mint > maxt) continue;
      const it = (await this.cursor.chunks.chunk(c.ref)).iterator();
      while (it.next() === ValueType.Float) {
        const t = it.t();
        if (t < mint || t > maxt || deleted(cur.stones, t)) continue;
        this.one[0] = it.v();
        into.push(t, this.one, 0);
      }
      const err = it.err();
      if (err !== undefined) throw new Error(`read series ${cur.labels.toString()}`, { cause: err });
    }
    this.cursor.advance();
  }

  async close(): Promise<void> {
    await this.cursor.close();
  }
}

/** The WAL head's series (already sorted) that match any of the matcher sets. */
export class HeadCursor implements SeriesCursor {
  private pos = 0;
  private readonly series: HeadSeries[];

  constructor(series: readonly HeadSeries[], matcherSets: readonly (readonly Matcher[])[]) {
    this.series = series.filter((s) => matcherSets.some((m) => m.length > 0 && matchesAll(s.labels, m)));
  }

  current(): Labels | undefined {
    return this.series[this.pos]?.labels;
  }

  take(into: SampleColumns, mint: number, maxt: number): Promise<void> {
    const s = this.series[this.pos++];
    for (let i = 0; i < s.n; i++) {
      const t = s.t[i];
      if (t < mint || t > maxt || deleted(s.stones, t)) continue;
      into.push(t, s.v, i);
    }
    return Promise.resolve();
  }

  /** Reorders the series by WAL reference, the order of an unsorted head-only select. */
  sortByRef(): void {
    this.series.sort((a, b) => a.ref - b.ref);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

/**
 * Merges cursors in label order. A series in several sources has its samples merged by time;
 * when two sources hold the same timestamp, the earlier source wins (one sample is printed).
 */
export class SeriesMerge {
  private readonly parts: SampleColumns[];
  /** The merged samples of the series last returned by `next()`. */
  readonly out = new SampleColumns();

  constructor(private readonly cursors: readonly SeriesCursor[]) {
    this.parts = cursors.map(() => new SampleColumns());
  }

  /** The labels of the next series with samples in range, its samples in `out`; `undefined` at the end. */
  async next(mint: number, maxt: number): Promise<Labels | undefined> {
    for (;;) {
      let min: Labels | undefined;
      for (const c of this.cursors) {
        const l = c.current();
        if (l !== undefined && (min === undefined || compareLabelsBytewise(l, min) < 0)) min = l;
      }
      if (min === undefined) return undefined;
      let used = 0;
      let only = -1;
      for (let i = 0; i < this.cursors.length; i++) {
        const c = this.cursors[i];
        const l = c.current();
        this.parts[i].n = 0;
        if (l === undefined || !l.equals(min)) continue;
        await c.take(this.parts[i], mint, maxt);
        if (this.parts[i].n > 0) {
          used++;
          only = i;
        }
      }
      if (used === 0) continue;
      this.out.n = 0;
      if (used === 1) {
        const p = this.parts[only];
        for (let k = 0; k < p.n; k++) this.out.push(p.t[k], p.v, k);
      } else this.mergeParts();
      return min;
    }
  }

  private mergeParts(): void {
    const idx = this.parts.map(() => 0);
    for (;;) {
      let best = -1;
      for (let i = 0; i < this.parts.length; i++) {
        const p = this.parts[i];
        if (idx[i] < p.n && (best < 0 || p.t[idx[i]] < this.parts[best].t[idx[best]])) best = i;
      }
      if (best < 0) return;
      const p = this.parts[best];
      const t = p.t[idx[best]];
      this.out.push(t, p.v, idx[best]);
      for (let i = 0; i < this.parts.length; i++) {
        while (idx[i] < this.parts[i].n && this.parts[i].t[idx[i]] === t) idx[i]++;
      }
    }
  }
}
