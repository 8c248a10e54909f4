/**
 * The head of a data directory for `vigil tsdb dump`, read-only from its WAL (`DIR/wal`): the
 * newest checkpoint, then the later segments; series, samples and tombstone records. As
 * Prometheus' replay: samples before `minValidTime` (the end of the newest block) are dropped, and
 * so is each sample not newer than the series' previous one. Nothing in the directory is changed.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Labels } from '../model/labels.js';
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

/** The WAL head: series sorted by labels, and any warning met while reading. */
export interface WalHead {
  readonly series: HeadSeries[];
  readonly warnings: string[];
}

async function exists(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false;
  }
}

/** Reads the head of `walDir`; an absent WAL is an empty head. */
export async function readWalHead(walDir: string, minValidTime: number): Promise<WalHead> {
  const warnings: string[] = [];
  if (!(await exists(walDir))) return { series: [], warnings };
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
  const series = [...byKey.values()].filter((s) => s.n > 0);
  series.sort((a, b) => compareLabelsBytewise(a.labels, b.labels));
  return { series, warnings };
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
