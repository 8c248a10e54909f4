// `vigil tsdb …` against the real promtool (Prometheus 2.42): each reads the other's blocks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cp, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Labels } from '../model/labels.js';
import { formatFloat } from '../exposition/index.js';
import { writeBlock } from '../tsdb/block/index.js';
import { encodeSamples, encodeSeries, encodeTombstonesRecord, newSampleBatch } from '../tsdb/record/index.js';
import { WalWriter } from '../tsdb/wlog/index.js';
import { noopLogger } from '../util/logger.js';
import { promtool, promtoolDump, setStaleNaN, withTempDir } from '../tsdb/compact/test-fixtures.js';
import { PassThrough } from 'node:stream';
import { runVigil } from '../../test/support/cli.js';
import { main } from './main.js';
import { dirSnapshot } from '../../test/support/dir-snapshot.js';

const vigil = runVigil;

function pt(...args: string[]): string {
  return execFileSync(promtool(), args, { encoding: 'utf8', maxBuffer: 1 << 28 });
}

const T0 = 1_700_006_400; // seconds, on a 2h boundary

/**
 * OpenMetrics input with its expected dump lines: counters over three 2h windows, a gauge with
 * NaN and ±Inf, a series with 30 labels, Go-quoted label values.
 */
function fixture(): { text: string; dump: string[] } {
  const lines = ['# TYPE http_requests counter'];
  const dump: string[] = [];
  for (let s = 0; s < 3; s++) {
    const labels = `{code="200",instance="host-${s}:9100",job="api"}`;
    const go = `{__name__="http_requests_total", code="200", instance="host-${s}:9100", job="api"}`;
    let v = s * 1000;
    for (let i = 0; i < 1500; i++) {
      v += (i * 7 + s) % 13;
      const t = T0 + i * 15;
      lines.push(`http_requests_total${labels} ${v} ${t}`);
      dump.push(`${go} ${formatFloat(v)} ${t * 1000}`);
    }
  }
  lines.push('# TYPE temperature gauge');
  const special = [NaN, Infinity, -Infinity, -0.5, 1e-7, 123456789, 0.1];
  for (let i = 0; i < 200; i++) {
    const v = special[i % special.length] * (i % 2 === 0 ? 1 : 3);
    const t = T0 + 3600 + i * 60;
    lines.push(`temperature{room="a b \\"c\\" \\\\ ü"} ${formatFloat(v)} ${t}`);
    dump.push(`{__name__="temperature", room="a b \\"c\\" \\\\ ü"} ${formatFloat(v)} ${t * 1000}`);
  }
  const wide: string[] = [];
  const wideGo: string[] = ['__name__="wide"'];
  for (let k = 0; k < 30; k++) {
    wide.push(`l${String(k).padStart(2, '0')}="v${k}"`);
    wideGo.push(`l${String(k).padStart(2, '0')}="v${k}"`);
  }
  for (let i = 0; i < 3; i++) {
    lines.push(`wide{${wide.join(',')}} ${i} ${T0 + i}`);
    dump.push(`{${wideGo.join(', ')}} ${i} ${(T0 + i) * 1000}`);
  }
  lines.push('# EOF', '');
  return { text: lines.join('\n'), dump };
}

test('create-blocks-from openmetrics: promtool dumps exactly the samples, in 2h-aligned blocks', async () => {
  await withTempDir(async (dir) => {
    const { text, dump } = fixture();
    await writeFile(join(dir, 'in.om'), text);
    const r = await vigil('tsdb', 'create-blocks-from', 'openmetrics', join(dir, 'in.om'), join(dir, 'v'));
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^BLOCK ULID {18}MIN TIME {7}MAX TIME/);
    assert.equal(r.out.trim().split('\n').length, 1 + 4);
    const got = (await promtoolDump(join(dir, 'v'))).split('\n').filter((l) => l !== '');
    assert.deepEqual(got.sort(), dump.slice().sort());
    for (const line of pt('tsdb', 'list', join(dir, 'v')).trim().split('\n').slice(1)) {
      const [, min, max] = line.split(/\s+/);
      // Each block lies within one 2h window.
      assert.equal(Math.floor(Number(min) / 7_200_000), Math.floor((Number(max) - 1) / 7_200_000));
    }
    // vigil list prints what promtool list prints.
    assert.equal((await vigil('tsdb', 'list', join(dir, 'v'))).out, pt('tsdb', 'list', join(dir, 'v')));
    assert.equal(
      (await vigil('tsdb', 'list', '--human-readable', join(dir, 'v'))).out,
      pt('tsdb', 'list', '-r', join(dir, 'v')),
    );
  });
});

