import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { dumpStorage } from '../../test/support/storage-dump.js';
import { Labels } from '../model/labels.js';
import { Matcher } from '../model/matcher.js';
import { STALE_NAN } from '../model/value.js';
import { isStorageError } from '../storage/errors.js';
import { DB } from './db.js';
import type { DbOptions } from './db.js';
import { LockError } from './lock.js';
import { encodeSamples, encodeSeries } from './record/encode.js';
import { newSampleBatch, pushSample } from './record/types.js';
import type { SampleBatch } from './record/types.js';
import { listSegments, segmentName } from './wlog/format.js';
import { WalWriter } from './wlog/writer.js';
import { noopLogger } from '../util/logger.js';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'vigil-db-'));
  dirs.push(d);
  return d;
}
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const opts: Partial<DbOptions> = { maintenanceInterval: 0, walFsync: 'never' };
const up = (job: string) => Labels.from({ __name__: 'up', job });

/** A DB with up{job="a"} every 10 s over [0, 120 s]: one block [0, 60 s) and the rest in the head. */
async function blockAndHead(dir: string): Promise<DB> {
  const db = await DB.open(dir, { ...opts, blockRange: 60_000, retentionTime: 0 });
  for (let t = 0; t <= 120_000; t += 10_000) {
    const app = db.appender();
    app.append(0, up('a'), t, t);
    await app.commit();
  }
  await db.maintain();
  return db;
}

