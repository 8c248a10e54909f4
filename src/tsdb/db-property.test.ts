/**
 * Property test: random appends, rollbacks and deletes against a plain in-memory model, with block
 * cutting, block compaction and reopening interleaved. After every step the
 * DB answers exactly what the model holds. A second run allows out-of-order samples: the model
 * then predicts Prometheus' outcome of each append (in order, out of order, duplicate, too old).
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { mulberry32 } from '../../test/support/random.js';
import type { Dump, DumpedValue } from '../../test/support/storage-dump.js';
import { dumpStorage, dumpValue } from '../../test/support/storage-dump.js';
import { Labels } from '../model/labels.js';
import { Matcher } from '../model/matcher.js';
import { STALE_NAN } from '../model/value.js';
import { isStorageError } from '../storage/errors.js';
import type { StorageErrorKind } from '../storage/errors.js';
import { sameFloatBits } from '../model/value.js';
import { fromOutOfOrder } from './block/meta.js';
import { DB } from './db.js';
import type { DbOptions } from './db.js';

const OPTS: Partial<DbOptions> = {
  blockRange: 20_000,
  maintenanceInterval: 0,
  walFsync: 'never',
  retentionTime: 0,
  walSegmentSize: 32 * 1024,
};
const SERIES = Array.from({ length: 6 }, (_, i) =>
  Labels.from({ __name__: i % 2 === 0 ? 'prop_a' : 'prop_b', job: `j${i % 3}`, i: String(i) }),
);

type Model = Map<string, Map<number, DumpedValue>>;
function modelDump(model: Model): Dump {
  const out: Dump = {};
  for (const [k, samples] of [...model].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const list = [...samples].sort(([a], [b]) => a - b);
    if (list.length > 0) out[k] = list;
  }
  return out;
}

function sortedDump(d: Dump): Dump {
  return Object.fromEntries(Object.entries(d).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Highest compaction level seen, so the test proves block compaction was exercised. */
let maxLevel = 0;
/** What the out-of-order run exercised: samples taken and refused, blocks written from them. */
const oooSeen = { appended: 0, tooOld: 0, blocks: 0 };

function countOoo(db: DB): void {
  oooSeen.appended += db.head.counters.oooAppended;
  oooSeen.tooOld += db.head.counters.tooOld;
}

/** A sample staged in a transaction; `ooo` ones do not move the series' in-order end. */
type Staged = [key: string, t: number, v: number, ooo: boolean];

/**
 * What Prometheus does with a sample given the series' last in-order time `prev` (this
 * transaction's or committed), the appendable minimum and, with a window, the oldest time taken.
 */
function predict(
  t: number,
  prev: number,
  minValid: number,
  oooMin: number | undefined,
): 'in-order' | 'same' | 'ooo' | 'duplicate' | 'out-of-order' | 'out-of-bounds' | 'too-old' {
  if (oooMin === undefined) {
    if (t < minValid) return 'out-of-bounds';
    return t > prev ? 'in-order' : t === prev ? 'same' : 'out-of-order';
  }
  if (t >= minValid && t > prev) return 'in-order';
  if (t >= minValid && t === prev) return 'same';
  return t >= oooMin ? 'ooo' : 'too-old';
}

function sampleValue(d: DumpedValue): number {
  return d === 'stale' ? STALE_NAN : d === 'NaN' ? Number.NaN : d;
}

