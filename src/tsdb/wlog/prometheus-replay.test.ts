import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { requireProgram } from '../../../test/support/programs.js';
import { Labels } from '../../model/labels.js';
import { encodeSamples, encodeSeries, newSampleBatch } from '../record/index.js';
import { noopLogger } from '../../util/logger.js';
import { WalWriter } from './index.js';
import { freePort } from '../../../test/support/network.js';

test('Prometheus replays a WAL that Vigil wrote', { timeout: 60_000 }, async () => {
  const prometheus = requireProgram('prometheus', 'prometheus');
  const dir = await mkdtemp(join(tmpdir(), 'vigil-wal-replay-'));
  try {
    const t0 = Math.floor(Date.now() / 1000) * 1000 - 60_000;
    // Records that span pages: 3,000 samples in one record (~33 KB before snappy compression).
    const w = await WalWriter.open(
      join(dir, 'data', 'wal'),
      { logger: noopLogger },
      { fsync: 'always', compress: true },
    );
    const series = Array.from({ length: 3 }, (_, i) => ({
      ref: i + 1,
      labels: Labels.from({ __name__: 'vigil_wal_test', idx: String(i) }),
    }));
    const b = newSampleBatch(3000);
    for (let k = 0; k < 1000; k++) {
      for (let i = 0; i < 3; i++) {
        b.refs[k * 3 + i] = i + 1;
        b.timestamps[k * 3 + i] = t0 + k * 50;
        b.values[k * 3 + i] = k * 10 + i;
      }
    }
    b.length = 3000;
    await w.log(encodeSeries(series), encodeSamples(b));
    await w.close();

    const port = await freePort();
    const config = join(dir, 'prometheus.yml');
    await writeFile(config, 'global:\n  scrape_interval: 1m\n');
    const child = spawn(
      prometheus,
      [
        `--config.file=${config}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      { stdio: 'ignore' },
    );
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    try {
      const at = (t0 + 999 * 50) / 1000;
      const url = `http://127.0.0.1:${port}/api/v1/query?query=vigil_wal_test&time=${at}`;
      let body: unknown;
      for (let i = 0; i < 80; i++) {
        await sleep(250);
        try {
          const res = await fetch(url);
          if (res.ok) {
            body = await res.json();
            break;
          }
        } catch {
          // not listening yet
        }
      }
      const results = (body as { data: { result: { metric: { idx: string }; value: [number, string] }[] } })
        .data.result;
      const byIdx = new Map(results.map((r) => [r.metric.idx, r.value[1]]));
      assert.deepEqual([...byIdx.entries()].sort(), [
        ['0', '9990'],
        ['1', '9991'],
        ['2', '9992'],
      ]);
    } finally {
      child.kill('SIGKILL');
      await exited;
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
