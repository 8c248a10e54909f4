import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { requireProgram } from '../../../test/support/programs.js';
import { decodeRecord } from '../record/index.js';
import { WalReader } from './index.js';
import { freePort } from '../../../test/support/network.js';

test('reads the WAL that Prometheus wrote (killed with SIGKILL)', { timeout: 60_000 }, async () => {
  const prometheus = requireProgram('prometheus', 'prometheus');
  const dir = await mkdtemp(join(tmpdir(), 'vigil-prom-wal-'));
  try {
    const port = await freePort();
    const config = join(dir, 'prometheus.yml');
    await writeFile(
      config,
      `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: self\n    static_configs:\n      - targets: ['127.0.0.1:${port}']\n`,
    );
    const started = Date.now();
    const child = spawn(
      prometheus,
      [
        `--config.file=${config}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--storage.tsdb.wal-compression',
      ],
      { stdio: 'ignore' },
    );
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    // Wait until a few scrapes reached the WAL (Prometheus writes a segment's pages lazily).
    const seg0 = join(dir, 'data', 'wal', '00000000');
    for (let i = 0; i < 120; i++) {
      await sleep(250);
      const size = await stat(seg0).then(
        (st) => st.size,
        () => 0,
      );
      if (size >= 8000) break;
    }
    child.kill('SIGKILL');
    await exited;

    const r = await WalReader.open(join(dir, 'data', 'wal'));
    const names = new Set<string>();
    let samples = 0;
    let minT = Infinity;
    let maxT = -Infinity;
    try {
      while (await r.next()) {
        const rec = decodeRecord(r.record());
        if (rec.kind === 'series') for (const s of rec.series) names.add(s.labels.metricName());
        if (rec.kind === 'samples') {
          const b = rec.samples;
          samples += b.length;
          for (let i = 0; i < b.length; i++) {
            minT = Math.min(minT, b.timestamps[i]);
            maxT = Math.max(maxT, b.timestamps[i]);
          }
        }
      }
      assert.equal(r.err(), undefined);
    } finally {
      await r.close();
    }
    assert.ok(names.has('up'), 'series record for up');
    assert.ok(names.has('scrape_duration_seconds'));
    assert.ok(samples > 0);
    assert.ok(minT >= started - 60_000 && maxT <= Date.now() + 60_000, `timestamps ${minT}..${maxT}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