async function runSeed(seed: number, window = 0): Promise<void> {
  const rand = mulberry32(seed);
  const dir = await mkdtemp(join(tmpdir(), 'vigil-prop-'));
  const model: Model = new Map();
  const lastT = new Map<string, number>();
  const lastV = new Map<string, number>();
  let now = 0;
  const opts = { ...OPTS, outOfOrderTimeWindow: window };
  let db = await DB.open(dir, opts);
  try {
    for (let step = 0; step < 80; step++) {
      const op = rand();
      if (op < 0.6) {
        const minValid = db.head.appendableMinValidTime();
        const headMax = db.head.maxTime;
        const oooMin = window === 0 ? undefined : headMax === -Infinity ? minValid : headMax - window;
        const app = db.appender();
        const staged: Staged[] = [];
        now += Math.floor(rand() * 8_000);
        for (let k = 0; k < 8; k++) {
          const s = SERIES[Math.floor(rand() * SERIES.length)];
          const key = s.toString();
          // Mostly new timestamps, sometimes an old or repeated one the DB must refuse or dedupe.
          const t = rand() < 0.85 ? now + k : now - Math.floor(rand() * 5_000);
          const r = rand();
          let v = r < 0.05 ? STALE_NAN : r < 0.1 ? Number.NaN : Math.round(r * 1000) / 10;
          const prev =
            staged.findLast(([kk, , , ooo]) => kk === key && !ooo)?.[1] ?? lastT.get(key) ?? -Infinity;
          // Out of order, a value at a time already held keeps the first one written (Prometheus
          // leaves which one wins open when they differ); the model asks for the same value.
          const held = model.get(key)?.get(t);
          if (window > 0 && t !== prev && held !== undefined) v = sampleValue(held);
          const want = predict(t, prev, minValid, oooMin);
          try {
            app.append(0, s, t, v);
            assert.ok(
              want === 'in-order' ||
                want === 'ooo' ||
                (want === 'same' && sameFloatBits(v, lastValue(staged, lastV, key, t))),
              `seed ${seed}: took t=${t} (prev ${prev}), expected ${want}`,
            );
            if (want === 'in-order' || want === 'ooo') staged.push([key, t, v, want === 'ooo']);
          } catch (e) {
            assert.ok(isStorageError(e), String(e));
            const kind = want === 'same' ? 'duplicate' : want;
            assert.ok(
              isStorageError(e, kind as StorageErrorKind),
              `seed ${seed}: refused t=${t} after ${prev}: ${String(e)}, expected ${want}`,
            );
          }
        }
        if (rand() < 0.15) {
          await app.rollback();
        } else {
          await app.commit();
          for (const [key, t, v, ooo] of staged) {
            let m = model.get(key);
            if (m === undefined) model.set(key, (m = new Map<number, DumpedValue>()));
            if (!m.has(t)) m.set(t, dumpValue(v));
            if (!ooo) {
              lastT.set(key, t);
              lastV.set(key, v);
            }
          }
        }
      } else if (op < 0.7) {
        const from = Math.floor(rand() * now);
        // Only ranges no later sample can fall into (later ones are ≥ now - 5000, or the window
        // behind the head's newest): in Prometheus a tombstone also hides samples appended into
        // its range afterwards, if its series existed.
        const newest = db.head.maxTime === -Infinity ? now : Math.min(now, db.head.maxTime);
        const to = Math.min(from + Math.floor(rand() * 10_000), now - 5_001, newest - window - 1);
        const job = `j${Math.floor(rand() * 3)}`;
        await db.delete(from, to, new Matcher('=', 'job', job));
        for (const [key, m] of model) {
          if (!key.includes(`job="${job}"`)) continue;
          for (const t of m.keys()) if (t >= from && t <= to) m.delete(t);
        }
      } else if (op < 0.85) {
        await db.maintain();
        for (const m of db.blocks()) maxLevel = Math.max(maxLevel, m.compaction.level);
        oooSeen.blocks += db.blocks().filter((m) => fromOutOfOrder(m)).length;
      } else {
        countOoo(db);
        await db.close();
        db = await DB.open(dir, opts);
      }
      assert.deepEqual(sortedDump(dumpStorage(db)), modelDump(model), `seed ${seed} step ${step}`);
    }
  } finally {
    countOoo(db);
    await db.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** The value a same-time append must repeat to be a no-op: this transaction's, else the committed one. */
function lastValue(
  staged: readonly Staged[],
  lastV: ReadonlyMap<string, number>,
  key: string,
  t: number,
): number {
  const mine = staged.findLast(([kk, tt, , ooo]) => kk === key && tt === t && !ooo);
  return mine !== undefined ? mine[2] : lastV.get(key)!;
}

describe('DB against a model', () => {
  it('agrees after random appends, rollbacks, deletes, block cuts and reopens (25 seeds)', async () => {
    for (let seed = 1; seed <= 25; seed++) await runSeed(seed);
    assert.ok(maxLevel >= 2, `no block was ever compacted (max level ${maxLevel})`);
  });

  it('agrees with a 4 s out-of-order window: out-of-order appends, too-old refusals, compaction, reopens (25 seeds)', async () => {
    for (let seed = 101; seed <= 125; seed++) await runSeed(seed, 4_000);
    assert.ok(oooSeen.appended > 100 && oooSeen.tooOld > 5 && oooSeen.blocks > 0, JSON.stringify(oooSeen));
  });
});
