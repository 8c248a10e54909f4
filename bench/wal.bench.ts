/**
 * WAL append and read throughput on sample records of 1,000 samples each (one scrape-sized
 * commit), written with fsync after every batch (`fsync: 'always'`) and without (`never`), then
 * read back and decoded.
 *
 * Run: `npm run bench:wal` (builds first). Figures go in docs/benchmarks.md. Set WAL_BENCH_DIR
 * to put the files on a particular disk (default: the OS temp directory).
 */

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeSamples, encodeSamples, newSampleBatch } from '../src/tsdb/record/index.js';
import { WalReader, WalWriter } from '../src/tsdb/wlog/index.js';
import type { FsyncPolicy } from '../src/tsdb/wlog/index.js';
import type { Logger } from '../src/util/logger.js';

const BATCH = 1000;
const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} };

function makeRecords(batches: number): Uint8Array[] {
  const b = newSampleBatch(BATCH);
  const out: Uint8Array[] = [];
  for (let k = 0; k < batches; k++) {
    for (let i = 0; i < BATCH; i++) {
      b.refs[i] = i + 1;
      b.timestamps[i] = 1_700_000_000_000 + k * 15000 + (i % 7);
      b.values[i] = (k * BATCH + i) * 0.37;
    }
    b.length = BATCH;
    out.push(encodeSamples(b));
  }
  return out;
}

async function run(
  policy: FsyncPolicy,
  records: Uint8Array[],
  base: string,
  compress = false,
): Promise<void> {
  const dir = await mkdtemp(join(base, 'vigil-wal-bench-'));
  try {
    const bytes = records.reduce((a, r) => a + r.length, 0);
    const w = await WalWriter.open(dir, { logger: silent }, { fsync: policy, compress });
    let t0 = process.hrtime.bigint();
    for (const r of records) await w.log(r);
    await w.close();
    let secs = Number(process.hrtime.bigint() - t0) / 1e9;
    const samples = records.length * BATCH;
    console.log(
      `append fsync=${policy}${compress ? ' snappy' : ''}: ${(bytes / 1e6 / secs).toFixed(1)} MB/s, ${(samples / 1e6 / secs).toFixed(2)} M samples/s (${records.length} batches, ${secs.toFixed(2)} s)`,
    );
    t0 = process.hrtime.bigint();
    const r = await WalReader.open(dir);
    const into = newSampleBatch(BATCH);
    let n = 0;
    let rb = 0;
    while (await r.next()) {
      rb += r.record().length;
      n += decodeSamples(r.record(), into).length;
    }
    await r.close();
    if (r.err() !== undefined || n !== samples)
      throw new Error(`read back ${n} of ${samples}: ${String(r.err())}`);
    secs = Number(process.hrtime.bigint() - t0) / 1e9;
    console.log(
      `read+decode: ${(rb / 1e6 / secs).toFixed(1)} MB/s, ${(n / 1e6 / secs).toFixed(2)} M samples/s`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Many commits in flight at once, as when a scrape interval's targets finish together: `waves` of
 * `concurrent` unawaited `log()` calls, each wave awaited. Reports CPU time per record too.
 */
async function runConcurrent(records: Uint8Array[], concurrent: number, base: string): Promise<void> {
  const dir = await mkdtemp(join(base, 'vigil-wal-bench-'));
  try {
    const w = await WalWriter.open(dir, { logger: silent }, { fsync: 'batch' });
    const cpu0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < records.length; i += concurrent) {
      await Promise.all(records.slice(i, i + concurrent).map((r) => w.log(r)));
    }
    await w.close();
    const secs = Number(process.hrtime.bigint() - t0) / 1e9;
    const cpu = process.cpuUsage(cpu0);
    const cpuSecs = (cpu.user + cpu.system) / 1e6;
    const samples = records.length * BATCH;
    console.log(
      `append fsync=batch, ${concurrent} commits in flight: ${(samples / 1e6 / secs).toFixed(2)} M samples/s wall, ${(samples / 1e6 / cpuSecs).toFixed(2)} M samples/s CPU (${records.length} batches)`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const base = process.env['WAL_BENCH_DIR'] ?? tmpdir();
await runConcurrent(makeRecords(5000), 200, base);
await run('always', makeRecords(1000), base);
await run('never', makeRecords(5000), base);
await run('never', makeRecords(5000), base, true);
