/**
 * The head of a data directory for `vigil tsdb dump`, read-only. The in-order samples come from
 * its WAL (`DIR/wal`): the newest checkpoint, then the later segments; series, samples and
 * tombstone records. As Prometheus' replay: samples before `minValidTime` (the end of the newest
 * block) are dropped, and so is each sample not newer than the series' previous one. The
 * out-of-order samples (`chunks_head/` and the write-behind log `wbl/`, `tsdb-dump-ooo.ts`) are
 * then merged in by time, the in-order sample winning at equal times as in the server's queries.
 * Nothing in the directory is changed.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Labels } from '../model/labels.js';
import { ValueType } from '../storage/interface.js';
import { XorChunk } from '../tsdb/chunkenc/index.js';
import type { HeadChunkView } from '../tsdb/head/series.js';
import { compareLabelsBytewise } from '../tsdb/index/index.js';
import {
  decodeSamples,
  decodeSeries,
  decodeTombstonesRecord,
  newSampleBatch,
  RecordType,
} from '../tsdb/record/index.js';
import type { Tombstone } from '../tsdb/tombstones/index.js';
import { WalReader } from '../tsdb/wlog/index.js';
import { MergedSampleIterator } from '../tsdb/querier/chunk-iterator.js';
import { OooHead, scanHeadChunks } from './tsdb-dump-ooo.js';
import { SampleColumns } from './tsdb-series-source.js';

/** One head series with its samples in time order (values bit-exact). */
export interface HeadSeries {
  readonly labels: Labels;
  /** Smallest WAL ref of the series: the order Prometheus lists an unsorted head in. */
  readonly ref: number;
  n: number;
  t: Float64Array;
  v: Float64Array;
  stones: Tombstone[];
}

/** The head: series sorted by labels, and any warning met while reading. */
export interface DumpHead {
  readonly series: HeadSeries[];
  /** Earliest in-order sample (Infinity when none): Prometheus' `head.MinTime()`. */
  readonly minTime: number;
  /** Earliest and latest out-of-order sample (Infinity/-Infinity when none). */
  readonly oooMinTime: number;
  readonly oooMaxTime: number;
  readonly warnings: string[];
}

/** Whether `p` is a directory. */
export async function isDir(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false;
  }
}

/** Reads the head of the data directory `dir`; an absent WAL is an empty head. */
export async function readHead(dir: string, minValidTime: number): Promise<DumpHead> {
  const warnings: string[] = [];
  const walDir = join(dir, 'wal');
  const empty = { series: [], minTime: Infinity, oooMinTime: Infinity, oooMaxTime: -Infinity, warnings };
  if (!(await isDir(walDir))) return empty;
  const byRef = new Map<number, HeadSeries>();
  const byKey = new Map<string, HeadSeries>();
  const checkpoints = (await readdir(walDir))
    .map((n) => /^checkpoint\.(\d+)$/.exec(n))
    .filter((m): m is RegExpExecArray => m !== null)
    .sort((a, b) => Number(a[1]) - Number(b[1]));
  const last = checkpoints[checkpoints.length - 1];
  let after = -1;
  if (last !== undefined) {
    after = Number(last[1]);
    await replay(join(walDir, last[0]), -1, byRef, byKey, minValidTime, warnings);
  }
  await replay(walDir, after, byRef, byKey, minValidTime, warnings);
  let minTime = Infinity;
  for (const s of byKey.values()) if (s.n > 0 && s.t[0] < minTime) minTime = s.t[0];

  const ooo = await mergeOooHead(dir, byRef, warnings);
  const series = [...byKey.values()].filter((s) => s.n > 0);
  series.sort((a, b) => compareLabelsBytewise(a.labels, b.labels));
  return { series, minTime, oooMinTime: ooo.mint, oooMaxTime: ooo.maxt, warnings };
}

/**
 * Rebuilds the out-of-order head of `dir` for the series of `byRef` and merges it into their
 * samples; returns its time range (Infinity/-Infinity when empty).
 */