test('create-blocks-from openmetrics: --max-block-duration gives the same windows as promtool', async () => {
  await withTempDir(async (dir) => {
    await writeFile(join(dir, 'in.om'), fixture().text);
    const backfill = ['tsdb', 'create-blocks-from', 'openmetrics', '--quiet', '--max-block-duration=7h'];
    await vigil(...backfill, join(dir, 'in.om'), join(dir, 'v'));
    pt(...backfill, join(dir, 'in.om'), join(dir, 'p'));
    const cols = (out: string): string[] =>
      out
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => l.split(/\s+/))
        .map((c) => [c[1], c[2], c[4], c[6]].join(' '));
    assert.deepEqual(
      cols((await vigil('tsdb', 'list', join(dir, 'v'))).out),
      cols(pt('tsdb', 'list', join(dir, 'p'))),
    );
    // 6h windows: the 6h15m of data make two blocks.
    assert.equal(cols(pt('tsdb', 'list', join(dir, 'p'))).length, 2);
  });
});

test('create-blocks-from openmetrics: bad input is reported as FILE:LINE:COL', async () => {
  await withTempDir(async (dir) => {
    const cases: [string, RegExp][] = [
      ['a 1 10\na{ 2 5\n# EOF\n', /in\.om:2:3: expected label name/],
      ['a 1\n# EOF\n', /in\.om:1: expected timestamp for series \{__name__="a"\}, got none/],
      ['a 1 10\na 2 5\n# EOF\n', /in\.om:2:\d+: .*backwards/],
      ['a 1 10\n', /in\.om:\d+:\d+: .*# EOF/],
    ];
    for (const [text, want] of cases) {
      await writeFile(join(dir, 'in.om'), text);
      const r = await vigil(
        'tsdb',
        'create-blocks-from',
        'openmetrics',
        join(dir, 'in.om'),
        join(dir, 'out'),
      );
      assert.equal(r.code, 1, text);
      assert.match(r.err, want);
    }
    const missing = await vigil(
      'tsdb',
      'create-blocks-from',
      'openmetrics',
      join(dir, 'nope.om'),
      join(dir, 'out'),
    );
    assert.equal(missing.code, 1);
    assert.match(missing.err, /nope\.om/);
  });
});

test('dump, list, analyze: Vigil prints what promtool prints for blocks promtool created', async () => {
  await withTempDir(async (dir) => {
    await writeFile(join(dir, 'in.om'), fixture().text);
    const data = join(dir, 'data');
    pt('tsdb', 'create-blocks-from', 'openmetrics', join(dir, 'in.om'), data);
    const pDump = await promtoolDump(data);
    assert.equal((await vigil('tsdb', 'dump', data)).out, pDump);
    for (const extra of [
      ['--match', 'temperature'],
      ['--match', '{job="api",instance=~"host-[02].*"}'],
      ['--min-time', String(T0 * 1000 + 3_600_000), '--max-time', String(T0 * 1000 + 9_000_000)],
    ]) {
      assert.equal(
        (await vigil('tsdb', 'dump', ...extra, data)).out,
        await promtoolDump(data, extra),
        extra.join(' '),
      );
    }
    // Repeated --match is the union (promtool 2.42 takes one selector).
    const union = await vigil('tsdb', 'dump', '--match', 'wide', '--match', 'temperature', data);
    const want = pDump
      .split('\n')
      .filter((l) => l.startsWith('{__name__="temperature"') || l.startsWith('{__name__="wide"'))
      .join('\n');
    assert.equal(union.out, want + '\n');
    assert.equal((await vigil('tsdb', 'list', data)).out, pt('tsdb', 'list', data));
    // analyze: promtool orders ties at random, so compare each section as a set of lines.
    const sections = (s: string): string[][] =>
      s.split('\n\n').map((x) => x.split('\n').filter(Boolean).sort());
    for (const b of (await readdir(data)).filter((n) => n.length === 26)) {
      const v = await vigil('tsdb', 'analyze', '--limit=100', data, b);
      assert.equal(v.code, 0, v.err);
      assert.deepEqual(sections(v.out), sections(pt('tsdb', 'analyze', '--limit=100', data, b)));
    }
    const last = await vigil('tsdb', 'analyze', data);
    assert.deepEqual(sections(last.out), sections(pt('tsdb', 'analyze', data)));
  });
});

test('dump: bad selectors and directories are clear errors', async () => {
  await withTempDir(async (dir) => {
    const bad = await vigil('tsdb', 'dump', '--match', 'up{', dir);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /invalid --match 'up\{': 1:\d+: parse error/);
    const notSel = await vigil('tsdb', 'dump', '--match', 'sum(up)', dir);
    assert.equal(notSel.code, 2);
    const time = await vigil('tsdb', 'dump', '--min-time', 'yesterday', dir);
    assert.equal(time.code, 2);
    assert.match(time.err, /--min-time/);
    const missing = await vigil('tsdb', 'dump', join(dir, 'nope'));
    assert.equal(missing.code, 1);
    assert.match(missing.err, /no such directory/);
    const analyze = await vigil('tsdb', 'analyze', dir);
    assert.equal(analyze.code, 1);
    assert.match(analyze.err, /no blocks found/);
  });
});

