import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Labels } from '../../model/labels.js';
import { Matcher } from '../../model/matcher.js';
import { mulberry32 } from '../../../test/support/random.js';
import { goFloat, goLabels } from '../../cli/tsdb-format.js';
import { BlockReader, listBlockDirs, readMetaFile, writeBlock } from '../block/index.js';
import type { BlockMeta, BlockSeries } from '../block/index.js';
import { writeTombstonesFile } from '../tombstones/index.js';
import type { Tombstone } from '../tombstones/index.js';
import { compactBlocks } from './compactor.js';
import { deleteBlocks } from './retention.js';
import { bitsOf, promtool, promtoolDump, setStaleNaN, withTempDir } from './test-fixtures.js';

/** One random input block: its series, and tombstones as (labels key, interval). */
interface RandomBlock {
  series: BlockSeries[];
  stones: { key: string; mint: number; maxt: number }[];
}

const T0 = 1_700_006_400_000;

/** A pool of label sets shared by the blocks, so that many series occur in several of them. */
function labelPool(rand: () => number, n: number): Labels[] {
  const out: Labels[] = [];
  for (let i = 0; i < n; i++) {
    const rec: Record<string, string> = { __name__: `metric_${i % 4}`, instance: `host-${i}` };
    if (i % 5 === 0) for (let k = 0; k < 12; k++) rec[`extra_${k}`] = `v${k}-${Math.floor(rand() * 3)}`;
    out.push(Labels.from(rec));
  }
  return out;
}

function randomBlock(rand: () => number, pool: Labels[], start: number, span: number): RandomBlock {
  const series: BlockSeries[] = [];
  const stones: RandomBlock['stones'] = [];
  for (const labels of pool) {
    if (rand() < 0.3) continue;
    const n = 1 + Math.floor(rand() * 300);
    const ts: number[] = [];
    // Timestamps on a coarse grid so that overlapping blocks share some of them.
    let t = start + Math.floor(rand() * 20) * 1000;
    for (let i = 0; i < n && t < start + span; i++) {
      ts.push(t);
      t += 1000 * (1 + Math.floor(rand() * 30));
    }
    const vs = new Float64Array(ts.length);
    for (let i = 0; i < ts.length; i++) {
      const r = rand();
      if (r < 0.02) vs[i] = NaN;
      else if (r < 0.03) setStaleNaN(vs, i);
      else if (r < 0.04) vs[i] = r < 0.035 ? Infinity : -Infinity;
      else vs[i] = Math.round(rand() * 1e4) / 100;
    }
    if (ts.length === 0) continue;
    series.push({ labels, timestamps: ts, values: vs });
    if (rand() < 0.25) {
      const a = ts[Math.floor(rand() * ts.length)];
      const b = a + Math.floor(rand() * 200_000);
      stones.push({ key: labels.key, mint: a, maxt: b });
    }
  }
  return { series, stones };
}

/** Writes a block and its tombstones; returns its directory and meta. */
async function materialise(dir: string, b: RandomBlock): Promise<{ dir: string; meta: BlockMeta }> {
  const meta = await writeBlock(dir, b.series);
  const blockDir = join(dir, meta.ulid);
  if (b.stones.length > 0) {
    const r = await BlockReader.open(blockDir);
    const byKey = new Map<string, number>();
    for (const ref of r.index.allPostings()) byKey.set(r.index.series(ref).labels.key, ref);
    await r.close();
    const stones: Tombstone[] = b.stones.map((s) => ({ ref: byKey.get(s.key)!, mint: s.mint, maxt: s.maxt }));
    stones.sort((x, y) => x.ref - y.ref);
    await writeTombstonesFile(join(blockDir, 'tombstones'), stones);
  }
  return { dir: blockDir, meta };
}

/** The plain model: per series, timestamp → value bits; the first block (by minTime, ULID) wins. */
function model(
  blocks: { b: RandomBlock; meta: BlockMeta }[],
): Map<string, { labels: Labels; s: Map<number, string> }> {
  const ordered = blocks
    .slice()
    .sort((x, y) => x.meta.minTime - y.meta.minTime || (x.meta.ulid < y.meta.ulid ? -1 : 1));
  const out = new Map<string, { labels: Labels; s: Map<number, string> }>();
  for (const { b } of ordered) {
    for (const s of b.series) {
      const stones = b.stones.filter((x) => x.key === s.labels.key);
      let e = out.get(s.labels.key);
      for (let i = 0; i < s.timestamps.length; i++) {
        const t = s.timestamps[i];
        if (stones.some((x) => t >= x.mint && t <= x.maxt)) continue;
        if (e === undefined) out.set(s.labels.key, (e = { labels: s.labels, s: new Map() }));
        if (!e.s.has(t)) e.s.set(t, bitsOf(s.values, i));
      }
    }
  }
  return out;
}

