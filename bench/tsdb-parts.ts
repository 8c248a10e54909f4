/**
 * The parts of `npm run bench:tsdb`, each run in its own child process by `tsdb.bench.ts` so that
 * memory and start-up figures are the part's alone. A part prints one JSON line of figures last.
 *
 * `node --expose-gc dist/bench/tsdb-parts.js <part> <json options>`; parts: append, blocks,
 * memory, ingest-then-kill, open. With `HEAP_SNAPSHOT=file`, the memory part writes a heap
 * snapshot of the full head (open it in Chrome DevTools to see what holds the memory).
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { writeHeapSnapshot } from 'node:v8';
import { Labels } from '../src/model/labels.js';
import { Matcher } from '../src/model/matcher.js';
import type { Appendable, Querier, SampleIterator } from '../src/storage/interface.js';
import { ValueType } from '../src/storage/interface.js';
import { DB } from '../src/tsdb/db.js';
import { noopLogger } from '../src/util/logger.js';
import { HeadChunkReader, HeadChunkWriter } from '../src/tsdb/chunks/head-chunks.js';
import { DiskChunkStore } from '../src/tsdb/head/chunk-store.js';
import { Head } from '../src/tsdb/head/head.js';
import { HeadQuerier } from '../src/tsdb/head/querier.js';
import {
  INTERVAL,
  NodeExporterData,
  SERIES_PER_TARGET,
  START,
  instanceOf,
  labelsFor,
} from './node-exporter-data.js';

const HOUR = 3_600_000;

/** Options the parent passes as JSON. */
export interface PartOptions {
  dir?: string;
  series: number;
  /** Scrape rounds (samples per series). */
  rounds: number;
  /** Series a `select` touches (a multiple of 1,000). */
  selectSeries?: number;
}

/** CPU and wall time of a stretch of work. */
export interface Timing {
  wallS: number;
  cpuS: number;
}

function timer(): () => Timing {
  const w0 = performance.now();
  const c0 = process.cpuUsage();
  return () => {
    const c = process.cpuUsage(c0);
    return { wallS: (performance.now() - w0) / 1000, cpuS: (c.user + c.system) / 1e6 };
  };
}

function gc(): void {
  // Run with --expose-gc; twice, as the first pass may leave finalisation work for a second.
  const f = (globalThis as { gc?: () => void }).gc;
  if (f === undefined) throw new Error('run with --expose-gc');
  f();
  f();
}

/** Memory in use after GC; `heapTotal` is what V8 has reserved for its heap (used + free space). */
function memory(): {
  rss: number;
  heap: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
} {
  gc();
  const m = process.memoryUsage();
  return {
    rss: m.rss,
    heap: m.heapUsed,
    heapTotal: m.heapTotal,
    external: m.external,
    arrayBuffers: m.arrayBuffers,
  };
}

/**
 * Scrape rounds `from`..`to`-1 of every target, as the scrape loop appends: one transaction per
 * target, series refs cached after the first append, commit awaited before the next scrape.
 */
export async function ingest(
  db: Appendable,
  gen: NodeExporterData,
  refs: Float64Array,
  from: number,
  to: number,
): Promise<number> {
  let samples = 0;
  const n = gen.series;
  for (let k = from; k < to; k++) {
    for (let target = 0; target * SERIES_PER_TARGET < n; target++) {
      const app = db.appender();
      const t = gen.time(k, target);
      const end = Math.min(n, (target + 1) * SERIES_PER_TARGET);
      for (let i = target * SERIES_PER_TARGET; i < end; i++) {
        const ref = refs[i];
        // A cached ref needs no labels (the scrape cache's hit); build them only on a miss.
        refs[i] = app.append(ref, ref > 0 ? Labels.EMPTY : labelsFor(i), t, gen.next(i));
      }
      await app.commit();
      samples += end - target * SERIES_PER_TARGET;
    }
  }
  return samples;
}

/**
 * Reads every sample of every series matching the first `selectSeries / 1000` targets, `rounds`
 * times; returns samples decoded per second of wall time and CPU time.
 */
function selectThroughput(
  open: () => Querier,
  selectSeries: number,
  rounds: number,
): { series: number; samples: number; wallS: number; cpuS: number; firstWallS: number } {
  const targets = Math.max(1, Math.round(selectSeries / SERIES_PER_TARGET));
  const instances = Array.from({ length: targets }, (_, t) => instanceOf(t)).join('|');
  const m = new Matcher('=~', 'instance', instances);
  let series = 0;
  let samples = 0;
  let sink = 0;
  let firstWallS = 0;
  const t = timer();
  for (let r = 0; r < rounds; r++) {
    const f = timer();
    const q = open();
    const set = q.select(false, undefined, m);
    let it: SampleIterator | undefined;
    while (set.next()) {
      it = set.at().iterator(it);
      series++;
      while (it.next() === ValueType.Float) {
        sink += it.v();
        samples++;
      }
    }
    q.close();
    if (r === 0) firstWallS = f().wallS;
  }
  const timing = t();
  if (sink === -1) console.log('unreachable');
  return { series: series / rounds, samples, ...timing, firstWallS };
}

async function blockBytes(dir: string): Promise<{ chunks: number; index: number }> {
  let chunks = 0;
  for (const f of await readdir(join(dir, 'chunks'))) chunks += (await stat(join(dir, 'chunks', f))).size;
  return { chunks, index: (await stat(join(dir, 'index'))).size };
}

