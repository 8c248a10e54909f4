import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Labels } from '../../model/labels.js';
import { noopLogger } from '../../util/logger.js';
import { XorChunk } from '../chunkenc/xor.js';
import { CorruptionError } from '../encoding/errors.js';
import { Encbuf } from '../encoding/encbuf.js';
import {
  SnapshotRecordType,
  decodeSnapshotRecord,
  encodeSnapshotSeries,
  lastSnapshot,
  listSnapshots,
  readSnapshot,
  snapshotDirName,
  walPosition,
  writeSnapshot,
} from './index.js';
import { decodeRecord, encodeSeries } from '../record/index.js';
import { replayWal } from '../wlog/checkpoint.js';
import { WalWriter } from '../wlog/index.js';
import type { SnapshotSeriesInput } from './index.js';

async function withTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-snapshot-'));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const T0 = 1_700_000_000_000;

function chunkOf(n: number): XorChunk {
  const c = new XorChunk();
  const app = c.appender();
  for (let i = 0; i < n; i++) app.append(T0 + i * 1000, i * 1.5);
  return c;
}

function series(ref: number, n: number): SnapshotSeriesInput {
  const labels = Labels.from({ __name__: 'vigil_test', ref: String(ref) });
  if (n === 0) return { ref, labels };
  const c = chunkOf(n);
  return {
    ref,
    labels,
    headChunk: { mint: T0, maxt: T0 + (n - 1) * 1000, encoding: 1, data: c.bytes().slice() },
  };
}

test('snapshot directory names carry the WAL segment and offset', () => {
  assert.equal(snapshotDirName(3, 32768), 'chunk_snapshot.000003.0000032768');
});

for (const compress of [false, true]) {
  test(`a snapshot round-trips series, head chunks, tombstones and exemplars (compress=${compress})`, async () => {
    await withTempDir(async (dir) => {
      const input = [series(1, 0), series(2, 2), series(3, 120)];
      const tombstones = [{ ref: 3, mint: T0, maxt: T0 + 5000 }];
      const exemplars = [{ ref: 2, t: T0, v: 0.5, labels: Labels.from({ trace_id: 'x' }) }];
      const res = await writeSnapshot(
        dir,
        { segment: 4, offset: 65536 },
        { series: input, tombstones, exemplars },
        { logger: noopLogger },
        { compress },
      );
      assert.deepEqual(res, {
        dir: join(dir, 'chunk_snapshot.000004.0000065536'),
        series: 3,
        skipped: false,
      });
      assert.deepEqual(await readdir(res.dir), ['00000000']);
      const recs = await readSnapshot(res.dir);
      assert.deepEqual(
        recs.map((r) => r.kind),
        ['series', 'series', 'series', 'tombstones', 'exemplars'],
      );
      const got = recs.flatMap((r) => (r.kind === 'series' ? [r.series] : []));
      assert.equal(got[0].headChunk, undefined);
      assert.equal(got[0].chunkRange, 7_200_000);
      assert.ok(got[0].labels.equals(input[0].labels));
      const two = got[1].headChunk;
      assert.ok(two !== undefined);
      assert.deepEqual([...two.data], [...(input[1].headChunk?.data ?? [])]);
      // Two samples: the first two slots were never filled.
      assert.deepEqual([...two.sampleTimes], [0, 0, T0, T0 + 1000]);
      assert.deepEqual([...two.sampleValues], [0, 0, 0, 1.5]);
      const three = got[2].headChunk;
      assert.deepEqual(
        [...(three?.sampleTimes ?? [])],
        [116, 117, 118, 119].map((i) => T0 + i * 1000),
      );
      assert.deepEqual(
        [...(three?.sampleValues ?? [])],
        [116, 117, 118, 119].map((i) => i * 1.5),
      );
      assert.deepEqual(recs[3], { kind: 'tombstones', tombstones });
      const ex = recs[4];
      assert.ok(ex.kind === 'exemplars');
      assert.deepEqual(
        [ex.exemplars[0].ref, ex.exemplars[0].t, ex.exemplars[0].labels.get('trace_id')],
        [2, T0, 'x'],
      );
      assert.deepEqual(await lastSnapshot(dir), { dir: res.dir, segment: 4, offset: 65536 });
    });
  });
}

