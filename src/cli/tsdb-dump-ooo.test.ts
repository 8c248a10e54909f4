// `vigil tsdb dump` of a head with out-of-order samples (wal/ + wbl/ + chunks_head/), left by a
// DB that was never closed: every sample, as a reopened DB answers and as promtool 2.42 dumps.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, cp, readdir, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Labels } from '../model/labels.js';
import { Matcher } from '../model/matcher.js';
import { STALE_NAN } from '../model/value.js';
import { ValueType } from '../storage/interface.js';
import { promtoolDump, withTempDir } from '../tsdb/compact/test-fixtures.js';
import { DB } from '../tsdb/db.js';
import { decodeSamples, RecordType } from '../tsdb/record/index.js';
import { WalReader } from '../tsdb/wlog/index.js';
import type { DbOptions } from '../tsdb/db.js';
import { runVigil as vigil } from '../../test/support/cli.js';
import { dirSnapshot } from '../../test/support/dir-snapshot.js';
import { goFloat, goLabels } from './tsdb-format.js';

const MIN = 60_000;
const opts: Partial<DbOptions> = {
  maintenanceInterval: 0,
  walFsync: 'never',
  outOfOrderTimeWindow: 30 * MIN,
};
const series = (s: string): Labels => Labels.from({ __name__: 'ooo_test', s });

/** What was committed, in commit order; the first value committed at a timestamp is the one kept. */
type Plan = { s: string; t: number; v: number }[];

/** A DB opened in `dir/data` with `o`, and an empty plan. */
async function openData(dir: string, o: Partial<DbOptions>): Promise<{ data: string; db: DB; plan: Plan }> {
  const data = join(dir, 'data');
  return { data, db: await DB.open(data, o), plan: [] };
}

async function commit(db: DB, plan: Plan, samples: Plan): Promise<void> {
  const app = db.appender();
  for (const { s, t, v } of samples) app.append(0, series(s), t, v);
  await app.commit();
  plan.push(...samples);
}

/** The dump lines the plan should give over all time: series in label order, samples by time. */
function expected(plan: Plan): string {
  const by = new Map<string, Map<number, number>>();
  for (const { s, t, v } of plan) {
    const m = by.get(s) ?? new Map<number, number>();
    by.set(s, m);
    if (!m.has(t)) m.set(t, v);
  }
  const lines: string[] = [];
  for (const s of [...by.keys()].sort()) {
    for (const [t, v] of [...by.get(s)!].sort((a, b) => a[0] - b[0]))
      lines.push(`${goLabels(series(s))} ${goFloat(v)} ${t}`);
  }
  return lines.join('\n') + '\n';
}

/** What a DB opened on a copy of `dir` answers for [mint, maxt], as dump lines in label order. */
async function reopened(dir: string, copy: string, mint: number, maxt: number): Promise<string> {
  await cp(dir, copy, { recursive: true });
  await rm(join(copy, 'lock'), { force: true }); // our own process holds it
  const db = await DB.open(copy, opts);
  const lines: string[] = [];
  try {
    const q = db.querier(mint, maxt);
    const set = q.select(true, undefined, new Matcher('=~', '__name__', '.+'));
    while (set.next()) {
      const s = set.at();
      const it = s.iterator();
      while (it.next() === ValueType.Float) lines.push(`${goLabels(s.labels)} ${goFloat(it.v())} ${it.t()}`);
      assert.equal(it.err(), undefined);
    }
    q.close();
  } finally {
    await db.close();
  }
  return lines.length === 0 ? '' : lines.join('\n') + '\n';
}

/** The timestamps of the samples records of a write-behind log. */
async function wblTimestamps(dir: string): Promise<number[]> {
  const r = await WalReader.open(dir);
  const out: number[] = [];
  while (await r.next()) {
    const rec = r.record();
    if (rec[0] !== RecordType.Samples) continue;
    const b = decodeSamples(rec);
    out.push(...b.timestamps.subarray(0, b.length));
  }
  await r.close();
  return out;
}

const sortLines = (s: string): string[] => s.split('\n').filter(Boolean).sort();

