import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, truncate, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Labels } from '../../model/labels.js';
import { noopLogger } from '../../util/logger.js';
import {
  decodeRecord,
  encodeExemplars,
  encodeMetadata,
  encodeSamples,
  encodeSeries,
  encodeTombstonesRecord,
  newSampleBatch,
} from '../record/index.js';
import type { WalRecord } from '../record/index.js';
import {
  checkpoint,
  checkpointDirName,
  deleteSegmentsBefore,
  lastCheckpoint,
  listCheckpoints,
  replayWal,
} from './checkpoint.js';
import type { ReplayStart } from './checkpoint.js';
import { WalWriter, listSegments, segmentName } from './index.js';

async function withTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-checkpoint-'));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const T0 = 1_700_000_000_000;

function samples(pairs: [ref: number, t: number, v: number][]): Uint8Array {
  const b = newSampleBatch(pairs.length);
  pairs.forEach(([ref, t, v], i) => {
    b.refs[i] = ref;
    b.timestamps[i] = t;
    b.values[i] = v;
  });
  b.length = pairs.length;
  return encodeSamples(b);
}

/** Writes each batch of records into a segment of its own (every open starts a new segment). */
async function writeSegments(dir: string, segments: Uint8Array[][], compress = false): Promise<void> {
  for (const recs of segments) {
    const w = await WalWriter.open(dir, { logger: noopLogger }, { compress });
    await w.log(...recs);
    await w.close();
  }
}

/** A readable summary of a decoded record, for comparisons. */
function show(r: WalRecord): string {
  switch (r.kind) {
    case 'series':
      return `series ${r.series.map((s) => `${s.ref}:${s.labels.get('i')}`).join(' ')}`;
    case 'samples': {
      const out: string[] = [];
      for (let i = 0; i < r.samples.length; i++)
        out.push(`${r.samples.refs[i]}@${r.samples.timestamps[i] - T0}=${r.samples.values[i]}`);
      return `samples ${out.join(' ')}`;
    }
    case 'tombstones':
      return `tombstones ${r.tombstones.map((t) => `${t.ref}[${t.mint - T0},${t.maxt - T0}]`).join(' ')}`;
    case 'exemplars':
      return `exemplars ${r.exemplars.map((e) => `${e.ref}@${e.t - T0}`).join(' ')}`;
    case 'metadata':
      return `metadata ${r.metadata.map((m) => `${m.ref}:${m.fields['HELP']}`).join(' ')}`;
    case 'mmap-markers':
      return `mmap-markers ${r.markers.map((m) => `${m.ref}:${m.mmapRef}`).join(' ')}`;
    case 'skipped':
      return `skipped ${r.type}`;
  }
}

async function replayed(dir: string, start?: ReplayStart): Promise<string[]> {
  const out: string[] = [];
  for await (const r of replayWal(dir, start))
    out.push(`${r.source[0]}${r.segment} ${show(decodeRecord(r.record))}`);
  return out;
}

const series = (...refs: number[]): Uint8Array =>
  encodeSeries(refs.map((ref) => ({ ref, labels: Labels.from({ __name__: 'm', i: String(ref) }) })));
const help = (ref: number, text: string): Uint8Array =>
  encodeMetadata([{ ref, type: 1, fields: { UNIT: '', HELP: text } }]);

test('a checkpoint keeps live series, recent samples, tombstones, exemplars and the latest metadata', async () => {
  await withTempDir(async (dir) => {
    await writeSegments(
      dir,
      [
        [
          series(1, 2, 3, 4),
          samples([
            [1, T0, 1],
            [2, T0 + 10, 2],
            [3, T0 + 20, 3],
          ]),
          help(1, 'old'),
        ],
        [
          samples([
            [1, T0 + 100, 4],
            [4, T0 + 110, 5],
          ]),
          encodeTombstonesRecord([
            { ref: 1, mint: T0, maxt: T0 + 5 },
            { ref: 3, mint: T0, maxt: T0 + 500 },
            { ref: 2, mint: T0, maxt: T0 + 500 },
          ]),
          encodeExemplars([
            { ref: 1, t: T0 + 1, v: 1, labels: Labels.from({ trace: 'a' }) },
            { ref: 3, t: T0 + 200, v: 2, labels: Labels.from({ trace: 'b' }) },
          ]),
          help(1, 'new'),
          help(2, 'gone'),
          new Uint8Array([5, 0, 0]), // an mmap marker: dropped
        ],
        [series(5), samples([[5, T0 + 300, 6]])],
      ],
      true,
    );
    const keep = (ref: number): boolean => ref !== 2;
    const stats = await checkpoint(dir, 0, 1, keep, T0 + 50, { logger: noopLogger }, { compress: true });
    assert.equal(stats.dir, join(dir, 'checkpoint.00000001'));
    assert.deepEqual(
      [stats.totalSeries, stats.droppedSeries, stats.totalSamples, stats.droppedSamples],
      [4, 1, 5, 3],
    );
    assert.deepEqual([stats.totalTombstones, stats.droppedTombstones], [3, 2]);
    assert.deepEqual([stats.totalExemplars, stats.droppedExemplars], [2, 1]);
    assert.deepEqual([stats.totalMetadata, stats.droppedMetadata], [3, 2]);
    assert.deepEqual((await readdir(dir)).sort(), [
      '00000000',
      '00000001',
      '00000002',
      'checkpoint.00000001',
    ]);
    assert.deepEqual(await lastCheckpoint(dir), { dir: stats.dir, index: 1 });

    await deleteSegmentsBefore(dir, 2);
    assert.deepEqual(await listSegments(dir), [2]);
    assert.deepEqual(await replayed(dir), [
      'c0 series 1:1 3:3 4:4',
      'c0 samples 1@100=4 4@110=5',
      'c0 tombstones 3[0,500]',
      'c0 exemplars 3@200',
      'c0 metadata 1:new',
      's2 series 5:5',
      's2 samples 5@300=6',
    ]);
  });
});

