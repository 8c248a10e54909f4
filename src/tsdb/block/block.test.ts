import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Labels } from '../../model/labels.js';
import { Matcher } from '../../model/matcher.js';
import { BlockReader, parseMeta, ulid, ulidTime, writeBlock } from './index.js';
import type { BlockSeries } from './index.js';
import { encodeIndex, postingsForMatchers } from '../index/index.js';
import { writeTombstonesFile } from '../tombstones/index.js';
import { requireProgram } from '../../../test/support/programs.js';

const PROMTOOL = requireProgram('promtool', 'prometheus');

async function withTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-block-'));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Prometheus' staleness marker, 0x7ff0000000000002, built in a Float64Array to keep its payload. */
function staleNaN(): Float64Array {
  const f = new Float64Array(1);
  new DataView(f.buffer).setBigUint64(0, 0x7ff0000000000002n, true);
  return f;
}

function bitsOf(values: Float64Array, i: number): string {
  const v = new DataView(values.buffer, values.byteOffset + i * 8, 8);
  return v.getBigUint64(0, true).toString(16);
}

/** Fixture: counters, gauges, special values, the staleness marker, a series with many labels. */
function fixture(): BlockSeries[] {
  const t0 = 1_700_000_000_000;
  const out: BlockSeries[] = [];
  for (let s = 0; s < 5; s++) {
    const n = 300 + s * 7;
    const ts: number[] = [];
    const vs = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      ts.push(t0 + i * 15_000 + (i % 4));
      vs[i] = s * 100 + i * 3;
    }
    out.push({
      labels: Labels.from({ __name__: 'http_requests_total', job: 'api', instance: `host-${s}:9100` }),
      timestamps: ts,
      values: vs,
    });
  }
  const gts: number[] = [];
  const gvs = new Float64Array(130);
  for (let i = 0; i < 130; i++) {
    gts.push(t0 + i * 10_000);
    gvs[i] = Math.sin(i / 7) * 1e3 + 0.125;
  }
  gvs[10] = NaN;
  gvs[11] = Infinity;
  gvs[12] = -Infinity;
  gvs[13] = -0.5e-300;
  gvs.set(staleNaN(), 129);
  out.push({
    labels: Labels.from({ __name__: 'temperature', job: 'api', room: 'a b "c"' }),
    timestamps: gts,
    values: gvs,
  });
  const many: Record<string, string> = { __name__: 'wide' };
  for (let i = 0; i < 40; i++) many[`label_${String(i).padStart(2, '0')}`] = `value-${i}-ü`;
  out.push({ labels: Labels.from(many), timestamps: [t0, t0 + 1], values: new Float64Array([1, 2]) });
  // Values whose UTF-16 and UTF-8 orders differ: the index must use Go's byte order.
  for (const v of ['\uE000', '\u{1F600}']) {
    out.push({
      labels: Labels.from({ __name__: 'unicode', v }),
      timestamps: [t0],
      values: new Float64Array([7]),
    });
  }
  return out;
}

function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

function parseGoFloat(s: string): number {
  if (s === 'NaN') return NaN;
  if (s === '+Inf') return Infinity;
  if (s === '-Inf') return -Infinity;
  return Number(s);
}

/** Parses `promtool tsdb dump` lines: `{a="b", …} value timestamp`. */
function parseDump(text: string): Map<string, [number, number][]> {
  const out = new Map<string, [number, number][]>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const close = line.lastIndexOf('} ');
    const key = line.slice(0, close + 1);
    const [v, t] = line.slice(close + 2).split(' ');
    const list = out.get(key) ?? [];
    list.push([Number(t), parseGoFloat(v)]);
    out.set(key, list);
  }
  return out;
}

