/**
 * The database: a data directory in Prometheus' layout (blocks, `wal/`, `lock`) opened as one
 * `Appendable` and `Queryable`. Opening replays the WAL into the head; appends go to the head; when
 * the head spans 1.5 chunk ranges its oldest range is written as a block and the head and WAL are
 * truncated; blocks past retention are deleted. Maintenance runs in the background, one job at a
 * time, and never holds up appends or queries for longer than a slice of work.
 */
import { link, mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Labels } from '../model/labels.js';
import type { Matcher } from '../model/matcher.js';
import type { Appendable, Appender, Querier, Queryable, SeriesRef } from '../storage/interface.js';
import { ValueType } from '../storage/interface.js';
import type { Logger } from '../util/logger.js';
import { noopLogger } from '../util/logger.js';
import { HINT_FROM_OUT_OF_ORDER, META_FILENAME, fromOutOfOrder, writeMetaFile } from './block/meta.js';
import type { BlockMeta } from './block/meta.js';
import { blockSize } from './block/dirs.js';
import { BlockReader } from './block/reader.js';
import { writeBlockFromChunks } from './block/writer.js';
import { XorChunk } from './chunkenc/xor.js';
import type { BlockChunkSeries } from './block/writer.js';
import { compactBlocks } from './compact/compactor.js';
import { planCompaction } from './compact/planner.js';
import { blockRanges, defaultMaxBlockDuration } from './compact/ranges.js';
import { blocksBeyondSizeRetention, blocksBeyondTimeRetention, deleteBlocks } from './compact/retention.js';
import type { DiskChunkStore } from './head/chunk-store.js';
import type { Head } from './head/head.js';
import { WBL_DIRNAME, loadHead, writeHeadSnapshot } from './head/load.js';
import { oooBlockSeries, oooCompactionSet } from './head/ooo-blocks.js';
import { DEFAULT_OOO_CAP_MAX } from './head/ooo-chunk.js';
import { headChunkRefSeq } from './chunks/head-chunks-format.js';
import type { HeadStats } from './head/head.js';
import { HeadQuerier } from './head/querier.js';
import type { HeadChunkView } from './head/series.js';
import type { BlockChunk } from './block/writer.js';
import { compareLabelsBytewise } from './index/compare.js';
import { postingsForMatchers } from './index/postings-for-matchers.js';
import type { DirLock } from './lock.js';
import { lockDir } from './lock.js';
import { BlockQuerier } from './querier/block-querier.js';
import type { Interval } from './querier/chunk-iterator.js';
import { MergeQuerier } from './querier/merge-querier.js';
import { encodeTombstonesRecord } from './record/encode.js';
import { writeTombstonesFile, TOMBSTONES_FILENAME } from './tombstones/tombstones.js';
import type { Tombstone } from './tombstones/tombstones.js';
import type { FsyncPolicy } from './wlog/writer.js';
import { WalWriter } from './wlog/writer.js';
import { checkpoint, deleteSegmentsBefore } from './wlog/checkpoint.js';
import { listSegments } from './wlog/format.js';
import { deleteSnapshotsBefore } from './snapshot/dir.js';

const HOUR = 60 * 60 * 1000;

/** Database options; the defaults are Prometheus'. */
export interface DbOptions {
  /** Block (and chunk range) width, ms. Default 2h. */
  blockRange: number;
  /** Delete blocks whose data is older than this behind the newest, ms; 0 keeps everything. Default 15d. */
  retentionTime: number;
  /** Delete the oldest blocks while blocks and WAL exceed this many bytes; 0 for no limit. */
  retentionSize: number;
  /** WAL fsync policy (see `FsyncPolicy`); default `batch`. */
  walFsync: FsyncPolicy;
  /** Snappy-compress WAL records. */
  walCompression: boolean;
  /** WAL segment size in bytes. */
  walSegmentSize: number;
  /** How often maintenance (head compaction, retention) runs, ms; 0 runs it only when asked. */
  maintenanceInterval: number;
  logger: Logger;
  /** Write a memory snapshot of the head on close, so the next start replays almost no WAL. */
  snapshotOnShutdown: boolean;
  /** Called per replayed WAL segment, for `/api/v1/status/walreplay` and readiness. */
  onReplayProgress?: (current: number, last: number) => void;
  /**
   * `storage.tsdb.out_of_order_time_window`, ms: samples up to this far behind the newest are
   * accepted out of order (logged to `wbl/`); 0 refuses them. Changed later by
   * `setOutOfOrderTimeWindow`.
   */
  outOfOrderTimeWindow: number;
  /** Samples per out-of-order head chunk (`out_of_order_cap_max`). */
  oooCapMax: number;
}