test('dump merges the out-of-order samples of wbl/ into the WAL head, as a reopened DB and promtool', async () => {
  await withTempDir(async (dir) => {
    const { data, db, plan } = await openData(dir, opts);
    // Series created z, a, m: reference order differs from label order.
    for (const s of ['z', 'a', 'm']) await commit(db, plan, [{ s, t: 60 * MIN, v: 0 }]);
    for (let i = 1; i <= 20; i++)
      await commit(
        db,
        plan,
        ['z', 'a', 'm'].map((s) => ({ s, t: (60 + i) * MIN, v: i })),
      );
    // z: 70 out-of-order samples, scrambled, ten a transaction with one of a's: chunks cut to
    // chunks_head/ and mmap markers in wbl/ between the samples records.
    for (let k = 0; k < 7; k++) {
      const batch: Plan = [];
      for (let i = k * 10; i < k * 10 + 10; i++)
        batch.push({ s: 'z', t: 59 * MIN + ((i * 37) % 70) * 1000, v: -i });
      batch.push({ s: 'a', t: (61 + k) * MIN + 30_000, v: 100 + k });
      await commit(db, plan, batch);
    }
    // A repeated out-of-order timestamp keeps its first value, an in-order one its in-order value;
    // NaN and the staleness marker survive.
    await commit(db, plan, [{ s: 'a', t: 61 * MIN + 30_000, v: 555 }]);
    await commit(db, plan, [{ s: 'a', t: 65 * MIN, v: 999 }]);
    await commit(db, plan, [
      { s: 'm', t: 75 * MIN + 1, v: NaN },
      { s: 'm', t: 75 * MIN + 2, v: STALE_NAN },
    ]);
    assert.ok(db.head.counters.oooAppended > 70);
    // Left unclosed, as by a crash: the head is only in wal/, wbl/ and chunks_head/.
    assert.ok((await readdir(join(data, 'wbl'))).includes('00000000'));

    const before = await dirSnapshot(data);
    const v = await vigil('tsdb', 'dump', data);
    assert.equal(v.code, 0, v.err);
    assert.equal(v.err, '');
    assert.deepEqual(await dirSnapshot(data), before, 'vigil tsdb dump changed the directory');
    assert.equal(v.out, expected(plan));
    assert.match(v.out, /\{__name__="ooo_test", s="m"\} NaN 4500002\n/);
    assert.equal(v.out, await reopened(data, join(dir, 'r1'), -Infinity, Infinity));
    const copy = join(dir, 'copy');
    await cp(data, copy, { recursive: true });
    assert.equal(v.out, await promtoolDump(copy));

    // Ranges: only in-order data, only out-of-order data, both; promtool's order, the DB's samples.
    for (const [mint, maxt] of [
      [76 * MIN, 85 * MIN],
      [59 * MIN, 60 * MIN - 1],
      [59 * MIN, 62 * MIN],
      [0, 200 * MIN],
    ]) {
      const range = ['--min-time', String(mint), '--max-time', String(maxt)];
      const r = await vigil('tsdb', 'dump', ...range, data);
      assert.equal(r.out, await promtoolDump(copy, range), range.join(' '));
      assert.deepEqual(
        sortLines(r.out),
        sortLines(await reopened(data, join(dir, `r-${mint}`), mint, maxt)),
        range.join(' '),
      );
    }
    // Closed, the cut chunks reach chunks_head/ and the markers of wbl/ take them from there.
    await db.close();
    assert.ok((await stat(join(data, 'chunks_head', '000001'))).size > 100);
    assert.equal((await vigil('tsdb', 'dump', data)).out, v.out);
    const closed = join(dir, 'closed');
    await cp(data, closed, { recursive: true });
    assert.equal(v.out, await promtoolDump(closed));
  });
});

