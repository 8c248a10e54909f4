/**
 * The head block: the in-memory part of the database holding the most recent samples of every
 * active series. Appends go through `HeadAppender` transactions that reach the WAL before they
 * become visible; queries read through `HeadQuerier`; the DB cuts the oldest chunk range into a
 * persistent block and then calls `truncate`.
 */
import type { Labels } from '../../model/labels.js';
import { StringInterner } from '../../model/labels.js';
import type { Appender, SeriesRef } from '../../storage/interface.js';
import type { Logger } from '../../util/logger.js';
import { noopLogger } from '../../util/logger.js';
import type { Interval } from '../querier/chunk-iterator.js';
import type { RefSeries, SampleBatch } from '../record/types.js';
import type { WalWriter } from '../wlog/writer.js';
import { HeadAppender } from './appender.js';
import { MemPostings } from './postings.js';
import { MemoryChunkStore } from './chunk-store.js';
import type { HeadChunkStore } from './chunk-store.js';
import { ChunkBufferPool } from './chunk-buffers.js';
import { DEFAULT_OOO_CAP_MAX } from './ooo-chunk.js';
import { MemSeries, SeriesNumbers } from './series.js';
import type { StartupChunks } from './chunks-index.js';
import type { ChunkTriples, MmappedChunk, SeriesContext } from './series.js';

/** Head options. */
export interface HeadOptions {
  /** Width of a chunk range and of the blocks cut from the head, ms (2h). */
  chunkRange: number;
  logger: Logger;
  /** Where committed batches are logged; none for a head that is never persisted (tests, tools). */
  wal?: WalWriter;
  /** Where full chunks go; in memory by default. */
  chunkStore: HeadChunkStore;
  /**
   * How far behind the head's newest sample an out-of-order sample is still accepted, ms
   * (`out_of_order_time_window`); 0 refuses out-of-order samples.
   */
  outOfOrderTimeWindow: number;
  /** Samples per out-of-order head chunk before it is cut (`out_of_order_cap_max`). */
  oooCapMax: number;
  /** The write-behind log for out-of-order samples (`wbl/`); none for a head never persisted. */
  wbl?: WalWriter;
}

/** Counters the head keeps for self-monitoring and the appender's rejected samples. */
export interface HeadCounters {
  samplesAppended: number;
  outOfOrder: number;
  outOfBounds: number;
  duplicates: number;
  /** Out-of-order samples refused for being older than the window. */
  tooOld: number;
  /** Out-of-order samples accepted. */
  oooAppended: number;
  seriesCreated: number;
  seriesRemoved: number;
  chunksCreated: number;
}

/** Head statistics for `status/tsdb`. */
export interface HeadStats {
  numSeries: number;
  numLabelPairs: number;
  chunkCount: number;
  minTime: number;
  maxTime: number;
  seriesCountByMetricName: { name: string; value: number }[];
  labelValueCountByLabelName: { name: string; value: number }[];
  memoryInBytesByLabelName: { name: string; value: number }[];
  seriesCountByLabelValuePair: { name: string; value: number }[];
}

/**
 * Refs below this are also kept in a dense array (8 bytes a slot). Larger refs (possible in a WAL
 * written elsewhere) use only the map; a far-off ref makes V8 keep the array sparse, not huge.
 */
const DENSE_REFS = 1 << 26;