export function defaultDbOptions(): DbOptions {
  return {
    blockRange: 2 * HOUR,
    retentionTime: 15 * 24 * HOUR,
    retentionSize: 0,
    walFsync: 'batch',
    walCompression: false,
    walSegmentSize: 128 * 1024 * 1024,
    maintenanceInterval: 60_000,
    snapshotOnShutdown: true,
    logger: noopLogger,
    outOfOrderTimeWindow: 0,
    oooCapMax: DEFAULT_OOO_CAP_MAX,
  };
}

/**
 * An opened block with its directory. Queriers hold a reference while they read; a block replaced
 * by compaction or past retention is closed and deleted only when the last one lets go.
 */
interface OpenBlock {
  readonly dir: string;
  readonly reader: BlockReader;
  readers: number;
  doomed: boolean;
}

function openBlock(dir: string, reader: BlockReader): OpenBlock {
  return { dir, reader, readers: 0, doomed: false };
}

export class DB implements Appendable, Queryable {
  readonly dir: string;
  readonly head: Head;
  readonly #opts: DbOptions;
  readonly #lock: DirLock;
  readonly #wal: WalWriter;
  /** The write-behind log, opened once out-of-order samples are allowed or found on disk. */
  #wbl: WalWriter | undefined;
  readonly #store: DiskChunkStore;
  #blocks: OpenBlock[];
  #timer: NodeJS.Timeout | undefined;
  readonly #disposals = new Set<Promise<void>>();
  /** Counts of maintenance work, for self-monitoring. */
  readonly stats = { compactions: 0, headTruncations: 0, checkpoints: 0, maintenanceFailures: 0 };
  #maintenance: Promise<void> = Promise.resolve();
  #closed = false;

  private constructor(
    dir: string,
    opts: DbOptions,
    lock: DirLock,
    head: Head,
    wal: WalWriter,
    store: DiskChunkStore,
    blocks: OpenBlock[],
  ) {
    this.#store = store;
    this.dir = dir;
    this.#opts = opts;
    this.#lock = lock;
    this.head = head;
    this.#wal = wal;
    this.#blocks = blocks;
  }

