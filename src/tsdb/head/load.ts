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
import type { Logger } from '../../util/logger.js';
import { Encoding } from '../chunkenc/chunk.js';
import { HeadChunkReader, HeadChunkWriter } from '../chunks/head-chunks.js';
import { deleteSnapshotsBefore, lastSnapshot, walPosition } from '../snapshot/dir.js';
import { readSnapshot } from '../snapshot/reader.js';
import { writeSnapshot } from '../snapshot/writer.js';
import type { SnapshotSeriesInput } from '../snapshot/writer.js';
import type { ReplayStart } from '../wlog/checkpoint.js';
import { DiskChunkStore } from './chunk-store.js';
import { Head } from './head.js';
import { replayWal } from './replay.js';
import type { ReplayStats } from './replay.js';
import { replayWbl } from './replay-wbl.js';
import type { WblReplayStats } from './replay-wbl.js';
import type { MmappedChunk } from './series.js';

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
  const mmapped = new Map<number, number[]>();
  const mmappedOoo = new Map<number, MmappedChunk[]>();
  let chunks = 0;
  let lastRef = 0;
  for (const m of reader.iterate()) {
    lastRef = m.ref;
    if (m.encoding !== Encoding.XOR) continue;
    if (m.ooo) {
      // Out-of-order chunks may be of any age: the in-order minimum does not bound them.
      const c = { mint: m.mint, maxt: m.maxt, ref: m.ref };
      const list = mmappedOoo.get(m.seriesRef);
      if (list === undefined) mmappedOoo.set(m.seriesRef, [c]);
      else list.push(c);
    } else {
      if (m.maxt < o.minValidTime) continue;
      const list = mmapped.get(m.seriesRef);
      if (list === undefined) mmapped.set(m.seriesRef, [m.mint, m.maxt, m.ref]);
      else list.push(m.mint, m.maxt, m.ref);
    }
    chunks++;
  }
  for (const [ref, list] of mmapped) if (!inTimeOrder(list)) mmapped.set(ref, sortedByMint(list));
  if (chunks > 0) log.info('Loaded on-disk head chunks', { chunks, series: mmapped.size + mmappedOoo.size });
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
    // Copies of the maps (the head takes entries out of them); the lists themselves are not changed.
    h.setMmappedChunks(new Map(mmapped));
    h.setMmappedOooChunks(new Map(mmappedOoo));
    return h;
  };
  let head = fresh();
  let from: ReplayStart | undefined;
  let snapshotSeries = 0;
  const snap = await lastSnapshot(o.dataDir);
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
  head.dropUnclaimedChunks();
  const wblDir = join(o.dataDir, WBL_DIRNAME);
  let wblReplay: WblReplayStats | undefined;
  if (await hasSegments(wblDir)) {
    wblReplay = await replayWbl(head, wblDir, lastRef, log);
    log.info('Out-of-order WBL replay completed', { ...wblReplay });
  }
  return { head, store, replay, wblReplay, snapshotSeries };
}

/** Whether chunk triples are in time order (as the chunk writer leaves them, one series at a time). */
function inTimeOrder(triples: readonly number[]): boolean {
  for (let i = 3; i < triples.length; i += 3) if (triples[i] < triples[i - 3]) return false;
  return true;
}

/** Chunk triples sorted by their first timestamp. */
function sortedByMint(triples: readonly number[]): number[] {
  const order = Array.from({ length: triples.length / 3 }, (_, i) => i * 3);
  order.sort((a, b) => triples[a] - triples[b]);
  return order.flatMap((i) => [triples[i], triples[i + 1], triples[i + 2]]);
}

async function hasSegments(dir: string): Promise<boolean> {
  try {
    return (await readdir(dir)).some((n) => /^\d+$/.test(n));
  } catch {
    return false;
  }
}

async function restoreSnapshot(head: Head, dir: string): Promise<number> {
  let n = 0;
  for await (const rec of readSnapshot(dir)) {
    if (rec.kind === 'series') {
      const { ref, labels, headChunk } = rec.series;
      const s = head.restoreSeries({ ref, labels });
      if (headChunk !== undefined && headChunk.encoding === Encoding.XOR && headChunk.maxt > s.lastT) {
        s.restore([], {
          mint: headChunk.mint,
          maxt: headChunk.maxt,
          bytes: headChunk.data,
          lastV: headChunk.sampleValues[headChunk.sampleValues.length - 1],
        });
        head.noteTime(headChunk.mint);
        head.noteTime(headChunk.maxt);
      }
      n++;
    } else if (rec.kind === 'tombstones') {
      for (const t of rec.tombstones) head.addTombstone(t.ref, { mint: t.mint, maxt: t.maxt });
    }
  }
  return n;
}

/**
 * Writes the head's memory snapshot at the WAL's current end. Call it on shutdown after the WAL
 * and the chunk store are flushed and closed: the snapshot names only open chunks, and full
 * chunks must already be in `chunks_head/`.
 */
export async function writeHeadSnapshot(head: Head, dataDir: string, logger: Logger): Promise<void> {
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