export class Head {
  readonly chunkRange: number;
  readonly logger: Logger;
  wal: WalWriter | undefined;
  wbl: WalWriter | undefined;
  readonly oooCapMax: number;
  /**
   * @internal Finished transactions' emptied batches, for the next `HeadAppender`s to reuse: many
   * scrapes' transactions are open at once while their WAL writes are under way.
   */
  readonly spareBatches: { batch: SampleBatch; series: (MemSeries | undefined)[] }[] = [];
  /** @internal The size new batches start at: the largest reusable one a transaction grew to. */
  batchCapacity = 64;
  readonly postings = new MemPostings();
  readonly counters: HeadCounters = {
    samplesAppended: 0,
    outOfOrder: 0,
    outOfBounds: 0,
    duplicates: 0,
    tooOld: 0,
    oooAppended: 0,
    seriesCreated: 0,
    seriesRemoved: 0,
    chunksCreated: 0,
  };
  /**
   * Series by label-set hash; a list in the rare case of a collision. Keyed by hash rather than by
   * `Labels.key`, which would keep a ~150-byte string a series alive.
   */
  readonly #byHash = new Map<number, MemSeries | MemSeries[]>();
  readonly #byRef = new Map<number, MemSeries>();
  /** Refs in `#byRef` that alias another ref's series (a second series record for its labels). */
  #aliases = 0;
  /** Transactions opened and not yet ended. */
  readonly #openTransactions = new Set<HeadAppender>();
  /**
   * The same series indexed by ref for refs below `DENSE_REFS`: refs are handed out counting up from
   * 1, and an array index is several times cheaper than a `Map` lookup on the append path.
   */
  readonly #dense: (MemSeries | undefined)[] = [];
  readonly #interner = new StringInterner();
  readonly #intern = (s: string): string => this.#interner.intern(s);
  readonly #tombstones = new Map<number, Interval[]>();
  readonly #seriesContext: SeriesContext;
  /** Full chunks found on disk at start-up, by series ref, waiting for their series to be restored. */
  #mmapped: StartupChunks = new Map<number, ChunkTriples>();
  /** The same for out-of-order chunks. */
  #mmappedOoo = new Map<number, MmappedChunk[]>();
  #oooWindow: number;
  #nextRef = 1;
  #nextAppenderId = 1;
  /** Smallest and largest timestamp appended since the last truncation (Infinity/-Infinity when empty). */
  #minTime = Infinity;
  #maxTime = -Infinity;
  /** Samples older than this are out of bounds: they belong to a block already written. */
  #minValidTime = -Infinity;