  /** Opens (creating if needed) the data directory `dir`: takes the lock, opens blocks, replays the WAL. */
  static async open(dir: string, options: Partial<DbOptions> = {}): Promise<DB> {
    const opts = { ...defaultDbOptions(), ...options };
    const log = opts.logger;
    await mkdir(dir, { recursive: true });
    const lock = await lockDir(dir);
    try {
      await removeLeftovers(dir, log);
      const blocks = await openBlocks(dir, log);
      // Blocks of out-of-order data say nothing of where the in-order head may start.
      const lastBlockEnd = blocks.reduce(
        (m, b) => (fromOutOfOrder(b.reader.meta) ? m : Math.max(m, b.reader.meta.maxTime)),
        -Infinity,
      );
      const walDir = join(dir, 'wal');
      await mkdir(walDir, { recursive: true });
      const started = performance.now();
      log.info('Replaying WAL, this may take a while', { dir: walDir });
      const {
        head,
        store,
        replay: stats,
        wblReplay,
      } = await loadHead({
        dataDir: dir,
        chunkRange: opts.blockRange,
        minValidTime: lastBlockEnd,
        outOfOrderTimeWindow: opts.outOfOrderTimeWindow,
        oooCapMax: opts.oooCapMax,
        logger: log,
        onReplayProgress: (segment, last) => {
          opts.onReplayProgress?.(segment, last);
          log.info('WAL segment loaded', { segment, maxSegment: last });
        },
      });
      log.info('WAL replay completed', {
        duration: `${((performance.now() - started) / 1000).toFixed(3)}s`,
        series: head.numSeries,
        samples: stats.samples,
        ...(stats.unknownRefs > 0 ? { unknownRefs: stats.unknownRefs } : {}),
        ...(stats.refused > 0 ? { refused: stats.refused } : {}),
      });
      const wal = await WalWriter.open(
        walDir,
        { logger: log },
        { fsync: opts.walFsync, compress: opts.walCompression, segmentSize: opts.walSegmentSize },
      );
      head.wal = wal;
      const db = new DB(dir, opts, lock, head, wal, store, blocks);
      // As Prometheus: a write-behind log left on disk stays in use even with the window now 0.
      if (opts.outOfOrderTimeWindow > 0 || wblReplay !== undefined) await db.#openWbl();
      if (opts.maintenanceInterval > 0) {
        db.#timer = setInterval(() => void db.maintain(), opts.maintenanceInterval);
        db.#timer.unref();
      }
      return db;
    } catch (err) {
      await lock.release();
      throw err;
    }
  }