test('dump keeps out-of-order samples that only chunks_head holds after an out-of-order compaction', async () => {
  await withTempDir(async (dir) => {
    const range = 10 * MIN;
    const o: Partial<DbOptions> = {
      ...opts,
      blockRange: range,
      retentionTime: 0,
      outOfOrderTimeWindow: 10 * MIN,
    };
    const { data, db, plan } = await openData(dir, o);
    for (let t = 10 * MIN; t <= 26 * MIN; t += MIN) await commit(db, plan, [{ s: 'a', t, v: t / MIN }]);
    // Out of order, on both sides of 20 min, where the head's first block range ends.
    for (const t of [18.5, 21.5, 23.5, 19.5]) await commit(db, plan, [{ s: 'a', t: t * MIN, v: -t }]);
    await db.maintain();
    assert.ok(db.blocks().length > 0);
    // The chunk [18.5, 23.5] stays in the head, its wbl/ records are gone.
    assert.ok(db.head.oooTimeRange().maxt >= 23.5 * MIN);
    assert.deepEqual(await wblTimestamps(join(data, 'wbl')), []);
    await commit(db, plan, [{ s: 'a', t: 27 * MIN, v: 27 }]);
    // 19.75 min is before the blocks' end, where only the out-of-order head takes it.
    for (const t of [24.5, 21.5, 22.5, 19.75]) await commit(db, plan, [{ s: 'a', t: t * MIN, v: 1000 + t }]);

    const before = await dirSnapshot(data);
    const v = await vigil('tsdb', 'dump', data);
    assert.equal(v.code, 0, v.err);
    assert.deepEqual(await dirSnapshot(data), before, 'vigil tsdb dump changed the directory');
    assert.equal(v.out, expected(plan));
    assert.equal(v.out, await reopened(data, join(dir, 'r'), -Infinity, Infinity));
    // A range that ends inside the blocks still reads the out-of-order head, as the server does
    // (promtool 2.42 reads no head there).
    const old = await vigil('tsdb', 'dump', '--max-time', String(19.9 * MIN), data);
    assert.match(old.out, / 1019\.75 1185000\n$/);
    assert.equal(old.out, await reopened(data, join(dir, 'r2'), -Infinity, 19.9 * MIN));
    await db.close();
  });
});

test('dump warns of a torn wbl/ tail and keeps the records before it, as a reopened DB', async () => {
  await withTempDir(async (dir) => {
    const { data, db, plan } = await openData(dir, opts);
    await commit(db, plan, [{ s: 'a', t: 60 * MIN, v: 1 }]);
    for (let i = 0; i < 5; i++) await commit(db, plan, [{ s: 'a', t: 50 * MIN + i * 1000, v: i }]);
    const seg = join(data, 'wbl', '00000000');
    const size = (await readFile(seg)).length;
    // The last record loses its end: a crash in the middle of a write.
    await truncate(seg, size - 3);
    await appendFile(seg, Buffer.from([0xff]));
    const v = await vigil('tsdb', 'dump', data);
    assert.equal(v.code, 0, v.err);
    assert.match(v.err, /^warning: read WBL .*wbl: .*; later records ignored\n$/);
    assert.equal(v.out, expected(plan.slice(0, -1)));
    assert.equal(v.out, await reopened(data, join(dir, 'r'), -Infinity, Infinity));
    await db.close();
  });
});

test('dump warns of a corrupt chunks_head/ chunk and takes its samples from wbl/, as a reopened DB', async () => {
  await withTempDir(async (dir) => {
    const { data, db, plan } = await openData(dir, opts);
    await commit(db, plan, [{ s: 'a', t: 60 * MIN, v: 1 }]);
    for (let i = 0; i < 70; i++) await commit(db, plan, [{ s: 'a', t: 59 * MIN - i * 1000, v: i }]);
    await db.close();
    // A byte of the last chunk's data changed: its checksum fails, so its marker is not replayed.
    const file = join(data, 'chunks_head', '000001');
    const bytes = await readFile(file);
    bytes[bytes.length - 5] ^= 0xff;
    await writeFile(file, bytes);
    const v = await vigil('tsdb', 'dump', data);
    assert.equal(v.code, 0, v.err);
    assert.match(
      v.err,
      /^warning: read .*000001 at offset \d+: head chunk checksum mismatch; later head chunks ignored\n$/,
    );
    assert.equal(v.out, expected(plan));
    assert.equal(v.out, await reopened(data, join(dir, 'r'), -Infinity, Infinity));
  });
});