test('the next checkpoint folds in the previous one and deletes it', async () => {
  await withTempDir(async (dir) => {
    await writeSegments(dir, [
      [series(1, 2)],
      [
        samples([
          [1, T0, 1],
          [2, T0, 2],
        ]),
      ],
    ]);
    await checkpoint(dir, 0, 0, () => true, 0, { logger: noopLogger });
    await deleteSegmentsBefore(dir, 1);
    await writeSegments(dir, [[samples([[1, T0 + 1000, 3]])], [series(3)]]);
    await assert.rejects(
      checkpoint(dir, 3, 3, () => true, 0, { logger: noopLogger }),
      /unexpected gap/,
    );
    const stats = await checkpoint(dir, 1, 2, (ref) => ref === 1, T0 + 500, { logger: noopLogger });
    assert.deepEqual(
      (await listCheckpoints(dir)).map((c) => c.index),
      [2],
    );
    assert.equal(stats.dir, join(dir, checkpointDirName(2)));
    await deleteSegmentsBefore(dir, 3);
    assert.deepEqual(await replayed(dir), ['c0 series 1:1', 'c0 samples 1@1000=3', 's3 series 3:3']);
    assert.ok(!(await readdir(dir)).some((n) => n.endsWith('.tmp')));
  });
});

test('replay after a memory snapshot skips an older checkpoint and starts at the snapshot offset', async () => {
  await withTempDir(async (dir) => {
    await writeSegments(dir, [[series(1)], [series(2)], [series(3), series(4)]]);
    await checkpoint(dir, 0, 0, () => true, 0, { logger: noopLogger });
    await deleteSegmentsBefore(dir, 1);
    // The second record of segment 2 starts right after the first one.
    const firstLen = (await replayed(dir)).length;
    assert.equal(firstLen, 4);
    const all: { segment: number; offset: number }[] = [];
    for await (const r of replayWal(dir)) all.push({ segment: r.segment, offset: r.offset });
    const second = all[3];
    assert.deepEqual(await replayed(dir, second), ['s2 series 4:4']);
    assert.deepEqual(await replayed(dir, { segment: 2, offset: 0 }), ['s2 series 3:3', 's2 series 4:4']);
    // A snapshot older than the checkpoint: the checkpoint still comes first.
    assert.deepEqual(await replayed(dir, { segment: 0, offset: 0 }), [
      'c0 series 1:1',
      's1 series 2:2',
      's2 series 3:3',
      's2 series 4:4',
    ]);
  });
});

test('a corrupted segment fails the checkpoint and leaves no temporary directory', async () => {
  await withTempDir(async (dir) => {
    await writeSegments(dir, [[series(1), series(2)], [series(3)]]);
    const seg0 = join(dir, segmentName(0));
    await truncate(seg0, (await stat(seg0)).size - 3);
    await assert.rejects(
      checkpoint(dir, 0, 1, () => true, 0, { logger: noopLogger }),
      (err: Error) => {
        assert.match(String(err.cause), /WalCorruptionError|unexpected end|truncated/);
        return true;
      },
    );
    assert.deepEqual((await readdir(dir)).sort(), ['00000000', '00000001']);
  });
});

test('samples thinned out by a checkpoint keep their exact value bits (staleness NaN)', async () => {
  await withTempDir(async (dir) => {
    const b = newSampleBatch(2);
    const bits = new DataView(b.values.buffer);
    b.refs[0] = 1;
    b.timestamps[0] = T0;
    b.refs[1] = 1;
    b.timestamps[1] = T0 + 100;
    bits.setUint32(8 + 4, 0x7ff00000, true);
    bits.setUint32(8, 0x00000002, true);
    b.length = 2;
    await writeSegments(dir, [[series(1), encodeSamples(b)]]);
    await checkpoint(dir, 0, 0, () => true, T0 + 50, { logger: noopLogger });
    await deleteSegmentsBefore(dir, 1);
    const recs: WalRecord[] = [];
    for await (const r of replayWal(dir)) recs.push(decodeRecord(r.record));
    const s = recs[1];
    assert.ok(s.kind === 'samples');
    assert.equal(s.samples.length, 1);
    assert.equal(s.samples.timestamps[0], T0 + 100);
    const got = new DataView(s.samples.values.buffer);
    assert.deepEqual([got.getUint32(4, true), got.getUint32(0, true)], [0x7ff00000, 0x00000002]);
  });
});
