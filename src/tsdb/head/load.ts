/**
 * Start-up of the head, fastest source first, as Prometheus does: full chunks from `chunks_head/`
 * (never replayed from the WAL), then the memory snapshot of the last clean shutdown (series and
 * their open chunks), then only the WAL written after the snapshot. After a crash the snapshot is
 * older, and more of the WAL is replayed; a snapshot that cannot be read is dropped and the whole
 * WAL replayed instead. Out-of-order chunks in `chunks_head/` and the whole write-behind log
 * (`wbl/`, never covered by the snapshot) come last. Shutdown writes the snapshot:
 * `writeHeadSnapshot`.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Labels } from '../../model/labels.js';
import type { Logger } from '../../util/logger.js';
import { Encoding } from '../chunkenc/chunk.js';
import { HeadChunkReader, HeadChunkWriter } from '../chunks/head-chunks.js';
import { deleteSnapshotsBefore, lastSnapshot, walPosition } from '../snapshot/dir.js';
import { SnapshotRecordType, SnapshotSeriesCursor, decodeSnapshotRecord } from '../snapshot/format.js';
import { visitSnapshotRecords } from '../snapshot/reader.js';
import { writeSnapshot } from '../snapshot/writer.js';
import type { SnapshotSeriesInput } from '../snapshot/writer.js';
import type { ReplayStart } from '../wlog/checkpoint.js';
import { DiskChunkStore } from './chunk-store.js';
import { scanHeadChunkFiles, takeHeadChunksIndex, writeHeadChunksIndex } from './chunks-index.js';
import type { HeadChunksInventory } from './chunks-index.js';
import { Head } from './head.js';
import { replayWal } from './replay.js';
import type { ReplayStats } from './replay.js';
import { replayWbl } from './replay-wbl.js';
import type { WblReplayStats } from './replay-wbl.js';

export const HEAD_CHUNKS_DIRNAME = 'chunks_head';
/** The write-behind log's directory, Prometheus' name. */
export const WBL_DIRNAME = 'wbl';

/** What loading needs. */
export interface HeadLoadOptions {
  dataDir: string;
  chunkRange: number;
  /** Samples before this are in blocks already. */
  minValidTime: number;
  logger: Logger;
  onReplayProgress?: (current: number, last: number) => void;
  /** The out-of-order window, ms (0: none). */
  outOfOrderTimeWindow?: number;
  /** Samples per out-of-order head chunk. */
  oooCapMax?: number;
}

/** A loaded head and what it came from. */
export interface LoadedHead {
  head: Head;
  store: DiskChunkStore;
  replay: ReplayStats;
  /** The write-behind log replay, when `wbl/` exists. */
  wblReplay: WblReplayStats | undefined;
  /** Series restored from a snapshot (0 without one). */
  snapshotSeries: number;
}

/** Opens `chunks_head/`, restores the snapshot if there is a usable one, and replays the WAL after it. */
export async function loadHead(o: HeadLoadOptions): Promise<LoadedHead> {
  const log = o.logger;
  const reader = HeadChunkReader.open(join(o.dataDir, HEAD_CHUNKS_DIRNAME), { logger: log });
  const snap = await lastSnapshot(o.dataDir);
  const saved = snap === undefined ? undefined : await takeHeadChunksIndex(snap.dir, reader, o.minValidTime);
  let chunks: HeadChunksInventory;
  if (saved !== undefined && !('unusable' in saved)) {
    chunks = saved;
    log.info('Head chunk index read', { chunks: chunks.chunks, series: chunks.series });
  } else {
    if (saved !== undefined && saved.unusable !== 'no index')
      log.info('Head chunk index not used; reading the chunk files', { reason: saved.unusable });
    chunks = scanHeadChunkFiles(reader, o.minValidTime);
    if (chunks.chunks > 0)
      log.info('Loaded on-disk head chunks', { chunks: chunks.chunks, series: chunks.series });
  }
  const store = new DiskChunkStore(HeadChunkWriter.open(reader), reader);

  const fresh = (): Head => {
    const h = new Head({
      chunkRange: o.chunkRange,
      logger: log,
      chunkStore: store,
      outOfOrderTimeWindow: o.outOfOrderTimeWindow,
      oooCapMax: o.oooCapMax,
    });
    h.setMinValidTime(o.minValidTime);
    h.setMmappedChunks(chunks.inOrder);
    // A copy: the head takes entries out of it.
    h.setMmappedOooChunks(new Map(chunks.ooo));
    return h;
  };
  let head = fresh();
  let from: ReplayStart | undefined;
  let snapshotSeries = 0;
  if (snap !== undefined) {
    try {
      snapshotSeries = await restoreSnapshot(head, snap.dir);
      from = { segment: snap.segment, offset: snap.offset };
      log.info('Chunk snapshot loaded', { dir: snap.dir, series: snapshotSeries });
    } catch (err) {
      log.warn('Cannot read the chunk snapshot; replaying the whole WAL instead', {
        dir: snap.dir,
        err: String(err),
      });
      head = fresh();
      snapshotSeries = 0;
    }
  }
  const replay = await replayWal(head, join(o.dataDir, 'wal'), log, from, o.onReplayProgress);
  head.finishRestore();
  const wblDir = join(o.dataDir, WBL_DIRNAME);
  let wblReplay: WblReplayStats | undefined;
  if (await hasSegments(wblDir)) {
    wblReplay = await replayWbl(head, wblDir, chunks.lastRef, log);
    log.info('Out-of-order WBL replay completed', { ...wblReplay });
  }
  return { head, store, replay, wblReplay, snapshotSeries };
}

