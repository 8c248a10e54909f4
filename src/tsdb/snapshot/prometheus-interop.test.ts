/**
 * The head's on-disk formats against Prometheus 2.42 itself: Vigil reads the `chunks_head/`, WAL
 * and `chunk_snapshot.*` that Prometheus writes, and Prometheus loads a checkpoint, a memory
 * snapshot and head chunk files that Vigil wrote.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { requireProgram } from '../../../test/support/programs.js';
import { freePort } from '../../../test/support/network.js';
import { Labels } from '../../model/labels.js';
import { ValueType } from '../../storage/interface.js';
import type { LogFields, Logger } from '../../util/logger.js';
import { noopLogger } from '../../util/logger.js';
import { XorChunk } from '../chunkenc/xor.js';
import { HeadChunkReader, HeadChunkWriter } from '../chunks/head-chunks.js';
import { decodeRecord, encodeSamples, encodeSeries, newSampleBatch } from '../record/index.js';
import { checkpoint, deleteSegmentsBefore, lastCheckpoint, replayWal } from '../wlog/checkpoint.js';
import { WalWriter, listSegments, segmentName } from '../wlog/index.js';
import { lastSnapshot, readSnapshot, writeSnapshot } from './index.js';

class WarnLogger implements Logger {
  readonly warnings: string[] = [];
  debug(): void {}
  info(): void {}
  warn(message: string, fields?: LogFields): void {
    this.warnings.push(`${message} ${JSON.stringify(fields ?? {})}`);
  }
  error(message: string): void {
    this.warnings.push(message);
  }
}

interface Running {
  readonly port: number;
  readonly child: ChildProcess;
  readonly exited: Promise<void>;
  readonly log: string[];
}

async function startPrometheus(
  dir: string,
  config: string,
  port: number,
  extra: string[] = [],
): Promise<Running> {
  const prometheus = requireProgram('prometheus', 'prometheus');
  const configFile = join(dir, 'prometheus.yml');
  await writeFile(configFile, config);
  const child = spawn(
    prometheus,
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      ...extra,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const log: string[] = [];
  child.stderr?.setEncoding('utf8').on('data', (s: string) => log.push(s));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { port, child, exited, log };
}

interface Sample {
  readonly metric: Record<string, string>;
  readonly value: [number, string];
}

/** Runs an instant query, waiting (bounded) until Prometheus is ready to answer. */
async function query(p: Running, expr: string, time?: number): Promise<Sample[]> {
  const url = `http://127.0.0.1:${p.port}/api/v1/query?query=${encodeURIComponent(expr)}${time === undefined ? '' : `&time=${time / 1000}`}`;
  for (let i = 0; i < 120; i++) {
    try {
      const res = await fetch(url);
      if (res.ok) return ((await res.json()) as { data: { result: Sample[] } }).data.result;
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  throw new Error(`Prometheus did not answer ${expr}: ${p.log.join('')}`);
}

async function withTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-head-interop-'));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function chunkSamples(c: XorChunk): [number, number][] {
  const out: [number, number][] = [];
  const it = c.iterator();
  while (it.next() === ValueType.Float) out.push([it.t(), it.v()]);
  return out;
}

test("Vigil reads Prometheus' chunks_head, WAL and memory snapshot", { timeout: 90_000 }, async () => {
  await withTempDir(async (dir) => {
    const port = await freePort();
    // Scraping itself every 50 ms fills head chunks within seconds, so some get m-mapped to
    // chunks_head/ (at 1 s a chunk takes two minutes).
    const p = await startPrometheus(
      dir,
      `global:\n  scrape_interval: 50ms\n  scrape_timeout: 50ms\nscrape_configs:\n  - job_name: self\n    static_configs:\n      - targets: ['127.0.0.1:${port}']\n`,
      port,
      ['--enable-feature=memory-snapshot-on-shutdown'],
    );
    try {
      // Wait until some series cut a second chunk, so their first one is m-mapped.
      let cut = false;
      for (let i = 0; i < 100 && !cut; i++) {
        const r = await query(p, 'prometheus_tsdb_head_chunks_created_total - prometheus_tsdb_head_series');
        cut = r.length > 0 && Number(r[0].value[1]) > 0;
        if (!cut) await sleep(250);
      }
      assert.ok(cut, 'Prometheus cut new head chunks');
    } finally {
      p.child.kill('SIGTERM');
      await p.exited;
    }
    const data = join(dir, 'data');

    // The WAL (and a checkpoint, if one was made), in replay order.
    const labelsByRef = new Map<number, Labels>();
    let samples = 0;
    for await (const r of replayWal(join(data, 'wal'))) {
      const rec = decodeRecord(r.record);
      if (rec.kind === 'series') for (const s of rec.series) labelsByRef.set(s.ref, s.labels);
      if (rec.kind === 'samples') {
        samples += rec.samples.length;
        for (let i = 0; i < rec.samples.length; i++) assert.ok(labelsByRef.has(rec.samples.refs[i]));
      }
    }
    assert.ok(labelsByRef.size > 100, `series in the WAL: ${labelsByRef.size}`);
    assert.ok(samples > labelsByRef.size);
    const up = [...labelsByRef.values()].find((l) => l.get('__name__') === 'up');
    assert.deepEqual([up?.get('job'), up?.get('instance')], ['self', `127.0.0.1:${port}`]);

    // chunks_head/: every record's CRC holds and its chunk matches its metadata.
    const logger = new WarnLogger();
    const heads = HeadChunkReader.open(join(data, 'chunks_head'), { logger });
    try {
      const metas = [...heads.iterate()];
      assert.ok(metas.length > 0, 'Prometheus m-mapped chunks');
      assert.deepEqual(logger.warnings, []);
      for (const m of metas) {
        assert.ok(labelsByRef.has(m.seriesRef), `chunk of unknown series ${m.seriesRef}`);
        const got = chunkSamples(heads.chunk(m.ref) as XorChunk);
        assert.equal(got.length, m.numSamples);
        assert.deepEqual([got[0][0], got[got.length - 1][0]], [m.mint, m.maxt]);
      }
    } finally {
      heads.close();
    }

    // The memory snapshot written at shutdown.
    const snap = await lastSnapshot(data);
    assert.ok(snap !== undefined, 'a chunk snapshot');
    assert.equal(snap.segment, 0);
    assert.ok(snap.offset <= (await stat(join(data, 'wal', segmentName(0)))).size);
    let seriesCount = 0;
    let tombstoneRecords = 0;
    for (const r of await readSnapshot(snap.dir)) {
      if (r.kind === 'tombstones') {
        tombstoneRecords++;
        assert.deepEqual(r.tombstones, []);
      }
      if (r.kind !== 'series') continue;
      seriesCount++;
      const s = r.series;
      assert.ok(s.labels.equals(labelsByRef.get(s.ref) ?? Labels.EMPTY), `labels of series ${s.ref}`);
      const c = s.headChunk;
      if (c === undefined) continue;
      const got = chunkSamples(new XorChunk(c.data));
      assert.deepEqual([got[0][0], got[got.length - 1][0]], [c.mint, c.maxt]);
      // Prometheus 2.42 keeps only the last value, in the last slot of the old sample buffer.
      assert.ok(Object.is(c.sampleValues[3], got[got.length - 1][1]) || Number.isNaN(got[got.length - 1][1]));
    }
    assert.equal(seriesCount, labelsByRef.size);
    assert.equal(tombstoneRecords, 1);

    // Vigil checkpoints Prometheus' WAL whole: replay then yields the same series and samples.
    const walDir = join(data, 'wal');
    const last = (await listSegments(walDir)).at(-1) ?? 0;
    const stats = await checkpoint(
      walDir,
      0,
      last,
      () => true,
      0,
      { logger: noopLogger },
      { compress: true },
    );
    assert.deepEqual(
      [stats.totalSeries, stats.droppedSeries, stats.totalSamples, stats.droppedSamples],
      [labelsByRef.size, 0, samples, 0],
    );
    let cpSeries = 0;
    let cpSamples = 0;
    for await (const r of replayWal(walDir)) {
      assert.equal(r.source, 'checkpoint');
      const rec = decodeRecord(r.record);
      if (rec.kind === 'series') cpSeries += rec.series.length;
      if (rec.kind === 'samples') cpSamples += rec.samples.length;
    }
    assert.deepEqual([cpSeries, cpSamples], [labelsByRef.size, samples]);
  });
});

test('Prometheus loads a WAL checkpoint that Vigil wrote', { timeout: 60_000 }, async () => {
  await withTempDir(async (dir) => {
    const wal = join(dir, 'data', 'wal');
    const t0 = Math.floor(Date.now() / 1000) * 1000 - 10 * 60_000;
    const batch = (ref: number, from: number, n: number): Uint8Array => {
      const b = newSampleBatch(n);
      for (let i = 0; i < n; i++) {
        b.refs[i] = ref;
        b.timestamps[i] = t0 + (from + i) * 1000;
        b.values[i] = from + i;
      }
      b.length = n;
      return encodeSamples(b);
    };
    const labels = (ref: number): Labels => Labels.from({ __name__: 'vigil_cp', ref: String(ref) });
    // Three segments: series 1–3 and samples 0–99, samples 100–199, samples 200–299.
    const segments = [
      [
        encodeSeries([1, 2, 3].map((ref) => ({ ref, labels: labels(ref) }))),
        batch(1, 0, 100),
        batch(2, 0, 100),
        batch(3, 0, 100),
      ],
      [batch(1, 100, 100), batch(2, 100, 100), batch(3, 100, 100)],
      [batch(1, 200, 100), batch(2, 200, 100), batch(3, 200, 100)],
    ];
    for (const recs of segments) {
      const w = await WalWriter.open(wal, { logger: noopLogger }, { compress: true });
      await w.log(...recs);
      await w.close();
    }
    // Series 2 is gone from the head; samples before t0 + 150 s are below the head's mint.
    const stats = await checkpoint(
      wal,
      0,
      1,
      (ref) => ref !== 2,
      t0 + 150_000,
      { logger: noopLogger },
      { compress: true },
    );
    assert.equal(stats.droppedSeries, 1);
    await deleteSegmentsBefore(wal, 2);
    assert.equal((await lastCheckpoint(wal))?.index, 1);

    const p = await startPrometheus(dir, 'global:\n  scrape_interval: 1m\n', await freePort());
    try {
      const at = t0 + 299_000;
      const counts = await query(p, 'count_over_time(vigil_cp[20m])', at);
      const byRef = Object.fromEntries(counts.map((s) => [s.metric['ref'], s.value[1]]));
      // 50 samples (150–199) from the checkpoint and 100 from segment 2; series 2 is unknown.
      assert.deepEqual(byRef, { '1': '150', '3': '150' });
    } finally {
      p.child.kill('SIGKILL');
      await p.exited;
    }
  });
});

test(
  'Prometheus loads a memory snapshot and head chunk files that Vigil wrote',
  { timeout: 60_000 },
  async () => {
    await withTempDir(async (dir) => {
      const data = join(dir, 'data');
      const t0 = Math.floor(Date.now() / 1000) * 1000 - 10 * 60_000;
      const labels = Labels.from({ __name__: 'vigil_snap', source: 'snapshot' });
      // Samples 0–59 in an m-mapped chunk, 60–99 in the open head chunk: neither is in the WAL.
      const make = (from: number, to: number): XorChunk => {
        const c = new XorChunk();
        const app = c.appender();
        for (let i = from; i < to; i++) app.append(t0 + i * 1000, i * 2);
        return c;
      };
      const heads = HeadChunkReader.open(join(data, 'chunks_head'), { logger: noopLogger });
      const hw = HeadChunkWriter.open(heads);
      hw.writeChunk(7, t0, t0 + 59_000, make(0, 60));
      await hw.close();
      heads.close();
      // The WAL holds one other series, after the snapshot's position (segment 0, offset 0).
      const w = await WalWriter.open(join(data, 'wal'), { logger: noopLogger });
      const b = newSampleBatch(1);
      b.refs[0] = 8;
      b.timestamps[0] = t0 + 99_000;
      b.values[0] = 42;
      b.length = 1;
      await w.log(
        encodeSeries([{ ref: 8, labels: Labels.from({ __name__: 'vigil_snap', source: 'wal' }) }]),
        encodeSamples(b),
      );
      await w.close();
      const head = make(60, 100);
      await writeSnapshot(
        data,
        { segment: 0, offset: 0 },
        {
          series: [
            {
              ref: 7,
              labels,
              headChunk: { mint: t0 + 60_000, maxt: t0 + 99_000, encoding: 1, data: head.bytes() },
            },
          ],
          tombstones: [],
        },
        { logger: noopLogger },
      );

      const p = await startPrometheus(dir, 'global:\n  scrape_interval: 1m\n', await freePort(), [
        '--enable-feature=memory-snapshot-on-shutdown',
      ]);
      try {
        const at = t0 + 99_000;
        const counts = await query(p, 'count_over_time(vigil_snap[20m])', at);
        const bySource = Object.fromEntries(counts.map((s) => [s.metric['source'], s.value[1]]));
        assert.deepEqual(bySource, { snapshot: '100', wal: '1' }, p.log.join(''));
        const last = await query(p, 'vigil_snap{source="snapshot"}', at);
        assert.equal(last[0]?.value[1], '198');
        const first = await query(p, 'vigil_snap{source="snapshot"}', t0);
        assert.equal(first[0]?.value[1], '0');
      } finally {
        p.child.kill('SIGKILL');
        await p.exited;
      }
    });
  },
);