  async #openWbl(): Promise<void> {
    if (this.#wbl !== undefined) return;
    const o = this.#opts;
    this.#wbl = await WalWriter.open(
      join(this.dir, WBL_DIRNAME),
      { logger: o.logger },
      { fsync: o.walFsync, compress: o.walCompression, segmentSize: o.walSegmentSize },
    );
    this.head.wbl = this.#wbl;
  }

  /**
   * Applies a new out-of-order window (a configuration reload): transactions opened from now on use
   * it. Opens the write-behind log if out-of-order samples were not allowed before.
   */
  async setOutOfOrderTimeWindow(ms: number): Promise<void> {
    if (ms > 0) await this.#openWbl();
    this.head.setOutOfOrderTimeWindow(ms);
    this.#opts.outOfOrderTimeWindow = ms;
  }

  /** A transaction on the head; after it commits, maintenance runs if the head grew past 1.5 ranges. */
  appender(): Appender {
    const app = this.head.appender();
    return {
      append: (ref: SeriesRef, labels: Labels, t: number, v: number) => app.append(ref, labels, t, v),
      commit: async () => {
        await app.commit();
        if (this.#headCompactable()) void this.maintain();
      },
      rollback: () => app.rollback(),
    };
  }

  /** A querier over blocks and head overlapping [mint, maxt]. */
  querier(mint: number, maxt: number): Querier {
    const parts: Querier[] = [];
    const held: OpenBlock[] = [];
    for (const b of this.#blocks) {
      const m = b.reader.meta;
      if (m.maxTime > mint && m.minTime <= maxt) {
        b.readers++;
        held.push(b);
        parts.push(new BlockQuerier(b.reader, mint, maxt));
      }
    }
    parts.push(new HeadQuerier(this.head, mint, maxt));
    let open = true;
    return new MergeQuerier(parts, () => {
      if (!open) return;
      open = false;
      for (const b of held) {
        b.readers--;
        if (b.doomed && b.readers === 0) void this.#dispose(b);
      }
    });
  }

  /** Takes blocks out of service; each is closed and deleted once no querier reads it. */
  #retire(blocks: readonly OpenBlock[]): void {
    const gone = new Set(blocks);
    this.#blocks = this.#blocks.filter((b) => !gone.has(b));
    for (const b of blocks) {
      b.doomed = true;
      if (b.readers === 0) void this.#dispose(b);
    }
  }

  #dispose(b: OpenBlock): Promise<void> {
    const run = (async () => {
      await b.reader.close();
      await deleteBlocks(this.dir, [b.reader.meta.ulid]);
      this.#opts.logger.info('Deleted block', { block: b.reader.meta.ulid });
    })().catch((err: unknown) =>
      this.#opts.logger.error('Cannot delete block', { block: b.reader.meta.ulid, err: String(err) }),
    );
    this.#disposals.add(run);
    void run.finally(() => this.#disposals.delete(run));
    return run;
  }

  /** Adds a block just written under `this.dir`. */
  async #addBlock(ulid: string): Promise<void> {
    const dir = join(this.dir, ulid);
    this.#blocks = [...this.#blocks, openBlock(dir, await BlockReader.open(dir))].sort(
      (a, b) => a.reader.meta.minTime - b.reader.meta.minTime,
    );
  }

  /** The open blocks' metadata, oldest first. */
  blocks(): BlockMeta[] {
    return this.#blocks.map((b) => b.reader.meta);
  }

  /** Head statistics and cardinality tables. */
  headStats(limit?: number): HeadStats {
    return this.head.stats(limit);
  }

  /**
   * Runs maintenance now, after any run in progress: cuts blocks from the head while it spans more
   * than 1.5 ranges, then applies retention. Errors are logged, never thrown.
   */
  maintain(): Promise<void> {
    return this.#exclusive(async () => {
      if (this.#closed) return;
      try {
        let compacted = false;
        while (this.#headCompactable()) {
          await this.#compactHead();
          compacted = true;
        }
        // As Prometheus: out-of-order data goes to blocks when the in-order head was compacted.
        if (compacted) await this.#compactOooHead(this.head.minValidTime);
        await this.#compactBlocks();
        await this.#applyRetention();
        // Blocks no querier holds are deleted now; the rest when their last querier closes.
        await Promise.all(this.#disposals);
      } catch (err) {
        this.stats.maintenanceFailures++;
        this.#opts.logger.error('Database maintenance failed', { err: String(err) });
      }
    });
  }

  /**
   * Runs `job` after every earlier maintenance job or deletion: a deletion during a head
   * compaction would otherwise miss the chunks already written and be lost at truncation.
   */
  #exclusive<T>(job: () => Promise<T>): Promise<T> {
    const run = this.#maintenance.then(job);
    this.#maintenance = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  #headCompactable(): boolean {
    const h = this.head;
    return h.maxTime !== -Infinity && h.maxTime - h.minTime > (this.#opts.blockRange * 3) / 2;
  }

  /** Writes the head's oldest chunk range as a block, then truncates the head. */
  async #compactHead(): Promise<void> {
    const range = this.#opts.blockRange;
    const mint = Math.floor(this.head.minTime / range) * range;
    const maxt = mint + range;
    const started = performance.now();
    const meta = await writeBlockFromChunks(this.dir, headChunksIn(this.head, mint, maxt), {
      minTime: mint,
      maxTime: maxt,
    });
    if (meta !== undefined) {
      await this.#addBlock(meta.ulid);
      this.#opts.logger.info('Write block', {
        mint,
        maxt,
        ulid: meta.ulid,
        duration: `${((performance.now() - started) / 1000).toFixed(3)}s`,
      });
    }
    this.stats.compactions++;
    this.stats.headTruncations++;
    const removed = this.head.truncate(maxt);
    const oooRef = this.head.minOooChunkRef();
    this.#store.writer.truncateOlderThan(maxt, oooRef === Infinity ? Infinity : headChunkRefSeq(oooRef));
    this.#opts.logger.info('Head GC completed', { removedSeries: removed.size, mint: maxt });
    await this.#truncateWal(maxt);
  }

  /**
   * Writes the head's out-of-order data before `end` (the in-order head's start) into blocks, one
   * per block range (hinted `from-out-of-order`; overlaps with other blocks are merged by block
   * compaction), drops the chunks now wholly in blocks, and deletes the write-behind log segments
   * before the one cut at the start (every chunk kept was cut to `chunks_head/` first). Prometheus
   * writes newer ranges too; Vigil keeps them in the head until the in-order head passes them, so
   * no block reaches past the in-order head and the next start still replays all of its WAL (a
   * block past it would make the in-order samples there out of bounds). Samples arriving meanwhile
   * go to new chunks and segments and stay.
   */
  async #compactOooHead(end: number): Promise<void> {
    const head = this.head;
    const lastRef = head.cutOooHeads();
    if (lastRef === 0) return;
    const set = oooCompactionSet(head, lastRef);
    const firstKept = this.#wbl === undefined ? undefined : await this.#wbl.nextSegment();
    const range = this.#opts.blockRange;
    for (
      let mint = Math.floor(set.mint / range) * range;
      mint <= set.maxt && mint + range <= end;
      mint += range
    ) {
      const started = performance.now();
      const meta = await writeBlockFromChunks(this.dir, oooBlockSeries(set, mint, mint + range), {
        minTime: mint,
        maxTime: mint + range,
        compaction: { level: 1, hints: [HINT_FROM_OUT_OF_ORDER] },
      });
      if (meta === undefined) continue;
      await this.#addBlock(meta.ulid);
      this.stats.compactions++;
      this.#opts.logger.info('Write block from out-of-order head', {
        mint,
        maxt: mint + range,
        ulid: meta.ulid,
        duration: `${((performance.now() - started) / 1000).toFixed(3)}s`,
      });
    }
    const removed = head.truncateOoo(lastRef, end);
    if (firstKept !== undefined) await deleteSegmentsBefore(join(this.dir, WBL_DIRNAME), firstKept);
    this.#opts.logger.info('Out-of-order head GC completed', { removedSeries: removed.size });
  }

  /**
   * After a head truncation, folds the older two thirds of the WAL segments into a checkpoint that
   * keeps only live series and samples at or after `mint`, then deletes those segments (as
   * Prometheus does). The segment being written is never touched.
   */
  async #truncateWal(mint: number): Promise<void> {
    const walDir = join(this.dir, 'wal');
    const segments = await listSegments(walDir);
    if (segments.length === 0) return;
    const first = segments[0];
    const last = first + Math.floor(((this.#wal.segment - 1 - first) * 2) / 3);
    if (last <= first) return;
    const stats = await checkpoint(
      walDir,
      first,
      last,
      (ref) => this.head.series(ref) !== undefined,
      mint,
      { logger: this.#opts.logger },
      { tombstoneMint: this.head.oooTimeRange().mint },
    );
    this.stats.checkpoints++;
    await deleteSegmentsBefore(walDir, last + 1);
    // A snapshot taken in a deleted segment no longer lines up with the WAL.
    await deleteSnapshotsBefore(this.dir, last + 1, 0);
    this.#opts.logger.info('WAL checkpoint complete', {
      first,
      last,
      keptSeries: stats.totalSeries - stats.droppedSeries,
      keptSamples: stats.totalSamples - stats.droppedSamples,
    });
  }

  /** Merges blocks as the leveled planner says (2h → 6h → …), until it has nothing to do. */
  async #compactBlocks(): Promise<void> {
    const ranges = blockRanges(this.#opts.blockRange, defaultMaxBlockDuration(this.#opts.retentionTime));
    for (;;) {
      const plan = planCompaction(
        this.#blocks.map((b) => ({ dir: b.dir, meta: b.reader.meta })),
        ranges,
      );
      if (plan.length === 0) return;
      const started = performance.now();
      const result = await compactBlocks(this.dir, plan);
      this.stats.compactions++;
      if (result.meta !== undefined) await this.#addBlock(result.meta.ulid);
      const inputs = new Set(plan);
      this.#retire(this.#blocks.filter((b) => inputs.has(b.dir)));
      this.#opts.logger.info('Compact blocks', {
        count: plan.length,
        mint: result.meta?.minTime,
        maxt: result.meta?.maxTime,
        ulid: result.meta?.ulid,
        duration: `${((performance.now() - started) / 1000).toFixed(3)}s`,
      });
    }
  }

  /** Retires blocks past the retention time or beyond the retention size (oldest first). */
  async #applyRetention(): Promise<void> {
    const { retentionTime, retentionSize } = this.#opts;
    const blocks = await Promise.all(
      this.#blocks.map(async (b) => ({
        ulid: b.reader.meta.ulid,
        minTime: b.reader.meta.minTime,
        maxTime: b.reader.meta.maxTime,
        size: retentionSize > 0 ? await blockSize(b.dir) : 0,
      })),
    );
    const walBytes = retentionSize > 0 ? await blockSize(join(this.dir, 'wal')) : 0;
    const doomed = new Set([
      ...blocksBeyondTimeRetention(blocks, retentionTime),
      ...blocksBeyondSizeRetention(blocks, retentionSize, walBytes),
    ]);
    if (doomed.size === 0) return;
    this.#opts.logger.info('Deleting blocks past retention', { blocks: [...doomed].join(',') });
    this.#retire(this.#blocks.filter((b) => doomed.has(b.reader.meta.ulid)));
  }

  /**
   * Writes a consistent copy of the database into `dir` (the admin API's snapshot): every block
   * hard-linked (blocks are immutable), and with `withHead` the head's samples as one more block.
   */
  snapshot(dir: string, withHead: boolean): Promise<void> {
    return this.#exclusive(async () => {
      await mkdir(dir, { recursive: true });
      for (const b of this.#blocks) await linkTree(b.dir, join(dir, b.reader.meta.ulid));
      const h = this.head;
      if (withHead && h.maxTime !== -Infinity) {
        await writeBlockFromChunks(dir, headChunksIn(h, h.minTime, h.maxTime + 1), {
          minTime: h.minTime,
          maxTime: h.maxTime + 1,
        });
      }
    });
  }

  /**
   * Rewrites every block that has tombstones without the deleted samples (the admin API's
   * `clean_tombstones`).
   */
  cleanTombstones(): Promise<void> {
    return this.#exclusive(async () => {
      for (const b of this.#blocks.filter((x) => x.reader.allTombstones().length > 0)) {
        const result = await compactBlocks(this.dir, [b.dir]);
        if (result.meta !== undefined) await this.#addBlock(result.meta.ulid);
        this.#retire([b]);
      }
    });
  }

  /**
   * Deletes the samples of matching series in [mint, maxt]: tombstones in the head (logged to the
   * WAL) and in every overlapping block's tombstones file.
   */
  delete(mint: number, maxt: number, ...matchers: Matcher[]): Promise<void> {
    return this.#exclusive(() => this.#delete(mint, maxt, matchers));
  }

  async #delete(mint: number, maxt: number, matchers: Matcher[]): Promise<void> {
    const stones: Tombstone[] = [];
    for (const ref of postingsForMatchers(this.head.postings, matchers)) {
      const s = this.head.series(ref);
      if (s === undefined) continue;
      stones.push({ ref, mint, maxt });
    }
    if (stones.length > 0) {
      await this.#wal.log(encodeTombstonesRecord(stones));
      for (const st of stones) this.head.addTombstone(st.ref, { mint: st.mint, maxt: st.maxt });
    }
    for (const b of this.#blocks) {
      const m = b.reader.meta;
      if (m.maxTime <= mint || m.minTime > maxt) continue;
      const refs = postingsForMatchers(b.reader.index, matchers);
      if (refs.length === 0) continue;
      const all: Tombstone[] = [...b.reader.allTombstones()];
      for (const ref of refs)
        all.push({ ref, mint: Math.max(mint, m.minTime), maxt: Math.min(maxt, m.maxTime) });
      await writeTombstonesFile(join(b.dir, TOMBSTONES_FILENAME), all);
      b.reader.setTombstones(all);
      // As Prometheus: the count in meta.json is what the planner reads to rewrite the block.
      m.stats.numTombstones = all.length;
      await writeMetaFile(join(b.dir, META_FILENAME), m);
    }
  }

  /** Stops maintenance, waits for a running job, closes the WAL and the blocks, releases the lock. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#timer);
    await this.#maintenance;
    await this.#wal.close();
    await this.#wbl?.close();
    // Full chunks first: the snapshot names only open chunks and relies on chunks_head for the rest.
    await this.#store.writer.close();
    if (this.#opts.snapshotOnShutdown) {
      try {
        await writeHeadSnapshot(this.head, this.dir, this.#store.reader, this.#opts.logger);
      } catch (err) {
        this.#opts.logger.error('Cannot write the chunk snapshot; the next start replays the WAL', {
          err: String(err),
        });
      }
    }
    this.#store.reader.close();
    await Promise.all(this.#disposals);
    for (const b of this.#blocks) await b.reader.close();
    await this.#lock.release();
  }
}

/**
 * The head's samples within [mint, maxt) per series, sorted by labels in byte order: chunks inside
 * the range as they are; a chunk reaching across its edge (the block range changed between runs)
 * or holding deleted samples re-encoded with only the samples that belong, as Prometheus trims
 * head chunks for a block.
 */