/** Append throughput, with the DB's WAL (`wal`) or into a bare head. */
async function partAppend(o: PartOptions & { wal: boolean; warmup: number }): Promise<object> {
  const gen = new NodeExporterData(o.series);
  const refs = new Float64Array(o.series);
  const db = o.wal ? await DB.open(o.dir!, { maintenanceInterval: 0 }) : undefined;
  const target: Appendable = db ?? new Head({ chunkRange: 2 * HOUR });
  const t0 = timer();
  await ingest(target, gen, refs, 0, 1);
  const first = t0();
  await ingest(target, gen, refs, 1, 1 + o.warmup);
  const t1 = timer();
  const samples = await ingest(target, gen, refs, 1 + o.warmup, 1 + o.warmup + o.rounds);
  const timed = t1();
  await db?.close();
  // The generator alone over as many samples, to show its share of the figure.
  const g = new NodeExporterData(o.series);
  const t2 = timer();
  let sink = 0;
  for (let k = 0; k < o.rounds; k++) for (let i = 0; i < o.series; i++) sink += g.next(i);
  const genT = t2();
  if (sink === -1) console.log('unreachable');
  return { samples, firstScrapeRound: first, timed, generator: genT };
}

/** Ingests past 1.5 block ranges, lets the DB cut blocks, measures them and selects from them. */
async function partBlocks(o: PartOptions): Promise<object> {
  const gen = new NodeExporterData(o.series);
  const refs = new Float64Array(o.series);
  const db = await DB.open(o.dir!, { maintenanceInterval: 0 });
  const t0 = timer();
  const ingested = await ingest(db, gen, refs, 0, o.rounds);
  const ingestT = t0();
  const t1 = timer();
  await db.maintain();
  const maintainT = t1();
  const blocks = [];
  for (const meta of db.blocks()) {
    const bytes = await blockBytes(join(o.dir!, meta.ulid));
    blocks.push({
      ulid: meta.ulid,
      minTime: meta.minTime,
      maxTime: meta.maxTime,
      samples: meta.stats.numSamples,
      series: meta.stats.numSeries,
      chunkCount: meta.stats.numChunks,
      ...bytes,
    });
  }
  const first = db.blocks()[0];
  const select =
    first === undefined
      ? undefined
      : selectThroughput(() => db.querier(first.minTime, first.maxTime - 1), o.selectSeries ?? 10_000, 5);
  await db.close();
  return { ingested, ingest: ingestT, maintain: maintainT, blocks, select };
}

/**
 * Memory of a head holding `rounds` samples of `series` series, its full chunks in `chunks_head/`
 * as the DB keeps them; then selects from it.
 */
async function partMemory(o: PartOptions): Promise<object> {
  const gen = new NodeExporterData(o.series);
  const refs = new Float64Array(o.series);
  const before = memory();
  const reader = HeadChunkReader.open(join(o.dir!, 'chunks_head'), { logger: noopLogger });
  const store = new DiskChunkStore(HeadChunkWriter.open(reader), reader);
  const head = new Head({ chunkRange: 2 * HOUR, chunkStore: store });
  const t0 = timer();
  const samples = await ingest(head, gen, refs, 0, o.rounds);
  const ingestT = t0();
  const after = memory();
  // HEAP_SNAPSHOT=file writes a heap snapshot of the full head, to see what holds the memory.
  const snapshot = process.env['HEAP_SNAPSHOT'];
  if (snapshot !== undefined) writeHeapSnapshot(snapshot);
  const stats = head.stats(1);
  const select = selectThroughput(
    () => new HeadQuerier(head, START, START + o.rounds * INTERVAL),
    o.selectSeries ?? 10_000,
    5,
  );
  return {
    samples,
    ingest: ingestT,
    numSeries: head.numSeries,
    chunkCount: stats.chunkCount,
    before,
    after,
    select,
  };
}

/** Ingests into a DB with its WAL, reports, then dies by SIGKILL (no close). */
async function partIngestThenKill(o: PartOptions): Promise<void> {
  const gen = new NodeExporterData(o.series);
  const refs = new Float64Array(o.series);
  const db = await DB.open(o.dir!, { maintenanceInterval: 0 });
  const t0 = timer();
  const samples = await ingest(db, gen, refs, 0, o.rounds);
  const ingestT = t0();
  const line = JSON.stringify({ samples, ingest: ingestT, numSeries: db.head.numSeries }) + '\n';
  process.stdout.write(line, () => process.kill(process.pid, 'SIGKILL'));
}

/** Opens the DB (the WAL replay), reports the time to ready, then closes it cleanly. */
async function partOpen(o: PartOptions): Promise<object> {
  const t0 = timer();
  const db = await DB.open(o.dir!, { maintenanceInterval: 0 });
  const open = t0();
  const uptimeAtReadyS = process.uptime();
  const numSeries = db.head.numSeries;
  const mem = memory();
  const t1 = timer();
  await db.close();
  return { open, uptimeAtReadyS, numSeries, headMaxTime: db.head.maxTime, mem, close: t1() };
}

async function main(): Promise<void> {
  const [part, json] = process.argv.slice(2);
  const o = JSON.parse(json ?? '{}') as PartOptions & { wal: boolean; warmup: number };
  let out: object;
  switch (part) {
    case 'append':
      out = await partAppend(o);
      break;
    case 'blocks':
      out = await partBlocks(o);
      break;
    case 'memory':
      out = await partMemory(o);
      break;
    case 'ingest-then-kill':
      await partIngestThenKill(o);
      return;
    case 'open':
      out = await partOpen(o);
      break;
    default:
      throw new Error(`unknown part ${part}`);
  }
  process.stdout.write(JSON.stringify(out) + '\n');
}

await main();