test('dump reads the head from the WAL read-only, as promtool does', async () => {
  await withTempDir(async (dir) => {
    const data = join(dir, 'data');
    const t0 = T0 * 1000;
    // A block up to t0+1h; the WAL has samples before its end (dropped) and after (the head).
    const a = Labels.from({ __name__: 'up', job: 'a' });
    const b = Labels.from({ __name__: 'up', job: 'b' });
    const c = Labels.from({ __name__: 'zzz', x: 'y' });
    await writeBlock(data, [
      { labels: a, timestamps: [t0, t0 + 3_600_000 - 1], values: new Float64Array([1, 2]) },
    ]);
    const w = await WalWriter.open(join(data, 'wal'), { logger: noopLogger });
    // c is declared first: alone, the head lists series by reference; here a block is present.
    await w.log(
      encodeSeries([
        { ref: 5, labels: c },
        { ref: 7, labels: a },
        { ref: 9, labels: b },
      ]),
    );
    const batch = newSampleBatch(64);
    const add = (ref: number, t: number, v: number): void => {
      batch.refs[batch.length] = ref;
      batch.timestamps[batch.length] = t;
      batch.values[batch.length] = v;
      batch.length++;
    };
    add(7, t0 + 1000, 99); // before the block's end: dropped
    add(7, t0 + 3_600_000, 3);
    add(9, t0 + 3_600_000, 10);
    add(9, t0 + 3_615_000, 11);
    add(9, t0 + 3_610_000, 12); // out of order: dropped
    add(9, t0 + 3_615_000, 13); // duplicate timestamp: dropped
    add(5, t0 + 3_600_000, Infinity);
    add(5, t0 + 3_601_000, NaN);
    setStaleNaN(batch.values, batch.length);
    batch.refs[batch.length] = 5;
    batch.timestamps[batch.length] = t0 + 3_602_000;
    batch.length++;
    for (let i = 0; i < 10; i++) add(9, t0 + 3_630_000 + i * 15_000, 20 + i);
    await w.log(encodeSamples(batch));
    await w.log(encodeTombstonesRecord([{ ref: 9, mint: t0 + 3_660_000, maxt: t0 + 3_690_000 }]));
    await w.close();

    const before = await dirSnapshot(data);
    const v = await vigil('tsdb', 'dump', data);
    assert.equal(v.code, 0, v.err);
    assert.deepEqual(await dirSnapshot(data), before, 'vigil tsdb dump changed the directory');
    const copy = join(dir, 'copy');
    await cp(data, copy, { recursive: true });
    assert.equal(v.out, await promtoolDump(copy));
    assert.match(v.out, /\{__name__="zzz", x="y"\} NaN /);
    // From the block's end on only the head is queried, which Prometheus lists by reference.
    const ranged = ['--min-time', String(t0 + 3_600_000), '--max-time', String(t0 + 3_650_000)];
    const r = await vigil('tsdb', 'dump', ...ranged, data);
    assert.equal(r.out, await promtoolDump(copy, ranged));
    assert.ok(r.out.startsWith('{__name__="zzz"'));
    const withBlock = ['--min-time', String(t0 + 3_599_999), '--max-time', String(t0 + 3_650_000)];
    assert.equal((await vigil('tsdb', 'dump', ...withBlock, data)).out, await promtoolDump(copy, withBlock));
    // A head without blocks: in label order over the full range, else in reference order.
    const headOnly = join(dir, 'head');
    await cp(join(data, 'wal'), join(headOnly, 'wal'), { recursive: true });
    const h = await vigil('tsdb', 'dump', headOnly);
    const headCopy = join(dir, 'head-copy');
    await cp(headOnly, headCopy, { recursive: true });
    assert.equal(h.out, await promtoolDump(headCopy));
    assert.ok(h.out.startsWith('{__name__="up"'));
    const hr = ['--min-time', '0'];
    const hRanged = await vigil('tsdb', 'dump', ...hr, headOnly);
    assert.equal(hRanged.out, await promtoolDump(headCopy, hr));
    assert.ok(hRanged.out.startsWith('{__name__="zzz"'));
    assert.ok((await readFile(join(headOnly, 'wal', '00000000'))).length > 0);
  });
});

test('create-blocks-from openmetrics: progress on a terminal, none otherwise', async () => {
  await withTempDir(async (dir) => {
    await writeFile(join(dir, 'in.om'), fixture().text);
    const stdout = new PassThrough();
    const stderr = Object.assign(new PassThrough(), { isTTY: true });
    let err = '';
    stdout.resume();
    stderr.on('data', (b: Buffer) => (err += b.toString()));
    const code = await main(
      ['tsdb', 'create-blocks-from', 'openmetrics', '--quiet', join(dir, 'in.om'), join(dir, 'v')],
      {
        stdin: new PassThrough(),
        stdout,
        stderr,
      },
    );
    assert.equal(code, 0);
    assert.match(err, /\rbackfill: block 1\/4 \(0%\)/);
    assert.match(err, /backfill: done/);
    const plain = await vigil(
      'tsdb',
      'create-blocks-from',
      'openmetrics',
      '--quiet',
      join(dir, 'in.om'),
      join(dir, 'w'),
    );
    assert.equal(plain.err, '');
    assert.equal(plain.out, '');
  });
});