function* headChunksIn(head: Head, mint: number, maxt: number): Generator<BlockChunkSeries> {
  const series = [...head.allSeries()].sort((a, b) => compareLabelsBytewise(a.labels, b.labels));
  for (const s of series) {
    const views = s.chunksIn(mint, maxt - 1);
    if (views.length === 0) continue;
    const deleted = head.tombstones(s.ref);
    const chunks: BlockChunk[] = [];
    for (const v of views) {
      if (deleted.length === 0 && v.mint >= mint && v.maxt < maxt)
        chunks.push({ mint: v.mint, maxt: v.maxt, chunk: new XorChunk(v.data()) });
      else {
        const kept = keptSamples(v, mint, maxt, deleted);
        if (kept !== undefined) chunks.push(kept);
      }
    }
    if (chunks.length > 0) yield { labels: s.labels, chunks };
  }
}

/** A chunk's samples within [mint, maxt) and not deleted, re-encoded; undefined when none are. */
function keptSamples(
  v: HeadChunkView,
  mint: number,
  maxt: number,
  deleted: readonly Interval[],
): BlockChunk | undefined {
  const fresh = new XorChunk();
  const app = fresh.appender();
  let first = 0;
  let last = 0;
  const it = new XorChunk(v.data()).iterator();
  while (it.next() === ValueType.Float) {
    const t = it.t();
    if (t < mint || t >= maxt || deleted.some((d) => t >= d.mint && t <= d.maxt)) continue;
    if (fresh.numSamples() === 0) first = t;
    last = t;
    app.append(t, it.v());
  }
  return fresh.numSamples() > 0 ? { mint: first, maxt: last, chunk: fresh } : undefined;
}

