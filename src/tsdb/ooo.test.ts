/**
 * Out-of-order ingestion (`out_of_order_time_window`) through the DB on real files: what is
 * accepted and refused with Prometheus' texts, what queries see, what survives a reopen, and what
 * compaction writes.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { oooCrashPlan } from '../../test/helpers/ooo-ingest.js';
import { REPO_ROOT } from '../../test/support/paths.js';
import { dumpStorage } from '../../test/support/storage-dump.js';
import { Labels } from '../model/labels.js';
import { isStorageError } from '../storage/errors.js';
import { fromOutOfOrder } from './block/meta.js';
import { promtoolDump } from './compact/test-fixtures.js';
import { HeadChunkReader } from './chunks/head-chunks.js';
import { DB } from './db.js';
import type { DbOptions } from './db.js';
import { decodeRecord } from './record/decode.js';
import { WalReader } from './wlog/reader.js';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'vigil-ooo-'));
  dirs.push(d);
  return d;
}
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const MIN = 60_000;
const opts: Partial<DbOptions> = {
  maintenanceInterval: 0,
  walFsync: 'never',
  outOfOrderTimeWindow: 30 * MIN,
};
const metric = (k: string) => Labels.from({ __name__: 'm', k });
const KEY = '{__name__="m", k="a"}';

async function commit(db: DB, samples: [number, number][], labels = metric('a')): Promise<void> {
  const app = db.appender();
  for (const [t, v] of samples) app.append(0, labels, t, v);
  await app.commit();
}

describe('out-of-order ingestion', () => {
  it('accepts samples within the window, refuses older ones as too old, and queries see one sorted series', async () => {
    const db = await DB.open(await tempDir(), opts);
    await commit(db, [
      [60 * MIN, 1],
      [61 * MIN, 2],
    ]);
    await commit(db, [
      [40 * MIN, 3],
      [50 * MIN, 4],
    ]);
    const app = db.appender();
    assert.throws(
      () => app.append(0, metric('a'), 29 * MIN, 5),
      (e) => isStorageError(e, 'too-old') && e.message === 'too old sample',
    );
    // A new series takes its first sample in order, however old (within the appendable minimum).
    app.append(0, metric('b'), 45 * MIN, 6);
    await app.commit();
    assert.deepEqual(dumpStorage(db), {
      [KEY]: [
        [40 * MIN, 3],
        [50 * MIN, 4],
        [60 * MIN, 1],
        [61 * MIN, 2],
      ],
      '{__name__="m", k="b"}': [[45 * MIN, 6]],
    });
    assert.equal(db.head.counters.oooAppended, 2);
    assert.equal(db.head.counters.tooOld, 1);
    await db.close();
  });

  it('takes a sample before the appendable minimum out of order, even for a new series (not out of bounds)', async () => {
    const db = await DB.open(await tempDir(), { ...opts, outOfOrderTimeWindow: 120 * MIN });
    await commit(db, [[200 * MIN, 1]]);
    // The appendable minimum is 200 min - 1 h (half the 2 h chunk range): 100 min is before it.
    await commit(db, [[100 * MIN, 2]], metric('b'));
    assert.deepEqual(dumpStorage(db)['{__name__="m", k="b"}'], [[100 * MIN, 2]]);
    assert.equal(db.head.counters.oooAppended, 1);
    await db.close();
  });

  it('keeps the first value at a repeated out-of-order timestamp and still refuses an in-order duplicate', async () => {
    const db = await DB.open(await tempDir(), opts);
    await commit(db, [[60 * MIN, 1]]);
    await commit(db, [[50 * MIN, 2]]);
    await commit(db, [[50 * MIN, 3]]); // dropped silently, as Prometheus does
    const app = db.appender();
    assert.throws(
      () => app.append(0, metric('a'), 60 * MIN, 9),
      (e) => isStorageError(e, 'duplicate'),
    );
    await app.rollback();
    assert.deepEqual(dumpStorage(db)[KEY], [
      [50 * MIN, 2],
      [60 * MIN, 1],
    ]);
    await db.close();
  });

  it('drops out-of-order samples on rollback', async () => {
    const db = await DB.open(await tempDir(), opts);
    await commit(db, [[60 * MIN, 1]]);
    const app = db.appender();
    app.append(0, metric('a'), 45 * MIN, 2);
    await app.rollback();
    assert.deepEqual(dumpStorage(db)[KEY], [[60 * MIN, 1]]);
    await db.close();
  });

  it('with a window of 0 refuses out-of-order samples exactly as before', async () => {
    const db = await DB.open(await tempDir(), { ...opts, outOfOrderTimeWindow: 0 });
    await commit(db, [[200 * MIN, 1]]);
    const app = db.appender();
    assert.throws(
      () => app.append(0, metric('a'), 199 * MIN, 2),
      (e) => isStorageError(e, 'out-of-order'),
    );
    assert.throws(
      () => app.append(0, metric('b'), 100 * MIN, 2),
      (e) => isStorageError(e, 'out-of-bounds'),
    );
    await app.rollback();
    await db.close();
    assert.deepEqual(await readdir(db.dir).then((n) => n.includes('wbl')), false);
  });

  it('applies a new window to later transactions (a reload)', async () => {
    const db = await DB.open(await tempDir(), { ...opts, outOfOrderTimeWindow: 0 });
    await commit(db, [[60 * MIN, 1]]);
    await db.setOutOfOrderTimeWindow(10 * MIN);
    await commit(db, [[55 * MIN, 2]]);
    const app = db.appender();
    assert.throws(
      () => app.append(0, metric('a'), 45 * MIN, 3),
      (e) => isStorageError(e, 'too-old'),
    );
    await app.rollback();
    assert.deepEqual(dumpStorage(db)[KEY], [
      [55 * MIN, 2],
      [60 * MIN, 1],
    ]);
    await db.close();
  });

  it('cuts full out-of-order chunks to chunks_head with the out-of-order bit and logs markers to wbl/', async () => {
    const dir = await tempDir();
    const db = await DB.open(dir, opts);
    await commit(db, [[60 * MIN, 0]]);
    // 70 samples: two chunks of 32 cut, 6 left open.
    for (let i = 0; i < 70; i++) await commit(db, [[59 * MIN - i * 1000, i]]);
    await db.close();
    const reader = HeadChunkReader.open(join(dir, 'chunks_head'), { logger: db.head.logger });
    const ooo = [...reader.iterate()].filter((m) => m.ooo);
    reader.close();
    assert.deepEqual(
      ooo.map((m) => [m.mint, m.maxt]),
      [
        [59 * MIN - 31_000, 59 * MIN],
        [59 * MIN - 63_000, 59 * MIN - 32_000],
      ],
    );
    const kinds: string[] = [];
    const r = await WalReader.open(join(dir, 'wbl'));
    while (await r.next()) kinds.push(decodeRecord(r.record()).kind);
    await r.close();
    assert.equal(kinds.filter((k) => k === 'samples').length, 70);
    // The first chunk, each of the two cuts: a marker (0 for the first, nothing cut then).
    assert.equal(kinds.filter((k) => k === 'mmap-markers').length, 3);
  });

  it('replays transactions that cut many series out-of-order chunks at once to the same samples', async () => {
    const dir = await tempDir();
    const db = await DB.open(dir, opts);
    const names = Array.from({ length: 50 }, (_, i) => metric(`s${i}`));
    const fill = async (t: number, v: (i: number) => number, extra?: number) => {
      const app = db.appender();
      names.forEach((l, i) => app.append(0, l, t, v(i)));
      // A second sample of one series in the same transaction: sometimes on each side of its cut.
      if (extra !== undefined) app.append(0, names[extra], t + 500, -t);
      await app.commit();
    };
    await fill(60 * MIN, () => 0);
    // Every 32 rounds one transaction cuts a chunk of every series at once.
    for (let r = 0; r < 70; r++)
      await fill(31 * MIN + r * 1000, (i) => r * 100 + i, r % 3 === 0 ? r % 50 : undefined);
    const want = dumpStorage(db);
    await db.close();
    const again = await DB.open(dir, opts);
    assert.deepEqual(dumpStorage(again), want);
    await again.close();
  });

  it('replays wbl/ and chunks_head after SIGKILL, with every sample once', async () => {
    const dir = await tempDir();
    const child = spawn(process.execPath, [join(REPO_ROOT, 'dist/test/helpers/ooo-ingest.js'), dir], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('close', (_c, sig) => resolve(sig)),
    );
    let out = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        if (out.includes('done')) resolve();
      });
      child.on('exit', (code) => reject(new Error(`ooo-ingest exited with ${code} before done`)));
    });
    child.kill('SIGKILL');
    assert.equal(await exited, 'SIGKILL');
    const want: Record<string, [number, number][]> = {};
    for (const { k, t, v } of oooCrashPlan()) (want[`{__name__="m", k="${k}"}`] ??= []).push([t, v]);
    for (const list of Object.values(want)) list.sort((a, b) => a[0] - b[0]);
    const db = await DB.open(dir, opts);
    assert.deepEqual(dumpStorage(db), want);
    await db.close();
  });

  it('compacts out-of-order data into hinted blocks per range when the head compacts, drops it from the head, truncates wbl/, and promtool dumps exactly the samples', async () => {
    const dir = await tempDir();
    const range = 10 * MIN;
    const db = await DB.open(dir, {
      ...opts,
      blockRange: range,
      retentionTime: 0,
      outOfOrderTimeWindow: 10 * MIN,
    });
    const want: [number, number][] = [];
    const add = async (t: number, v: number) => {
      await commit(db, [[t, v]]);
      want.push([t, v]);
    };
    for (let t = 10 * MIN; t <= 14 * MIN; t += MIN) await add(t, t);
    // Out of order: before any in-order data ([0, 10 min)) and among it ([10, 20 min)).
    for (let t = 4 * MIN + 30_000; t < 9 * MIN; t += MIN) await add(t, -t);
    await add(12 * MIN + 30_000, -1);
    want.sort((a, b) => a[0] - b[0]);
    assert.deepEqual(dumpStorage(db)[KEY], want);
    for (let t = 15 * MIN; t <= 26 * MIN; t += MIN) await add(t, t); // past 1.5 ranges: compaction
    await db.maintain();
    assert.deepEqual(dumpStorage(db)[KEY], want);
    assert.equal(db.head.oooTimeRange().maxt, -Infinity, 'no out-of-order data left in the head');
    // [0, 10 min) holds only out-of-order data; [10, 20 min) was merged with the in-order block.
    assert.deepEqual(
      db.blocks().map((m) => [m.minTime, m.maxTime, fromOutOfOrder(m)]),
      [
        [0, range, true],
        [range, 2 * range, false],
      ],
    );
    assert.equal((await readdir(join(dir, 'wbl'))).filter((n) => /^\d+$/.test(n)).length, 1);
    await db.close();
    const dumped = (await promtoolDump(dir, ['--max-time', String(2 * range - 1)]))
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => l.split(' ').slice(-2).map(Number).reverse());
    assert.deepEqual(
      dumped,
      want.filter(([t]) => t < 2 * range),
    );
    const again = await DB.open(dir, opts);
    assert.deepEqual(dumpStorage(again)[KEY], want);
    await again.close();
  });
});