async function hasSegments(dir: string): Promise<boolean> {
  try {
    return (await readdir(dir)).some((n) => /^\d+$/.test(n));
  } catch {
    return false;
  }
}

/**
 * Restores the series of snapshot `dir`, each with its open chunk. Series records are read in
 * place (`SnapshotSeriesCursor`), label strings interned from their bytes: at a million series
 * decoding each record into objects first cost more than creating the series.
 */
async function restoreSnapshot(head: Head, dir: string): Promise<number> {
  const cursor = new SnapshotSeriesCursor((b, start, end) => head.labelStrings.internUtf8(b, start, end));
  let n = 0;
  await visitSnapshotRecords(dir, (rec, where) => {
    if (rec[0] !== SnapshotRecordType.Series) {
      const other = decodeSnapshotRecord(rec, where);
      if (other.kind === 'tombstones')
        for (const t of other.tombstones) head.addTombstone(t.ref, { mint: t.mint, maxt: t.maxt });
      return;
    }
    cursor.read(rec, where);
    const s = head.restoreSeries({ ref: cursor.ref, labels: Labels.fromPairs(cursor.pairs) }, true);
    if (cursor.hasChunk && cursor.chunkEncoding === Encoding.XOR && cursor.chunkMaxt > s.lastT) {
      // The chunk's bytes are copied into the head's buffer pool: the view may be passed.
      s.restore([], {
        mint: cursor.chunkMint,
        maxt: cursor.chunkMaxt,
        bytes: cursor.chunkData,
        lastV: cursor.lastValue(),
      });
      head.noteTime(cursor.chunkMint);
      head.noteTime(cursor.chunkMaxt);
    }
    n++;
  });
  return n;
}

/**
 * Writes the head's memory snapshot at the WAL's current end. Call it on shutdown after the WAL
 * and the chunk store are flushed and closed: the snapshot names only open chunks, and full
 * chunks must already be in `chunks_head/`.
 */
export async function writeHeadSnapshot(
  head: Head,
  dataDir: string,
  chunkFiles: HeadChunkReader,
  logger: Logger,
): Promise<void> {
  const position = await walPosition(join(dataDir, 'wal'));
  if (position === undefined) return;
  const started = performance.now();
  const series = function* (): Generator<SnapshotSeriesInput> {
    for (const s of head.allSeries()) {
      const open = s.head !== undefined && s.head.numSamples() > 0 ? s.head : undefined;
      yield {
        ref: s.ref,
        labels: s.labels,
        chunkRange: head.chunkRange,
        headChunk:
          open === undefined
            ? undefined
            : {
                mint: s.headMint,
                maxt: s.lastT,
                encoding: Encoding.XOR,
                data: open.bytes(),
                // Only the newest slot, as Prometheus 2.42 writes it: no chunk decoding on shutdown.
                sampleTimes: Float64Array.of(0, 0, 0, s.lastT),
                sampleValues: lastValueSlots(s.lastV),
              },
      };
    }
  };
  const tombstones = [...head.allTombstones()].flatMap(([ref, ivs]) =>
    ivs.map((iv) => ({ ref, mint: iv.mint, maxt: iv.maxt })),
  );
  const result = await writeSnapshot(dataDir, position, { series: series(), tombstones }, { logger });
  // Only beside a snapshot of this head: an older one's series may own chunks this head dropped.
  if (!result.skipped) await writeHeadChunksIndex(result.dir, head, chunkFiles);
  await deleteSnapshotsBefore(dataDir, position.segment, position.offset);
  logger.info('Chunk snapshot written', {
    series: result.series,
    duration: `${((performance.now() - started) / 1000).toFixed(3)}s`,
  });
}

/** The sample-buffer values with only the newest slot set (a Float64Array keeps NaN payloads). */
function lastValueSlots(v: number): Float64Array {
  const out = new Float64Array(4);
  out[3] = v;
  return out;
}