/** Go's `labels.String()`: `{name="value", …}` with Go-quoted values. */
function goLabels(l: Labels): string {
  const parts: string[] = [];
  // Go's strconv.Quote also escapes unprintable runes such as the private-use U+E000.
  l.forEach((n, v) =>
    parts.push(
      `${n}=${JSON.stringify(v).replace(/[\uE000-\uF8FF]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`)}`,
    ),
  );
  return `{${parts.join(', ')}}`;
}

test('ulid: 26 Crockford characters, time prefix round-trips, sorts by time', () => {
  const a = ulid(1_700_000_000_000);
  const b = ulid(1_700_000_000_001);
  assert.equal(a.length, 26);
  assert.equal(ulidTime(a), 1_700_000_000_000);
  assert.ok(a < b);
  assert.equal(ulidTime('not-a-ulid'), undefined);
});

test('meta.json: written meta parses back; bad documents are rejected', async () => {
  await withTempDir(async (dir) => {
    const meta = await writeBlock(dir, fixture());
    const text = await readFile(join(dir, meta.ulid, 'meta.json'), 'utf8');
    assert.deepEqual(parseMeta(text), meta);
    assert.equal(meta.stats.numSeries, 9);
    assert.throws(() => parseMeta('{"ulid":"x","version":2}'), { code: 'ERR_BLOCK_META' });
    assert.throws(() => parseMeta('nope'), { code: 'ERR_BLOCK_META' });
  });
});

test('block: Vigil reads back exactly what it wrote, NaN payloads included', async () => {
  await withTempDir(async (dir) => {
    const input = fixture();
    const meta = await writeBlock(dir, input);
    assert.deepEqual((await readdir(dir)).sort(), [meta.ulid]);
    const block = await BlockReader.open(join(dir, meta.ulid));
    try {
      const got = await block.select([new Matcher('=~', '__name__', '.+')]);
      assert.equal(got.length, input.length);
      for (const s of input) {
        const g = got.find((x) => x.labels.equals(s.labels));
        assert.ok(g, s.labels.toString());
        assert.deepEqual(g.timestamps, [...s.timestamps]);
        for (let i = 0; i < s.values.length; i++) assert.equal(bitsOf(g.values, i), bitsOf(s.values, i));
      }
      const api = await block.select([
        new Matcher('=', 'job', 'api'),
        new Matcher('!=', 'instance', 'host-1:9100'),
      ]);
      assert.deepEqual(
        api.map((s) => s.labels.get('instance')),
        // Label order: the counters, then `temperature`, which lacks `instance` and so matches `!=`.
        ['host-0:9100', 'host-2:9100', 'host-3:9100', 'host-4:9100', ''],
      );
      // A time range skips whole chunks and trims the rest; empty series are left out.
      const t0 = 1_700_000_000_000;
      const ranged = await block.select(
        [new Matcher('=', '__name__', 'http_requests_total')],
        t0 + 1_800_000,
        t0 + 1_830_003,
      );
      assert.equal(ranged.length, 5);
      assert.deepEqual(ranged[0]?.timestamps, [t0 + 1_800_000, t0 + 1_815_001, t0 + 1_830_002]);
      assert.deepEqual(await block.select([new Matcher('=', '__name__', 'wide')], t0 + 2, t0 + 100), []);
    } finally {
      await block.close();
    }
  });
});

test('block: samples in tombstoned ranges are not returned', async () => {
  await withTempDir(async (dir) => {
    const input = fixture();
    const meta = await writeBlock(dir, input);
    const blockDir = join(dir, meta.ulid);
    const before = await BlockReader.open(blockDir);
    const [ref] = postingsForMatchers(before.index, [new Matcher('=', '__name__', 'wide')]);
    await before.close();
    const t0 = 1_700_000_000_000;
    await writeTombstonesFile(join(blockDir, 'tombstones'), [{ ref: ref, mint: t0, maxt: t0 }]);
    const after = await BlockReader.open(blockDir);
    try {
      const [wide] = await after.select([new Matcher('=', '__name__', 'wide')]);
      assert.deepEqual(wide?.timestamps, [t0 + 1]);
      assert.deepEqual([...wide.values], [2]);
    } finally {
      await after.close();
    }
    {
      // promtool applies Vigil's tombstones too.
      await mkdir(join(dir, 'wal'));
      const dump = execFileSync(
        PROMTOOL,
        ['tsdb', 'dump', dir, '--min-time', String(meta.minTime), '--max-time', String(meta.maxTime)],
        { encoding: 'utf8', maxBuffer: 64 << 20 },
      );
      const wide = [...parseDump(dump)].find(([k]) => k.startsWith('{__name__="wide"'));
      assert.deepEqual(wide?.[1], [[t0 + 1, 2]]);
    }
  });
});

test('block: duplicate series and unordered timestamps are rejected', async () => {
  await withTempDir(async (dir) => {
    const l = Labels.from({ __name__: 'x' });
    const one = { labels: l, timestamps: [1], values: new Float64Array([1]) };
    await assert.rejects(writeBlock(dir, [one, one]), { code: 'ERR_BLOCK_WRITE' });
    await assert.rejects(writeBlock(dir, [{ labels: l, timestamps: [2, 1], values: new Float64Array(2) }]), {
      code: 'ERR_BLOCK_WRITE',
    });
  });
});

test('oracle: promtool tsdb dump reads exactly the samples Vigil wrote', async () => {
  await withTempDir(async (dir) => {
    const input = fixture();
    const meta = await writeBlock(dir, input);
    // promtool opens the directory as a read-only database, which needs a WAL directory.
    await mkdir(join(dir, 'wal'));
    const dump = execFileSync(
      PROMTOOL,
      ['tsdb', 'dump', dir, '--min-time', String(meta.minTime), '--max-time', String(meta.maxTime)],
      {
        encoding: 'utf8',
        maxBuffer: 64 << 20,
      },
    );
    const got = parseDump(dump);
    assert.equal(got.size, input.length);
    for (const s of input) {
      const samples = got.get(goLabels(s.labels));
      assert.ok(samples, goLabels(s.labels));
      assert.deepEqual(
        samples.map(([t]) => t),
        [...s.timestamps],
      );
      samples.forEach(([, v], i) =>
        assert.equal(formatValue(v), formatValue(s.values[i]), `${goLabels(s.labels)} #${i}`),
      );
    }
    const analyze = execFileSync(PROMTOOL, ['tsdb', 'analyze', dir, meta.ulid], { encoding: 'utf8' });
    assert.match(analyze, new RegExp(`Block ID: ${meta.ulid}`));
    assert.match(analyze, /Series: 9/);
  });
});