for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
  test(`compaction property: random blocks (overlaps, tombstones) equal the in-memory model, seed ${seed}`, async () => {
    await withTempDir(async (dir) => {
      const rand = mulberry32(seed);
      const pool = labelPool(rand, 40);
      const n = 2 + Math.floor(rand() * 3);
      const made: { b: RandomBlock; meta: BlockMeta; dir: string }[] = [];
      for (let i = 0; i < n; i++) {
        // Every other seed, blocks are shifted by less than their span, so they overlap.
        const start = T0 + i * (seed % 2 === 0 ? 3_600_000 : 7_200_000);
        const b = randomBlock(rand, pool, start, 7_200_000);
        made.push({ b, ...(await materialise(join(dir, 'in'), b)) });
      }
      const out = join(dir, 'out');
      const res = await compactBlocks(
        out,
        made.map((m) => m.dir),
        { sliceMs: 0, chunkWindow: 4096 },
      );
      const want = model(made);
      const total = [...want.values()].reduce((k, e) => k + e.s.size, 0);
      assert.ok(res.meta !== undefined && res.dir !== undefined);
      assert.ok(res.yields > 0);
      // Overlapping blocks share timestamps (with different values): the dedup rule is exercised.
      if (seed % 2 === 0) assert.ok(res.duplicates > 0, 'duplicates');
      const meta = await readMetaFile(join(res.dir, 'meta.json'));
      assert.deepEqual(meta, res.meta);
      assert.equal(meta.stats.numSamples, total);
      assert.equal(meta.stats.numSeries, [...want.values()].filter((e) => e.s.size > 0).length);
      assert.equal(meta.compaction.level, 2);
      assert.deepEqual(meta.compaction.sources, made.map((m) => m.meta.ulid).sort());
      assert.deepEqual(
        meta.compaction.parents?.map((p) => p.ulid).sort(),
        made.map((m) => m.meta.ulid).sort(),
      );
      assert.equal(meta.minTime, Math.min(...made.map((m) => m.meta.minTime)));
      assert.equal(meta.maxTime, Math.max(...made.map((m) => m.meta.maxTime)));
      assert.deepEqual(await readdir(out), [meta.ulid]);

      const r = await BlockReader.open(res.dir);
      try {
        const got = await r.select([new Matcher('=~', '__name__', '.+')]);
        assert.equal(got.length, meta.stats.numSeries);
        for (const g of got) {
          const e = want.get(g.labels.key);
          assert.ok(e, g.labels.toString());
          const ts = [...e.s.keys()].sort((a, b) => a - b);
          assert.deepEqual(g.timestamps, ts, g.labels.toString());
          ts.forEach((t, i) => assert.equal(bitsOf(g.values, i), e.s.get(t), `${g.labels.toString()} @${t}`));
        }
        for (const ref of r.index.allPostings()) {
          for (const c of r.index.series(ref).chunks) assert.ok(c.mint <= c.maxt);
        }
      } finally {
        await r.close();
      }

      // promtool reads the compacted block with exactly the model's samples.
      await rm(join(dir, 'in'), { recursive: true });
      const dump = await promtoolDump(out);
      const expected: string[] = [];
      const keys = [...want.values()].filter((e) => e.s.size > 0);
      for (const e of keys) {
        for (const t of [...e.s.keys()].sort((a, b) => a - b)) {
          const f = new Float64Array(1);
          new DataView(f.buffer).setBigUint64(0, BigInt('0x' + e.s.get(t)!), true);
          expected.push(`${goLabels(e.labels)} ${goFloat(f[0])} ${t}`);
        }
      }
      assert.deepEqual(
        dump
          .split('\n')
          .filter((l) => l !== '')
          .sort(),
        expected.sort(),
      );
    });
  });
}

test('compaction: blocks whose every sample is deleted give no block', async () => {
  await withTempDir(async (dir) => {
    const labels = Labels.from({ __name__: 'x' });
    const b: RandomBlock = {
      series: [{ labels, timestamps: [T0, T0 + 1000], values: new Float64Array([1, 2]) }],
      stones: [{ key: labels.key, mint: T0 - 5, maxt: T0 + 5000 }],
    };
    const m = await materialise(join(dir, 'in'), b);
    const res = await compactBlocks(join(dir, 'out'), [m.dir]);
    assert.equal(res.meta, undefined);
    assert.deepEqual(await readdir(join(dir, 'out')), []);
  });
});

test('compaction: the event loop runs during a compaction; an abort leaves no block', async () => {
  await withTempDir(async (dir) => {
    const rand = mulberry32(99);
    const pool = labelPool(rand, 200);
    const dirs: string[] = [];
    for (let i = 0; i < 3; i++)
      dirs.push(
        (await materialise(join(dir, 'in'), randomBlock(rand, pool, T0 + i * 7_200_000, 7_200_000))).dir,
      );
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    try {
      await compactBlocks(join(dir, 'out'), dirs, { sliceMs: 0 });
    } finally {
      clearInterval(timer);
    }
    assert.ok(ticks > 0, 'timers ran while compacting');
    const ac = new AbortController();
    const p = compactBlocks(join(dir, 'out2'), dirs, { sliceMs: 0, signal: ac.signal });
    ac.abort(new Error('stop'));
    await assert.rejects(p, /compact/);
    assert.deepEqual(await readdir(join(dir, 'out2')), []);
  });
});

test('compaction: blocks promtool wrote compact into one that promtool dumps identically', async () => {
  await withTempDir(async (dir) => {
    const lines = ['# TYPE c counter'];
    for (let s = 0; s < 5; s++)
      for (let i = 0; i < 1200; i++) lines.push(`c_total{s="${s}"} ${i * (s + 1)} ${T0 / 1000 + i * 15}`);
    lines.push('# EOF', '');
    await writeFile(join(dir, 'in.om'), lines.join('\n'));
    const data = join(dir, 'data');
    execFileSync(promtool(), ['tsdb', 'create-blocks-from', 'openmetrics', join(dir, 'in.om'), data]);
    const blocks = await listBlockDirs(data);
    assert.equal(blocks.length, 3);
    const before = await promtoolDump(data);
    const res = await compactBlocks(
      data,
      blocks.map((b) => b.dir),
    );
    assert.ok(res.meta !== undefined);
    await deleteBlocks(
      data,
      blocks.map((b) => b.meta.ulid),
    );
    assert.deepEqual(
      (await listBlockDirs(data)).map((b) => b.meta.ulid),
      [res.meta.ulid],
    );
    assert.equal(await promtoolDump(data), before);
  });
});
