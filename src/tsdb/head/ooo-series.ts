/**
 * The out-of-order part of a head series (Prometheus' `memSeriesOOOFields`): full out-of-order
 * chunks cut to the chunk store (`chunks_head/`, with the out-of-order bit) and the open
 * `OooChunk`. Its chunks may overlap each other and the in-order ones; readers merge them.
 */
import type { HeadChunkStore } from './chunk-store.js';
import { OooChunk } from './ooo-chunk.js';
import type { HeadChunkView, MmappedChunk } from './series.js';

/** What `OooSeries.insert` did. */
export const OooInsert = {
  /** A sample at that timestamp is already in the open chunk; nothing changed. */
  Duplicate: 0,
  Inserted: 1,
  /** Inserted into a new open chunk; `cutRef` says which chunk was cut to make room (0: none). */
  InsertedNewChunk: 2,
} as const;
export type OooInsert = (typeof OooInsert)[keyof typeof OooInsert];

export class OooSeries {
  /** Cut chunks in the order they were cut (not time order: they may overlap). */
  mmapped: readonly MmappedChunk[] = [];
  /** The open chunk, undefined until the first sample and after each cut. */
  head: OooChunk | undefined;
  /** The reference of the chunk the last `InsertedNewChunk` cut, 0 when it cut none. */
  cutRef = 0;

  constructor(
    private readonly seriesRef: number,
    /** Where cut chunks are read back from. */
    readonly store: HeadChunkStore,
  ) {}

  /** Inserts a sample, cutting the open chunk first when it holds `capMax` samples. */
  insert(t: number, v: number, capMax: number): OooInsert {
    let created = false;
    if (this.head === undefined || this.head.numSamples >= capMax) {
      this.cutRef = this.cut();
      this.head = new OooChunk(capMax);
      created = true;
    }
    if (!this.head.insert(t, v)) return OooInsert.Duplicate;
    return created ? OooInsert.InsertedNewChunk : OooInsert.Inserted;
  }

  /** Moves the open chunk to the store as an out-of-order chunk; returns its reference, 0 if none. */
  cut(): number {
    const h = this.head;
    this.head = undefined;
    if (h === undefined || h.numSamples === 0) return 0;
    const ref = this.store.put(this.seriesRef, h.mint, h.maxt, h.toXor(), true);
    this.mmapped = this.mmapped.concat({ mint: h.mint, maxt: h.maxt, ref });
    return ref;
  }

  /** Restores chunks found in the store at start-up. */
  restore(chunks: readonly MmappedChunk[]): void {
    this.mmapped = this.mmapped.concat(chunks);
  }

  /** Drops cut chunks whose reference is at most `ref` and that end before `end` (now in blocks). */
  dropCutUpTo(ref: number, end: number): void {
    this.mmapped = this.mmapped.filter((c) => c.ref > ref || c.maxt >= end);
  }

  /** Whether nothing is held. */
  get empty(): boolean {
    return this.mmapped.length === 0 && (this.head === undefined || this.head.numSamples === 0);
  }

  /** Earliest and latest timestamp held (Infinity/-Infinity when empty). */
  timeRange(): { mint: number; maxt: number } {
    let mint = Infinity;
    let maxt = -Infinity;
    for (const c of this.mmapped) {
      if (c.mint < mint) mint = c.mint;
      if (c.maxt > maxt) maxt = c.maxt;
    }
    const h = this.head;
    if (h !== undefined && h.numSamples > 0) {
      mint = Math.min(mint, h.mint);
      maxt = Math.max(maxt, h.maxt);
    }
    return { mint, maxt };
  }

  /** The chunks overlapping [mint, maxt]; the open one encoded now, so later inserts are not seen. */
  chunksIn(mint: number, maxt: number, out: HeadChunkView[]): void {
    const store = this.store;
    for (const c of this.mmapped) {
      if (c.maxt >= mint && c.mint <= maxt)
        out.push({ mint: c.mint, maxt: c.maxt, data: () => store.get(c.ref) });
    }
    const h = this.head;
    if (h !== undefined && h.numSamples > 0 && h.maxt >= mint && h.mint <= maxt) {
      const bytes = h.toXor().bytes();
      out.push({ mint: h.mint, maxt: h.maxt, data: () => bytes });
    }
  }
}