test('oracle: Vigil reads a block promtool created from OpenMetrics, and re-encodes its index identically', async () => {
  await withTempDir(async (dir) => {
    const t0 = 1_700_006_400; // seconds, at a 2h boundary
    const want = new Map<string, [number, number][]>();
    const lines: string[] = ['# TYPE jobs_total counter', '# TYPE depth gauge'];
    for (let s = 0; s < 4; s++) {
      const key = `jobs_total{queue="q${s}"}`;
      const list: [number, number][] = [];
      for (let i = 0; i < 250; i++) {
        const v = s * 1000 + i * 2.5;
        list.push([(t0 + i * 15) * 1000, v]);
        lines.push(`${key} ${v} ${t0 + i * 15}`);
      }
      want.set(`jobs_total ${s}`, list);
    }
    const gauge: [number, number][] = [];
    const special = [NaN, Infinity, -Infinity, -1.5, 0];
    for (let i = 0; i < 5; i++) {
      gauge.push([(t0 + i * 60) * 1000, special[i]]);
      lines.push(`depth ${formatValue(special[i])} ${t0 + i * 60}`);
    }
    lines.push('# EOF', '');
    const file = join(dir, 'input.om');
    await writeFile(file, lines.join('\n'));
    const out = join(dir, 'data');
    execFileSync(PROMTOOL, ['tsdb', 'create-blocks-from', 'openmetrics', file, out], { encoding: 'utf8' });
    const blocks = (await readdir(out)).filter((n) => ulidTime(n) !== undefined);
    assert.ok(blocks.length >= 1);
    const got = new Map<string, [number, number][]>();
    for (const b of blocks) {
      const r = await BlockReader.open(join(out, b));
      try {
        // Re-encoding what Vigil read gives promtool's index byte for byte.
        const index = r.index;
        const again = encodeIndex(index.allPostings().map((ref) => index.series(ref)));
        assert.ok(Buffer.from(again).equals(await readFile(join(out, b, 'index'))), `index of ${b} differs`);
        for (const s of await r.select([new Matcher('=~', '__name__', 'jobs_total|depth')])) {
          const key =
            s.labels.metricName() === 'depth' ? 'depth' : `jobs_total ${s.labels.get('queue').slice(1)}`;
          const list = got.get(key) ?? [];
          s.timestamps.forEach((t, i) => list.push([t, s.values[i]]));
          got.set(key, list);
        }
      } finally {
        await r.close();
      }
    }
    for (const [k, list] of want) assert.deepEqual(got.get(k), list, k);
    const depth = got.get('depth')!;
    assert.deepEqual(
      depth.map(([t, v]) => `${t} ${formatValue(v)}`),
      gauge.map(([t, v]) => `${t} ${formatValue(v)}`),
    );
  });
});
