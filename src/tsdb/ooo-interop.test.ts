/**
 * Out-of-order data is interchangeable with Prometheus 2.42 (Debian's package): a directory where
 * Prometheus took out-of-order samples (through its remote-write receiver) and was SIGKILLed opens
 * in Vigil with every sample; one where Vigil took them opens in Prometheus with every sample.
 * Enough samples per series that out-of-order chunks are cut to chunks_head and mmap markers
 * written, so both the write-behind log and the chunks are read across.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { PrometheusServer } from '../../test/helpers/prometheus-server.js';
import { remoteWrite } from '../../test/helpers/remote-write.js';
import type { RemoteSeries } from '../../test/helpers/remote-write.js';
import { dumpStorage } from '../../test/support/storage-dump.js';
import type { Dump } from '../../test/support/storage-dump.js';
import { Labels } from '../model/labels.js';
import { DB } from './db.js';

const MIN = 60_000;
const CONFIG = 'storage:\n  tsdb:\n    out_of_order_time_window: 1h\nscrape_configs: []\n';

/**
 * The batches to write, in order: each series' newest sample first, then 100 older ones each in a
 * scrambled order (37 is coprime with 100), in batches of 10.
 */
function plan(base: number): RemoteSeries[][] {
  const names = ['x', 'y', 'z'];
  const batches: RemoteSeries[][] = [
    names.map((k) => ({ labels: { __name__: 'ooo_interop', k }, samples: [[base + 40 * MIN, -1]] })),
  ];
  for (let b = 0; b < 10; b++) {
    batches.push(
      names.map((k, j) => ({
        labels: { __name__: 'ooo_interop', k },
        samples: Array.from({ length: 10 }, (_, i): [number, number] => {
          const n = b * 10 + i;
          return [base + ((n * 37) % 100) * 15_000 + j, n + j / 10];
        }),
      })),
    );
  }
  return batches;
}

/** The union of the plan as a dump: per series its samples sorted by time. */
function expected(batches: RemoteSeries[][]): Dump {
  const out: Dump = {};
  for (const batch of batches) {
    for (const s of batch) (out[Labels.from(s.labels).toString()] ??= []).push(...s.samples);
  }
  for (const list of Object.values(out)) list.sort((a, b) => a[0] - b[0]);
  return out;
}

describe('out-of-order data interchange with Prometheus', () => {
  it('opens a directory where Prometheus took out-of-order samples and was SIGKILLed, with every sample', async () => {
    const tmp = await mkdtemp(join(tmpdir(), 'vigil-ooo-prom-'));
    try {
      const data = join(tmp, 'data');
      const base = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3_600_000;
      const batches = plan(base);
      const prom = await PrometheusServer.start(data, CONFIG, ['--web.enable-remote-write-receiver']);
      try {
        for (const batch of batches) await remoteWrite(`http://127.0.0.1:${prom.port}/api/v1/write`, batch);
        // Prometheus itself has them all before it is killed.
        const seen = await prom.rangeSamples('ooo_interop[2h]', (base + 41 * MIN) / 1000);
        assert.equal(
          seen.reduce((n, s) => n + s.samples.length, 0),
          3 * 101,
        );
      } finally {
        await prom.stop('SIGKILL');
      }
      const names = await readdir(join(data, 'wbl'));
      assert.ok(names.length > 0, 'Prometheus wrote a write-behind log');
      const db = await DB.open(data, { maintenanceInterval: 0 });
      try {
        assert.deepEqual(dumpStorage(db), expected(batches));
      } finally {
        await db.close();
      }
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  });

  it('hands Prometheus a directory where Vigil took out-of-order samples, with every sample', async () => {
    const tmp = await mkdtemp(join(tmpdir(), 'vigil-ooo-prom-'));
    try {
      const data = join(tmp, 'data');
      const base = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3_600_000;
      const batches = plan(base);
      const db = await DB.open(data, { maintenanceInterval: 0, outOfOrderTimeWindow: 60 * MIN });
      for (const batch of batches) {
        const app = db.appender();
        for (const s of batch) for (const [t, v] of s.samples) app.append(0, Labels.from(s.labels), t, v);
        await app.commit();
      }
      const want = expected(batches);
      assert.deepEqual(dumpStorage(db), want);
      await db.close();
      const prom = await PrometheusServer.start(data, CONFIG);
      try {
        const got: Dump = {};
        for (const s of await prom.rangeSamples('ooo_interop[2h]', (base + 41 * MIN) / 1000)) {
          got[Labels.from(s.metric).toString()] = s.samples;
        }
        assert.deepEqual(got, want);
      } finally {
        await prom.stop();
      }
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  });
});
