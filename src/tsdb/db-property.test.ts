/**
 * Property test: random appends, rollbacks and deletes against a plain in-memory model, with block
 * cutting, block compaction and reopening interleaved. After every step the
 * DB answers exactly what the model holds.
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

async function runSeed(seed: number): Promise<void> {
  const rand = mulberry32(seed);
  const dir = await mkdtemp(join(tmpdir(), 'vigil-prop-'));
  const model: Model = new Map();
  const lastT = new Map<string, number>();
  let now = 0;
  let db = await DB.open(dir, OPTS);
  try {
    for (let step = 0; step < 80; step++) {
      const op = rand();
      if (op < 0.6) {
        const app = db.appender();
        const staged: [string, number, number][] = [];
        now += Math.floor(rand() * 8_000);
        for (let k = 0; k < 8; k++) {
          const s = SERIES[Math.floor(rand() * SERIES.length)];
          const key = s.toString();
          // Mostly new timestamps, sometimes an old or repeated one the DB must refuse or dedupe.
          const t = rand() < 0.85 ? now + k : now - Math.floor(rand() * 5_000);
          const r = rand();
          const v = r < 0.05 ? STALE_NAN : r < 0.1 ? Number.NaN : Math.round(r * 1000) / 10;
          try {
            app.append(0, s, t, v);
            const prev = staged.findLast(([kk]) => kk === key)?.[1] ?? lastT.get(key) ?? -Infinity;
            if (t > prev) staged.push([key, t, v]);
          } catch (e) {
            assert.ok(isStorageError(e), String(e));
            const prev = staged.findLast(([kk]) => kk === key)?.[1] ?? lastT.get(key) ?? -Infinity;
            assert.ok(
              t <= prev || isStorageError(e, 'out-of-bounds'),
              `seed ${seed}: refused t=${t} after ${prev}: ${String(e)}`,
            );
          }
        }
        if (rand() < 0.15) {
          await app.rollback();
        } else {
          await app.commit();
          for (const [key, t, v] of staged) {
            let m = model.get(key);
            if (m === undefined) model.set(key, (m = new Map<number, DumpedValue>()));
            m.set(t, dumpValue(v));
            lastT.set(key, t);
          }
        }
      } else if (op < 0.7) {
        const from = Math.floor(rand() * now);
        // Only ranges no later sample can fall into (later ones are ≥ now - 5000): in Prometheus a
        // tombstone also hides samples appended into its range afterwards, if its series existed.
        const to = Math.min(from + Math.floor(rand() * 10_000), now - 5_001);
        const job = `j${Math.floor(rand() * 3)}`;
        await db.delete(from, to, new Matcher('=', 'job', job));
        for (const [key, m] of model) {
          if (!key.includes(`job="${job}"`)) continue;
          for (const t of m.keys()) if (t >= from && t <= to) m.delete(t);
        }
      } else if (op < 0.85) {
        await db.maintain();
        for (const m of db.blocks()) maxLevel = Math.max(maxLevel, m.compaction.level);
      } else {
        await db.close();
        db = await DB.open(dir, OPTS);
      }
      assert.deepEqual(sortedDump(dumpStorage(db)), modelDump(model), `seed ${seed} step ${step}`);
    }
  } finally {
    await db.close();
    await rm(dir, { recursive: true, force: true });
  }
}

describe('DB against a model', () => {
  it('agrees after random appends, rollbacks, deletes, block cuts and reopens (25 seeds)', async () => {
    for (let seed = 1; seed <= 25; seed++) await runSeed(seed);
    assert.ok(maxLevel >= 2, `no block was ever compacted (max level ${maxLevel})`);
  });
});