describe('DB', () => {
  it('shows samples only after commit, drops them on rollback, and refuses bad samples with their texts', async () => {
    const db = await DB.open(await tempDir(), opts);
    const app = db.appender();
    const ref = app.append(0, up('a'), 1000, 1);
    app.append(ref, up('a'), 2000, 0);
    assert.deepEqual(dumpStorage(db), {});
    await app.commit();
    assert.deepEqual(dumpStorage(db), {
      '{__name__="up", job="a"}': [
        [1000, 1],
        [2000, 0],
      ],
    });

    const bad = db.appender();
    assert.throws(
      () => bad.append(ref, up('a'), 1500, 1),
      (e) => isStorageError(e, 'out-of-order') && e.message === 'out of order sample',
    );
    assert.throws(
      () => bad.append(ref, up('a'), 2000, 7),
      (e) => isStorageError(e, 'duplicate') && e.message === 'duplicate sample for timestamp',
    );
    bad.append(ref, up('a'), 2000, 0); // the same value again is accepted
    bad.append(ref, up('a'), 3000, 5);
    await bad.rollback();
    assert.equal(dumpStorage(db)['{__name__="up", job="a"}'].length, 2);
    await db.close();
  });

  it('replays the WAL on reopen with every committed sample, NaN and staleness markers included', async () => {
    const dir = await tempDir();
    let db = await DB.open(dir, opts);
    const app = db.appender();
    app.append(0, up('a'), 1000, Number.NaN);
    app.append(0, up('a'), 2000, STALE_NAN);
    app.append(0, up('b'), 1000, Number.POSITIVE_INFINITY);
    app.append(0, up('b'), 2000, -0.5);
    await app.commit();
    const lost = db.appender();
    lost.append(0, up('c'), 1000, 1);
    await lost.rollback();
    const want = dumpStorage(db);
    await db.close();

    db = await DB.open(dir, opts);
    assert.deepEqual(dumpStorage(db), want);
    assert.deepEqual(want['{__name__="up", job="a"}'], [
      [1000, 'NaN'],
      [2000, 'stale'],
    ]);
    await db.close();
  });

  it('replays WAL samples bit-exactly, and those of a second series record for the same labels into the first series', async () => {
    // Two writers' records after a crash: refs 1 and 2 name one series; ref 2's samples come later.
    const dir = await tempDir();
    const wal = await WalWriter.open(join(dir, 'wal'), { logger: noopLogger });
    const batch = (ref: number, times: number[]): SampleBatch => {
      let b = newSampleBatch(times.length);
      for (const t of times) b = pushSample(b, ref, t, t / 1000);
      return b;
    };
    await wal.log(encodeSeries([{ ref: 1, labels: up('a') }]), encodeSamples(batch(1, [1000, 2000])));
    await wal.log(encodeSeries([{ ref: 2, labels: up('a') }]), encodeSamples(batch(2, [1500, 3000, 4000])));
    const stale = pushSample(batch(3, [1000]), 3, 2000, STALE_NAN);
    await wal.log(encodeSeries([{ ref: 3, labels: up('b') }]), encodeSamples(stale));
    await wal.close();
    const db = await DB.open(dir, opts);
    assert.deepEqual(dumpStorage(db), {
      '{__name__="up", job="a"}': [
        [1000, 1],
        [2000, 2],
        [3000, 3],
        [4000, 4],
      ],
      '{__name__="up", job="b"}': [
        [1000, 1],
        [2000, 'stale'],
      ],
    });
    assert.equal(db.head.numSeries, 2, 'the second ref is an alias, not a series');
    const want = dumpStorage(db);
    await db.close();
    // A smaller block range at the next start: the head's chunks reach across the new ranges, and
    // are cut at their edges into blocks that hold each series once, with no sample lost or doubled.
    const cut = await DB.open(dir, { ...opts, blockRange: 1000, retentionTime: 0 });
    await cut.maintain();
    assert.deepEqual(
      cut.blocks().map((b) => [b.minTime, b.maxTime, b.stats.numSeries, b.stats.numSamples]),
      [
        [1000, 2000, 2, 2],
        [2000, 3000, 2, 2],
      ],
    );
    assert.deepEqual(dumpStorage(cut), want);
    await cut.close();
  });

  it('refuses a second open of the same directory while the first holds the lock', async () => {
    const dir = await tempDir();
    const db = await DB.open(dir, opts);
    // Same process: simulate another live owner by writing our parent's PID into the lock.
    await db.close();
    await writeFile(join(dir, 'lock'), `${process.ppid}\n`);
    await assert.rejects(DB.open(dir, opts), LockError);
    await writeFile(join(dir, 'lock'), '999999999\n'); // a process that does not exist: stale
    const again = await DB.open(dir, opts);
    await again.close();
  });

  it('cuts the oldest range into a block at 1.5 ranges, keeps answering the same, and reopens from block and WAL', async () => {
    const dir = await tempDir();
    const range = 60_000;
    let db = await DB.open(dir, { ...opts, blockRange: range, retentionTime: 0 });
    for (let t = 0; t <= 100_000; t += 5_000) {
      const app = db.appender();
      app.append(0, up('a'), t, t / 1000);
      if (t % 10_000 === 0) app.append(0, up('b'), t, -t);
      await app.commit();
    }
    await db.maintain();
    const blocks = db.blocks();
    assert.equal(blocks.length, 1);
    assert.deepEqual([blocks[0].minTime, blocks[0].maxTime], [0, range]);
    assert.ok(db.head.minTime >= range, `head starts at ${db.head.minTime}`);
    const all = dumpStorage(db);
    assert.equal(all['{__name__="up", job="a"}'].length, 21);
    assert.equal(all['{__name__="up", job="b"}'].length, 11);
    // A sample inside the block's range is now out of bounds.
    assert.throws(
      () => db.appender().append(0, up('a'), 30_000, 1),
      (e) => isStorageError(e, 'out-of-bounds'),
    );
    await db.close();

    db = await DB.open(dir, { ...opts, blockRange: range, retentionTime: 0 });
    assert.deepEqual(dumpStorage(db), all);
    await db.close();
  });

  it('deletes blocks past the retention time', async () => {
    const dir = await tempDir();
    const range = 10_000;
    const db = await DB.open(dir, { ...opts, blockRange: range, retentionTime: 3 * range });
    for (let t = 0; t <= 100_000; t += 1_000) {
      const app = db.appender();
      app.append(0, up('a'), t, 1);
      await app.commit();
      await db.maintain();
    }
    const metas = db.blocks();
    const newest = metas[metas.length - 1].maxTime;
    assert.ok(metas.length >= 2);
    assert.ok(metas.every((m) => m.maxTime >= newest - 3 * range));
    const onDisk = (await readdir(dir)).filter((n) => /^[0-9A-Z]{26}$/.test(n));
    assert.equal(onDisk.length, metas.length);
    await db.close();
  });

  it('deletes series ranges with tombstones in head and blocks, surviving reopen', async () => {
    const dir = await tempDir();
    const range = 60_000;
    let db = await DB.open(dir, { ...opts, blockRange: range, retentionTime: 0 });
    for (let t = 0; t <= 100_000; t += 10_000) {
      const app = db.appender();
      app.append(0, up('a'), t, 1);
      app.append(0, up('b'), t, 2);
      await app.commit();
    }
    await db.maintain();
    assert.equal(db.blocks().length, 1);
    await db.delete(20_000, 80_000, new Matcher('=', 'job', 'a'));
    const meta = JSON.parse(await readFile(join(dir, db.blocks()[0].ulid, 'meta.json'), 'utf8')) as {
      stats: { numTombstones?: number };
    };
    assert.equal(meta.stats.numTombstones, 1, 'meta.json counts the block tombstone');
    const want = [0, 10_000, 90_000, 100_000].map((t) => [t, 1]);
    assert.deepEqual(dumpStorage(db)['{__name__="up", job="a"}'], want);
    assert.equal(dumpStorage(db)['{__name__="up", job="b"}'].length, 11);
    await db.close();
    db = await DB.open(dir, { ...opts, blockRange: range, retentionTime: 0 });
    assert.deepEqual(dumpStorage(db)['{__name__="up", job="a"}'], want);
    await db.close();
  });

  it('cuts a torn WAL tail at the last good record and keeps everything before it', async () => {
    const dir = await tempDir();
    // No snapshot: it would hold every sample and the WAL would not be read at all.
    const o = { ...opts, snapshotOnShutdown: false };
    let db = await DB.open(dir, o);
    for (let t = 1; t <= 50; t++) {
      const app = db.appender();
      app.append(0, up('a'), t * 1000, t);
      await app.commit();
    }
    await db.close();
    const wal = join(dir, 'wal');
    const seg = join(wal, segmentName((await listSegments(wal))[0]));
    const size = (await stat(seg)).size;
    await truncate(seg, size - 5); // tear the last record
    db = await DB.open(dir, o);
    const got = dumpStorage(db)['{__name__="up", job="a"}'];
    assert.equal(got.length, 49);
    assert.deepEqual(got[48], [49_000, 49]);
    // And the repaired WAL takes new appends that survive another reopen.
    const app = db.appender();
    app.append(0, up('a'), 60_000, 60);
    await app.commit();
    await db.close();
    db = await DB.open(dir, o);
    assert.equal(dumpStorage(db)['{__name__="up", job="a"}'].length, 50);
    await db.close();
  });

  it('answers label names and values with and without matchers across head and blocks', async () => {
    const dir = await tempDir();
    const range = 60_000;
    const db = await DB.open(dir, { ...opts, blockRange: range, retentionTime: 0 });
    const app = db.appender();
    app.append(0, Labels.from({ __name__: 'old', zone: 'x' }), 1000, 1);
    await app.commit();
    const app2 = db.appender();
    app2.append(0, up('a'), 100_000, 1);
    app2.append(0, Labels.from({ __name__: 'up', job: 'b', extra: 'y' }), 100_000, 1);
    await app2.commit();
    await db.maintain();
    assert.equal(db.blocks().length, 1);
    const q = db.querier(0, 200_000);
    assert.deepEqual(q.labelNames(), ['__name__', 'extra', 'job', 'zone']);
    assert.deepEqual(q.labelValues('__name__'), ['old', 'up']);
    assert.deepEqual(q.labelValues('job', new Matcher('=', 'extra', 'y')), ['b']);
    assert.deepEqual(q.labelNames(new Matcher('=', '__name__', 'old')), ['__name__', 'zone']);
    q.close();
    await db.close();
  });

  it('checkpoints and deletes old WAL segments after cutting blocks, and still reopens with every sample', async () => {
    const dir = await tempDir();
    const o = { ...opts, blockRange: 60_000, retentionTime: 0, walSegmentSize: 32 * 1024 };
    let db = await DB.open(dir, o);
    const series = Array.from({ length: 50 }, (_, i) => Labels.from({ __name__: 'wal_test', i: String(i) }));
    for (let t = 0; t <= 300_000; t += 1_000) {
      const app = db.appender();
      for (const s of series) app.append(0, s, t, t + 0.5);
      await app.commit();
      if (t % 30_000 === 0) await db.maintain();
    }
    await db.maintain();
    const wal = await readdir(join(dir, 'wal'));
    assert.ok(
      wal.some((n) => n.startsWith('checkpoint.')),
      `no checkpoint in ${wal.join(' ')}`,
    );
    assert.ok(!wal.includes(segmentName(0)), 'the first segment was not deleted');
    const want = dumpStorage(db);
    assert.equal(want['{__name__="wal_test", i="7"}'].length, 301);
    await db.close();
    db = await DB.open(dir, o);
    assert.deepEqual(dumpStorage(db), want);
    await db.close();
  });

  it('snapshots blocks and head into a directory that opens as a database with the same samples', async () => {
    const dir = await tempDir();
    const db = await blockAndHead(dir);
    assert.equal(db.blocks().length, 1);
    const snap = join(await tempDir(), 'snap');
    await db.snapshot(snap, true);
    const want = dumpStorage(db);
    await db.close();
    const copy = await DB.open(snap, opts);
    assert.equal(copy.blocks().length, 2);
    assert.deepEqual(dumpStorage(copy), want);
    await copy.close();
  });

  it('cleans tombstones by rewriting the block without the deleted samples', async () => {
    const dir = await tempDir();
    const db = await blockAndHead(dir);
    const before = db.blocks()[0].ulid;
    await db.delete(0, 20_000, new Matcher('=', 'job', 'a'));
    const want = dumpStorage(db);
    await db.cleanTombstones();
    const after = db.blocks();
    assert.equal(after.length, 1);
    assert.notEqual(after[0].ulid, before);
    assert.deepEqual(dumpStorage(db), want);
    await db.close();
    assert.ok(!(await readdir(dir)).includes(before), 'the old block was not deleted');
  });

  it('keeps the series of a transaction whose commit is under way when the head is truncated', async () => {
    const db = await DB.open(await tempDir(), opts);
    // up{job="old"} holds only samples before the truncation point: empty after it, like a new series.
    const old = db.appender();
    old.append(0, up('old'), 1_000, 1);
    await old.commit();
    const app = db.appender();
    app.append(0, up('new'), 10_000, 2);
    app.append(0, up('old'), 10_000, 3);
    const committing = app.commit();
    // The commit waits for its WAL write; a head compaction's truncation may run meanwhile.
    db.head.truncate(5_000);
    await committing;
    assert.deepEqual(dumpStorage(db), {
      '{__name__="up", job="new"}': [[10_000, 2]],
      '{__name__="up", job="old"}': [[10_000, 3]],
    });
    // Once the transaction is over, an empty series goes at the next truncation as before.
    db.head.truncate(20_000);
    assert.equal(db.head.numSeries, 0);
    await db.close();
  });

  it('moves full chunks to chunks_head and snapshots the head on close; reopening reads them, not the WAL', async () => {
    const dir = await tempDir();
    let db = await DB.open(dir, opts);
    const series = Array.from({ length: 20 }, (_, i) => Labels.from({ __name__: 'mmap_test', i: String(i) }));
    for (let t = 0; t < 1_000; t++) {
      const app = db.appender();
      for (const s of series) app.append(0, s, t * 1000, t % 7 === 0 ? STALE_NAN : t * 1.5);
      await app.commit();
    }
    const want = dumpStorage(db);
    await db.close();
    const headChunks = await readdir(join(dir, 'chunks_head'));
    assert.ok(headChunks.length > 0, 'no chunks_head file');
    assert.ok(
      (await readdir(dir)).some((n) => n.startsWith('chunk_snapshot.')),
      'no snapshot',
    );
    // Remove the WAL's samples: only chunks_head and the snapshot can bring them back.
    const wal = join(dir, 'wal');
    for (const n of await readdir(wal)) if (/^\d+$/.test(n)) await truncate(join(wal, n), 0);
    db = await DB.open(dir, opts);
    assert.deepEqual(dumpStorage(db), want);
    const app = db.appender();
    for (const s of series) app.append(0, s, 2_000_000, 1);
    await app.commit();
    await db.close();
  });
});