async function mergeOooHead(
  dir: string,
  byRef: Map<number, HeadSeries>,
  warnings: string[],
): Promise<{ mint: number; maxt: number }> {
  // Out-of-order chunks are kept whatever their age: no minimum applies to them at start-up.
  const ooo = new OooHead((ref) => byRef.has(ref));
  const scan = await scanHeadChunks(join(dir, 'chunks_head'), warnings);
  ooo.restore(scan.ooo);
  const wblDir = join(dir, 'wbl');
  if (await isDir(wblDir)) await ooo.replayWbl(wblDir, scan.lastRef, warnings);
  // Several WAL refs may name one series (its labels): their chunks are merged together.
  const bySeries = new Map<HeadSeries, HeadChunkView[]>();
  let mint = Infinity;
  let maxt = -Infinity;
  for (const [ref, s] of byRef) {
    const chunks = ooo.chunks(ref);
    if (chunks.length === 0) continue;
    for (const c of chunks) {
      mint = Math.min(mint, c.mint);
      maxt = Math.max(maxt, c.maxt);
    }
    const list = bySeries.get(s);
    if (list === undefined) bySeries.set(s, chunks);
    else list.push(...chunks);
  }
  for (const [s, chunks] of bySeries) mergeOoo(s, chunks);
  return { mint, maxt };
}

/**
 * Merges out-of-order chunks into a series' in-order samples by time: the in-order sample wins
 * at equal times, then the chunk cut first, as the server's head querier merges them.
 */
function mergeOoo(hs: HeadSeries, chunks: readonly HeadChunkView[]): void {
  const it = new MergedSampleIterator(chunks.map((c) => new XorChunk(c.data()).iterator()));
  const out = new SampleColumns();
  const one = new Float64Array(1);
  let i = 0;
  let more = it.next() === ValueType.Float;
  while (more || i < hs.n) {
    if (!more || (i < hs.n && hs.t[i] <= it.t())) {
      if (more && hs.t[i] === it.t()) more = it.next() === ValueType.Float;
      out.push(hs.t[i], hs.v, i);
      i++;
    } else {
      // Through a Float64Array, as everywhere in the dump: the NaN payload is kept.
      one[0] = it.v();
      out.push(it.t(), one, 0);
      more = it.next() === ValueType.Float;
    }
  }
  const err = it.err();
  if (err !== undefined)
    throw new Error(`read out-of-order chunks of ${hs.labels.toString()}`, { cause: err });
  hs.t = out.t;
  hs.v = out.v;
  hs.n = out.n;
}

async function replay(
  dir: string,
  afterSegment: number,
  byRef: Map<number, HeadSeries>,
  byKey: Map<string, HeadSeries>,
  minValidTime: number,
  warnings: string[],
): Promise<void> {
  const r = await WalReader.open(dir);
  const batch = newSampleBatch(1024);
  try {
    while (await r.next()) {
      if (r.segment <= afterSegment) continue;
      const rec = r.record();
      switch (rec[0]) {
        case RecordType.Series:
          for (const s of decodeSeries(rec)) {
            let hs = byKey.get(s.labels.key);
            if (hs === undefined) {
              hs = {
                labels: s.labels,
                ref: s.ref,
                n: 0,
                t: new Float64Array(16),
                v: new Float64Array(16),
                stones: [],
              };
              byKey.set(s.labels.key, hs);
            }
            byRef.set(s.ref, hs);
          }
          break;
        case RecordType.Samples: {
          const b = decodeSamples(rec, batch);
          for (let i = 0; i < b.length; i++) {
            const hs = byRef.get(b.refs[i]);
            const t = b.timestamps[i];
            if (hs === undefined || t < minValidTime) continue;
            if (hs.n > 0 && hs.t[hs.n - 1] >= t) continue;
            if (hs.n === hs.t.length) grow(hs);
            hs.t[hs.n] = t;
            // Copy from one Float64Array to another: the NaN payload (staleness marker) survives.
            hs.v[hs.n] = b.values[i];
            hs.n++;
          }
          break;
        }
        case RecordType.Tombstones:
          for (const s of decodeTombstonesRecord(rec)) byRef.get(s.ref)?.stones.push(s);
          break;
        default:
          break;
      }
    }
    const err = r.err();
    if (err !== undefined) warnings.push(`read WAL ${dir}: ${err.message}; later records ignored`);
  } finally {
    await r.close();
  }
}

function grow(hs: HeadSeries): void {
  const t = new Float64Array(hs.t.length * 2);
  t.set(hs.t);
  const v = new Float64Array(hs.v.length * 2);
  v.set(hs.v);
  hs.t = t;
  hs.v = v;
}