  constructor(options: Partial<HeadOptions> = {}) {
    this.chunkRange = options.chunkRange ?? 2 * 60 * 60 * 1000;
    this.logger = options.logger ?? noopLogger;
    this.wal = options.wal;
    this.#seriesContext = {
      chunkRange: this.chunkRange,
      store: options.chunkStore ?? new MemoryChunkStore(),
      buffers: new ChunkBufferPool(),
      numbers: new SeriesNumbers(),
    };
    this.wbl = options.wbl;
    this.oooCapMax = options.oooCapMax ?? DEFAULT_OOO_CAP_MAX;
    this.#oooWindow = checkWindow(options.outOfOrderTimeWindow ?? 0);
  }

  /** The series' timestamps and last values (see `MemSeries.numbersAt`). */
  get seriesNumbers(): SeriesNumbers {
    return this.#seriesContext.numbers;
  }

  /** The out-of-order time window, ms (0: out-of-order samples are refused). */
  get outOfOrderTimeWindow(): number {
    return this.#oooWindow;
  }

  /** Changes the out-of-order window for transactions opened from now on (a config reload). */
  setOutOfOrderTimeWindow(ms: number): void {
    this.#oooWindow = checkWindow(ms);
  }

  /** Out-of-order chunks found on disk at start-up, by series ref (see `setMmappedChunks`). */
  setMmappedOooChunks(chunks: Map<number, MmappedChunk[]>): void {
    this.#mmappedOoo = chunks;
  }

  /**
   * Chunks found in `chunks_head/` at start-up, by series ref: each series restored afterwards
   * (from the snapshot or a WAL series record) takes its own, and WAL samples they cover are not
   * appended again. Call `finishRestore` when restoring is done.
   */
  setMmappedChunks(chunks: StartupChunks): void {
    this.#mmapped = chunks;
  }

  /**
   * Ends start-up: forgets the chunks no series claimed (their series were truncated away) and
   * the interner's index of label bytes.
   */
  finishRestore(): void {
    this.#mmapped = new Map();
    this.#mmappedOoo = new Map();
    this.#interner.releaseBytesIndex();
  }

  /**
   * Where start-up decoders intern label strings straight from their bytes
   * (`StringInterner.internUtf8`); such labels are restored with `restoreSeries(rec, true)`.
   */
  get labelStrings(): StringInterner {
    return this.#interner;
  }

  /** Opens a transaction. */
  appender(): Appender {
    const app = new HeadAppender(this, this.#nextAppenderId++);
    this.#openTransactions.add(app);
    return app;
  }

  /** @internal A transaction is over (committed and applied, or rolled back). */
  transactionEnded(app: HeadAppender): void {
    this.#openTransactions.delete(app);
  }

  /** Number of series in memory (a ref aliasing another's series is not one more). */
  get numSeries(): number {
    return this.#byRef.size - this.#aliases;
  }

  /** Distinct label strings held once for all series. */
  get internedStrings(): number {
    return this.#interner.size;
  }

  /** Earliest sample time, or Infinity when empty. */
  get minTime(): number {
    return this.#minTime;
  }

  /** Latest sample time, or -Infinity when empty. */
  get maxTime(): number {
    return this.#maxTime;
  }

  /** The lowest timestamp a new sample may have (Prometheus' appendable minimum). */
  appendableMinValidTime(): number {
    if (this.#maxTime === -Infinity) return this.#minValidTime;
    return Math.max(this.#minValidTime, this.#maxTime - this.chunkRange / 2);
  }

  /** Samples before this are in blocks (the in-order head starts here). */
  get minValidTime(): number {
    return this.#minValidTime;
  }

  /** Refuses samples before `t` from now on (a block up to `t` exists). */
  setMinValidTime(t: number): void {
    this.#minValidTime = Math.max(this.#minValidTime, t);
  }

  /** The series with these labels, created (unlogged) if new. */
  getOrCreate(labels: Labels): MemSeries {
    return this.#find(labels) ?? this.#create(this.#nextRef++, labels);
  }

  /** A series by ref. */
  series(ref: SeriesRef): MemSeries | undefined {
    return ref < DENSE_REFS ? this.#dense[ref] : this.#byRef.get(ref);
  }

  /** All series, each once (not again under a ref aliasing it), in ref order of creation. */
  *allSeries(): IterableIterator<MemSeries> {
    for (const [ref, s] of this.#byRef) if (ref === s.ref) yield s;
  }

  /**
   * Restores a series from a WAL series record, keeping its ref. A second record for the same
   * labels under another ref (possible after a crash between two writers) maps to the first series.
   * `labelsInterned`: the label strings come from `labelStrings` already.
   */
  restoreSeries(rec: RefSeries, labelsInterned = false): MemSeries {
    const byRef = this.#byRef.get(rec.ref);
    if (byRef !== undefined) return byRef;
    const found = this.#find(rec.labels);
    if (found !== undefined) {
      this.#setRef(rec.ref, found);
      this.#aliases++;
      return found;
    }
    const s = this.#create(rec.ref, rec.labels, labelsInterned);
    s.logged = true;
    if (rec.ref >= this.#nextRef) this.#nextRef = rec.ref + 1;
    return s;
  }

  #create(ref: number, labels: Labels, labelsInterned = false): MemSeries {
    // Label strings repeat across series (job, instance, le…): keep one copy of each.
    if (!labelsInterned) labels.internStrings(this.#intern);
    const s = new MemSeries(ref, labels, this.#seriesContext);
    const mmapped = this.#mmapped.get(ref);
    if (mmapped !== undefined) {
      // Left in place: a ref is created once, and `finishRestore` drops them all.
      s.restore(mmapped);
      for (let i = 0; i < mmapped.length; i += 3) {
        this.noteTime(mmapped[i]);
        this.noteTime(mmapped[i + 1]);
      }
    }
    const ooo = this.#mmappedOoo.get(ref);
    if (ooo !== undefined) {
      this.#mmappedOoo.delete(ref);
      s.restoreOoo(ooo);
    }
    this.#addByHash(hashKey(labels), s);
    this.#setRef(ref, s);
    this.postings.add(ref, labels);
    this.counters.seriesCreated++;
    return s;
  }

  #find(labels: Labels): MemSeries | undefined {
    const found = this.#byHash.get(hashKey(labels));
    if (found === undefined || !Array.isArray(found)) return found?.labels.equals(labels) ? found : undefined;
    return found.find((s) => s.labels.equals(labels));
  }

  #addByHash(hash: number, s: MemSeries): void {
    const found = this.#byHash.get(hash);
    if (found === undefined) this.#byHash.set(hash, s);
    else if (Array.isArray(found)) found.push(s);
    else this.#byHash.set(hash, [found, s]);
  }

  #deleteByHash(s: MemSeries): void {
    // Hashing the series' own labels caches their key, which is fine: the series is going away.
    const hash = hashKey(s.labels);
    const found = this.#byHash.get(hash);
    if (found === s) this.#byHash.delete(hash);
    else if (Array.isArray(found)) {
      const rest = found.filter((x) => x !== s);
      if (rest.length === 1) this.#byHash.set(hash, rest[0]);
      else this.#byHash.set(hash, rest);
    }
  }

  /**
   * Forgets interned strings no series uses any more (their series were truncated away), so
   * label churn does not grow the interner for good. The postings hold every live name and value,
   * as the same string objects the series hold.
   */
  #reintern(): void {
    this.#interner.clear();
    for (const [name, values] of this.postings.entries()) {
      this.#interner.intern(name);
      for (const value of values.keys()) this.#interner.intern(value);
    }
  }

  #setRef(ref: number, s: MemSeries): void {
    this.#byRef.set(ref, s);
    if (ref < DENSE_REFS) this.#dense[ref] = s;
  }

  /** @internal Records a committed sample's time in the head's range. */
  noteTime(t: number): void {
    if (t < this.#minTime) this.#minTime = t;
    if (t > this.#maxTime) this.#maxTime = t;
  }

  /** Deleted intervals of a series. */
  tombstones(ref: number): readonly Interval[] {
    return this.#tombstones.get(ref) ?? [];
  }

  /** Every series' deleted intervals. */
  allTombstones(): ReadonlyMap<number, readonly Interval[]> {
    return this.#tombstones;
  }

  /** Marks [mint, maxt] of a series deleted. */
  addTombstone(ref: number, iv: Interval): void {
    const list = this.#tombstones.get(ref);
    if (list === undefined) this.#tombstones.set(ref, [iv]);
    else list.push(iv);
  }

  /**
   * Drops everything before `mint`: chunks that end before it, then series left empty (and their
   * postings and tombstones). Returns the refs removed, for the WAL checkpoint.
   */
  truncate(mint: number): Set<number> {
    this.setMinValidTime(mint);
    const refs = this.#removeSeries((s) => s.truncateBefore(mint));
    // As Prometheus: the head starts at `mint` now, even where a chunk reaching across it keeps
    // older samples (a block range changed between runs); else the head would look compactable
    // at the same range for ever.
    if (this.#minTime < mint) this.#minTime = mint;
    for (const [ref, ivs] of this.#tombstones) {
      // Out-of-order data may still be older than `mint`: its deletions stay until it is in blocks.
      const keepFrom = Math.min(mint, this.series(ref)?.ooo?.timeRange().mint ?? Infinity);
      const kept = ivs.filter((iv) => iv.maxt >= keepFrom);
      if (kept.length === 0) this.#tombstones.delete(ref);
      else this.#tombstones.set(ref, kept);
    }
    return refs;
  }

  /**
   * Cuts every open out-of-order chunk to the chunk store, so all out-of-order data so far is in
   * chunks with references at most the one returned (0 when there is none): what out-of-order
   * compaction writes, and `truncateOoo` drops afterwards. Later samples go to new chunks.
   */
  cutOooHeads(): number {
    let last = 0;
    for (const s of this.#byRef.values()) {
      const o = s.ooo;
      if (o === undefined) continue;
      o.cut();
      for (const c of o.mmapped) if (c.ref > last) last = c.ref;
    }
    return last;
  }

  /** Earliest and latest out-of-order timestamp held (Infinity/-Infinity when none). */
  oooTimeRange(): { mint: number; maxt: number } {
    let mint = Infinity;
    let maxt = -Infinity;
    for (const s of this.#byRef.values()) {
      if (s.ooo === undefined) continue;
      const r = s.ooo.timeRange();
      if (r.mint < mint) mint = r.mint;
      if (r.maxt > maxt) maxt = r.maxt;
    }
    return { mint, maxt };
  }

  /**
   * Drops out-of-order chunks with references up to `lastRef` that end before `end` (written to
   * blocks), then series left empty. Returns the refs removed.
   */
  truncateOoo(lastRef: number, end: number): Set<number> {
    return this.#removeSeries((s) => {
      s.ooo?.dropCutUpTo(lastRef, end);
      return s.empty;
    });
  }

  /** The smallest `chunks_head/` reference of a live out-of-order chunk (Infinity when none). */
  minOooChunkRef(): number {
    let min = Infinity;
    for (const s of this.#byRef.values()) for (const c of s.ooo?.mmapped ?? []) if (c.ref < min) min = c.ref;
    return min;
  }

  /** Removes the series for which `drop` says they are empty now; recomputes the minimum time. */
  #removeSeries(drop: (s: MemSeries) => boolean): Set<number> {
    // A transaction's series stay until it ends, even empty: its commit applies samples to the
    // series objects it holds (Prometheus' `pendingCommit`).
    const busy = new Set<MemSeries>();
    for (const app of this.#openTransactions) for (const s of app.pendingSeries) busy.add(s);
    const removed = new Map<number, MemSeries>();
    let newMin = Infinity;
    for (const [ref, s] of this.#byRef) {
      if (drop(s) && !busy.has(s)) {
        removed.set(ref, s);
      } else {
        const m = s.minTime();
        if (m !== undefined && m < newMin) newMin = m;
      }
    }
    for (const [ref, s] of removed) {
      if (ref !== s.ref) this.#aliases--;
      this.#byRef.delete(ref);
      if (ref < DENSE_REFS) this.#dense[ref] = undefined;
      this.#deleteByHash(s);
      this.#tombstones.delete(ref);
    }
    const refs = new Set(removed.keys());
    this.postings.delete(refs, (ref) => removed.get(ref)!.labels);
    if (refs.size > 0) this.#reintern();
    for (const [ref, s] of removed) {
      if (ref !== s.ref) continue;
      s.dispose();
      this.counters.seriesRemoved++;
    }
    this.#minTime = newMin;
    if (newMin === Infinity) this.#maxTime = -Infinity;
    return refs;
  }

  /** Chunks held (closed and open). */
  chunkCount(): number {
    let n = 0;
    for (const s of this.#byRef.values()) {
      n += s.closedCount + (s.head === undefined ? 0 : 1);
      if (s.ooo !== undefined) n += s.ooo.mmapped.length + (s.ooo.head === undefined ? 0 : 1);
    }
    return n;
  }

  /** Statistics for `status/tsdb`: counts and the top `limit` entries of each table. */
  stats(limit = 10): HeadStats {
    const byMetric: { name: string; value: number }[] = [];
    const valueCounts: { name: string; value: number }[] = [];
    const memory: { name: string; value: number }[] = [];
    const pairs: { name: string; value: number }[] = [];
    let numLabelPairs = 0;
    for (const [name, values] of this.postings.entries()) {
      valueCounts.push({ name, value: values.size });
      let bytes = 0;
      for (const [value, refs] of values) {
        numLabelPairs++;
        bytes += value.length * refs.length;
        pairs.push({ name: `${name}=${value}`, value: refs.length });
        if (name === '__name__') byMetric.push({ name: value, value: refs.length });
      }
      memory.push({ name, value: bytes });
    }
    const chunkCount = this.chunkCount();
    const top = (xs: { name: string; value: number }[]) =>
      xs.sort((a, b) => b.value - a.value || (a.name < b.name ? -1 : 1)).slice(0, limit);
    return {
      numSeries: this.#byRef.size,
      numLabelPairs,
      chunkCount,
      minTime: this.#minTime,
      maxTime: this.#maxTime,
      seriesCountByMetricName: top(byMetric),
      labelValueCountByLabelName: top(valueCounts),
      memoryInBytesByLabelName: top(memory),
      seriesCountByLabelValuePair: top(pairs),
    };
  }
}

function checkWindow(ms: number): number {
  if (!Number.isSafeInteger(ms) || ms < 0)
    throw new RangeError(`out-of-order time window must be >= 0 ms: ${ms}`);
  return ms;
}

/**
 * The key of a label set in the head's hash table: the low 30 bits of its hash, a small integer
 * V8 keeps unboxed in a map, where a 53-bit key is a heap number of its own a series. The
 * collisions this adds (a few hundred pairs at a million series) are told apart by the labels.
 */
function hashKey(labels: Labels): number {
  return labels.hash() & 0x3fffffff;
}