test('a given sample buffer is kept bit-exactly, the staleness NaN included', () => {
  const times = Float64Array.of(1, 2, 3, 4);
  const values = new Float64Array(4);
  const bits = new DataView(values.buffer);
  bits.setUint32(3 * 8 + 4, 0x7ff00000, true);
  bits.setUint32(3 * 8, 0x00000002, true);
  const rec = encodeSnapshotSeries(
    {
      ref: 9,
      labels: Labels.from({ a: 'b' }),
      chunkRange: 1000,
      headChunk: {
        mint: 1,
        maxt: 4,
        encoding: 1,
        data: chunkOf(4).bytes(),
        sampleTimes: times,
        sampleValues: values,
      },
    },
    new Encbuf(),
  );
  const r = decodeSnapshotRecord(rec, { offset: 0 });
  assert.ok(r.kind === 'series');
  const v = r.series.headChunk?.sampleValues ?? new Float64Array(4);
  const got = new DataView(v.buffer, v.byteOffset);
  assert.equal(got.getUint32(3 * 8 + 4, true), 0x7ff00000);
  assert.equal(got.getUint32(3 * 8, true), 0x00000002);
  assert.equal(r.series.chunkRange, 1000);
});

test('a newer snapshot replaces older ones; the same position is not written twice', async () => {
  await withTempDir(async (dir) => {
    const content = { series: [series(1, 3)], tombstones: [] };
    await writeSnapshot(dir, { segment: 1, offset: 0 }, content, { logger: noopLogger });
    await mkdir(join(dir, 'chunk_snapshot.000001.0000000000.tmp')); // an abandoned attempt
    const again = await writeSnapshot(dir, { segment: 1, offset: 0 }, content, { logger: noopLogger });
    assert.equal(again.skipped, true);
    await writeSnapshot(dir, { segment: 2, offset: 32768 }, content, { logger: noopLogger });
    assert.deepEqual(
      (await listSnapshots(dir)).map((s) => [s.segment, s.offset]),
      [[2, 32768]],
    );
    assert.equal(await lastSnapshot(join(dir, 'chunk_snapshot.000002.0000032768')), undefined);
  });
});

test('damaged snapshots fail with a CorruptionError naming the file and offset', async () => {
  await withTempDir(async (dir) => {
    const res = await writeSnapshot(
      dir,
      { segment: 0, offset: 0 },
      { series: [series(1, 5), series(2, 5)], tombstones: [] },
      { logger: noopLogger },
    );
    const file = join(res.dir, '00000000');
    const bytes = await readFile(file);
    bytes[20] ^= 0xff;
    await writeFile(file, bytes);
    await assert.rejects(readSnapshot(res.dir), (err: unknown) => {
      assert.ok(err instanceof CorruptionError);
      assert.equal(err.file, file);
      assert.equal(err.offset, 0);
      return true;
    });
    // A well-framed record with a bad payload.
    assert.throws(
      () => decodeSnapshotRecord(Uint8Array.of(SnapshotRecordType.Series, 0, 0), { file: 'x', offset: 7 }),
      (err: unknown) =>
        err instanceof CorruptionError && err.offset === 7 && /series record/.test(err.message),
    );
    assert.throws(
      () => decodeSnapshotRecord(Uint8Array.of(42), { offset: 0 }),
      /unknown snapshot record type 42/,
    );
  });
});

test('replay after a snapshot taken at walPosition sees only the records logged since', async () => {
  await withTempDir(async (dir) => {
    const walDir = join(dir, 'wal');
    const w = await WalWriter.open(walDir, { logger: noopLogger });
    await w.log(encodeSeries([{ ref: 1, labels: Labels.from({ a: '1' }) }]));
    const pos = await walPosition(walDir);
    assert.deepEqual(pos, { segment: 0, offset: (await stat(join(walDir, '00000000'))).size });
    await writeSnapshot(
      dir,
      pos ?? { segment: 0, offset: 0 },
      { series: [series(1, 3)], tombstones: [] },
      { logger: noopLogger },
    );
    await w.log(encodeSeries([{ ref: 2, labels: Labels.from({ a: '2' }) }]));
    await w.close();
    const snap = await lastSnapshot(dir);
    assert.ok(snap !== undefined);
    const refs: number[] = [];
    for await (const r of replayWal(walDir, snap)) {
      const rec = decodeRecord(r.record);
      if (rec.kind === 'series') refs.push(...rec.series.map((s) => s.ref));
    }
    assert.deepEqual(refs, [2]);
  });
});
