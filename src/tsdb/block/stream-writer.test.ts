import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Labels } from '../../model/labels.js';
import { XorChunk } from '../chunkenc/index.js';
import { encodeIndex, IndexReader } from '../index/index.js';
import { withTempDir } from '../compact/test-fixtures.js';
import { blockSize, BlockStreamWriter, listBlockDirs } from './index.js';
import { decodeIndexJob, IndexJobBuilder } from './index-job.js';

function chunkOf(t: number): XorChunk {
  const c = new XorChunk();
  c.appender().append(t, 1);
  return c;
}

const series = [
  Labels.from({ __name__: 'a', v: 'x'.repeat(300) }),
  Labels.from({ __name__: 'b', v: 'ü\u{1F600}\uE000' }),
  Labels.from({ __name__: 'c', empty_next: 'y', many: '1' }),
];

test('index job: label strings and chunk metas round-trip through the compact buffers', () => {
  const b = new IndexJobBuilder();
  series.forEach((l, i) => b.add(l, [{ mint: i, maxt: i + 5, ref: 2 ** 33 + i }]));
  const back = decodeIndexJob(b.build('x'));
  assert.deepEqual(
    back.map((s) => [s.labels.key, s.chunks]),
    series.map((l, i) => [l.key, [{ mint: i, maxt: i + 5, ref: 2 ** 33 + i }]]),
  );
});

test('stream writer: the index written by the worker equals encodeIndex; order is enforced', async () => {
  await withTempDir(async (dir) => {
    const w = await BlockStreamWriter.create(dir);
    for (let i = 0; i < series.length; i++)
      await w.addSeries(series[i], [{ chunk: chunkOf(i), mint: i, maxt: i }]);
    await assert.rejects(w.addSeries(series[0], [{ chunk: chunkOf(9), mint: 9, maxt: 9 }]), {
      code: 'ERR_BLOCK_WRITE',
    });
    const meta = await w.finish({ minTime: 0, maxTime: 3, compaction: { level: 1 } });
    assert.ok(meta);
    assert.deepEqual(meta.compaction.sources, [meta.ulid]);
    assert.equal(meta.stats.numSamples, 3);
    const bytes = await readFile(join(dir, meta.ulid, 'index'));
    const r = IndexReader.fromBytes(bytes);
    const again = encodeIndex(r.allPostings().map((ref) => r.series(ref)));
    assert.ok(Buffer.from(again).equals(bytes));
    assert.deepEqual(
      r.allPostings().map((ref) => r.series(ref).labels.key),
      series.map((l) => l.key),
    );
    assert.deepEqual(
      (await listBlockDirs(dir)).map((d) => d.meta.ulid),
      [meta.ulid],
    );
    // An empty block is not kept.
    const empty = await BlockStreamWriter.create(dir);
    assert.equal(await empty.finish({ minTime: 0, maxTime: 1, compaction: { level: 1 } }), undefined);
    assert.deepEqual(await readdir(dir), [meta.ulid]);
  });
});

test('listBlockDirs: ULID directories with meta.json only, by minTime; missing dir is empty', async () => {
  await withTempDir(async (dir) => {
    const later = await BlockStreamWriter.create(dir);
    await later.addSeries(series[0], [{ chunk: chunkOf(50), mint: 50, maxt: 50 }]);
    const a = await later.finish({ minTime: 50, maxTime: 51, compaction: { level: 1 } });
    const earlier = await BlockStreamWriter.create(dir);
    await earlier.addSeries(series[0], [{ chunk: chunkOf(5), mint: 5, maxt: 5 }]);
    const b = await earlier.finish({ minTime: 5, maxTime: 6, compaction: { level: 1 } });
    await mkdir(join(dir, `${a!.ulid.slice(0, 25)}Z.tmp-for-deletion`));
    await mkdir(join(dir, 'wal'));
    await mkdir(join(dir, '01ARZ3NDEKTSV4RRFFQ69G5FAV')); // a ULID without meta.json
    assert.deepEqual(
      (await listBlockDirs(dir)).map((d) => d.meta.ulid),
      [b!.ulid, a!.ulid],
    );
    assert.ok((await blockSize(join(dir, a!.ulid))) > 0);
    assert.deepEqual(await listBlockDirs(join(dir, 'nope')), []);
  });
});
