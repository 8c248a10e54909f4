/**
 * The whole data directory is interchangeable with Prometheus 2.42 (Debian's package): a directory
 * Prometheus wrote — blocks, WAL, chunks_head — opens in Vigil with every sample, including after
 * Prometheus was SIGKILLed; one Vigil wrote — blocks, WAL, chunks_head, snapshot — opens in
 * Prometheus with every sample, and in Vigil again after Prometheus ran on it.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ExpositionServer } from '../../test/helpers/exposition-server.js';
import { PrometheusServer } from '../../test/helpers/prometheus-server.js';
import { dumpStorage } from '../../test/support/storage-dump.js';
import type { Dump } from '../../test/support/storage-dump.js';
import { Labels } from '../model/labels.js';
import { Matcher } from '../model/matcher.js';
import { DB } from './db.js';

/**
 * Per series (labels as Prometheus prints them, sorted), the sample count without staleness
 * markers (a range query never returns them).
 */
function counts(dump: Dump): Record<string, number> {
  return Object.fromEntries(
    Object.entries(dump).map(([k, v]) => [k, v.filter(([, x]) => x !== 'stale').length]),
  );
}

function labelString(metric: Record<string, string>): string {
  return Labels.from(metric).toString();
}

describe('data directory interchange with Prometheus', () => {
  for (const stop of ['SIGTERM', 'SIGKILL'] as const) {
    it(`opens a directory Prometheus wrote and stopped with ${stop}, with every sample`, async () => {
      const tmp = await mkdtemp(join(tmpdir(), 'vigil-promdir-'));
      const target = await new ExpositionServer().start();
      target.answers.set('/metrics', {
        body: '# TYPE interop_total counter\ninterop_total{k="a"} 1\ninterop_total{k="b"} 2\ninterop_gauge NaN\n',
      });
      try {
        const data = join(tmp, 'data');
        await mkdir(data);
        const prom = await PrometheusServer.start(
          data,
          `global:\n  scrape_interval: 50ms\n  scrape_timeout: 50ms\nscrape_configs:\n  - job_name: t\n    static_configs:\n      - targets: ['${target.address}']\n`,
        );
        const want: Record<string, number> = {};
        try {
          // Let it scrape a while: enough samples that head chunks are cut and m-mapped.
          const deadline = Date.now() + 20_000;
          let n = 0;
          while (n < 200 && Date.now() < deadline) {
            await new Promise((r) => setTimeout(r, 500));
            const r = await prom.query('count_over_time(up[1h])', Date.now() / 1000);
            n = Number(r[0]?.value[1] ?? 0);
          }
          // Stop scraping (its loops end with staleness markers), so nothing is written after counting.
          await prom.reload('scrape_configs: []\n');
          await new Promise((r) => setTimeout(r, 500));
          for (const [metric, count] of await prom.sampleCounts('{job="t"}[1h]', Date.now() / 1000 + 60)) {
            want[labelString(metric)] = count;
          }
        } finally {
          await prom.stop(stop);
        }
        const db = await DB.open(data, { maintenanceInterval: 0 });
        const got = counts(
          dumpStorage(db, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, [new Matcher('=', 'job', 't')]),
        );
        await db.close();
        assert.ok(Object.keys(want).length >= 6, `too few series from Prometheus: ${JSON.stringify(want)}`);
        if (stop === 'SIGTERM') {
          assert.deepEqual(got, want);
        } else {
          // After SIGKILL the last scrape may not have reached the WAL file: at most one fewer.
          for (const [k, v] of Object.entries(want)) {
            const g = got[k] ?? 0;
            assert.ok(g === v || g === v - 1, `${k}: Prometheus ${v}, Vigil ${g}`);
          }
        }
      } finally {
        await target.close().catch(() => undefined);
        await rm(tmp, { recursive: true, force: true });
      }
    });
  }

  it('hands Prometheus a directory Vigil wrote, with every sample, and takes it back with every sample', async () => {
    const tmp = await mkdtemp(join(tmpdir(), 'vigil-promdir-'));
    try {
      const data = join(tmp, 'data');
      const db = await DB.open(data, { maintenanceInterval: 0 });
      // Ten hours at 15 s: blocks are cut, chunks m-mapped, and the rest stays in the head.
      const start = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 10 * 3_600_000;
      const series = Array.from({ length: 5 }, (_, i) =>
        Labels.from({ __name__: 'vigil_written', i: String(i) }),
      );
      for (let t = start; t < start + 10 * 3_600_000; t += 15_000) {
        const app = db.appender();
        for (const [i, s] of series.entries())
          app.append(0, s, t, i === 4 && t % 60_000 === 0 ? Number.NaN : t / 1000 + i);
        await app.commit();
      }
      await db.maintain();
      assert.ok(db.blocks().length > 0);
      const want = counts(dumpStorage(db));
      await db.close();
      const prom = await PrometheusServer.start(data, 'scrape_configs: []\n');
      try {
        const got: Record<string, number> = {};
        const at = (start + 10 * 3_600_000) / 1000;
        for (const [metric, count] of await prom.sampleCounts('vigil_written[11h]', at)) {
          got[labelString(metric)] = count;
        }
        assert.deepEqual(got, want);
      } finally {
        await prom.stop();
      }
      // Prometheus replayed the WAL into chunk files of its own: the head chunk index Vigil saved
      // beside its snapshot no longer describes chunks_head/ and must not be trusted.
      const back = await DB.open(data, { maintenanceInterval: 0 });
      try {
        assert.deepEqual(counts(dumpStorage(back)), want);
      } finally {
        await back.close();
      }
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  });
});