/** Recreates the tree `from` at `to` with hard links to its files. */
async function linkTree(from: string, to: string): Promise<void> {
  await mkdir(to, { recursive: true });
  for (const e of await readdir(from, { withFileTypes: true })) {
    if (e.isDirectory()) await linkTree(join(from, e.name), join(to, e.name));
    else await link(join(from, e.name), join(to, e.name));
  }
}

/** Removes temporary directories a crash left behind. */
async function removeLeftovers(dir: string, log: Logger): Promise<void> {
  for (const name of await readdir(dir)) {
    if (name.endsWith('.tmp-for-creation') || name.endsWith('.tmp-for-deletion') || name.endsWith('.tmp')) {
      await rm(join(dir, name), { recursive: true, force: true });
      log.info('Removed leftover temporary directory', { dir: name });
    }
  }
}

/** Opens every block directory (one holding a meta.json), oldest first. */
async function openBlocks(dir: string, log: Logger): Promise<OpenBlock[]> {
  const out: OpenBlock[] = [];
  for (const name of await readdir(dir)) {
    const path = join(dir, name);
    const hasMeta = await stat(join(path, META_FILENAME)).then(
      (s) => s.isFile(),
      () => false,
    );
    if (!hasMeta) continue;
    try {
      out.push(openBlock(path, await BlockReader.open(path)));
    } catch (err) {
      log.error('Cannot open block, leaving it out', { block: name, err: String(err) });
    }
  }
  return out.sort((a, b) => a.reader.meta.minTime - b.reader.meta.minTime);
}
