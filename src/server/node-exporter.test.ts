/**
 * End to end with real programs: Debian's `prometheus-node-exporter` scraped by the real `vigil
 * server` process. Its series land with the right job and instance; stopping the exporter turns
 * `up` to 0 and ends its series with staleness markers; a SIGKILLed server restarts with every
 * sample it had committed.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { freePort } from '../../test/support/network.js';
import { VIGIL_BIN } from '../../test/support/paths.js';
import { requireProgram } from '../../test/support/programs.js';

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function stopped(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once('exit', () => resolve()));
}

interface Sample {
  metric: Record<string, string>;
  value: [number, string];
}

describe('vigil server with the real node exporter', () => {
  it('scrapes it, marks it down and stale when it stops, and keeps committed samples across SIGKILL', async () => {
    const exporterBin = requireProgram('prometheus-node-exporter', 'prometheus-node-exporter');
    const dir = await mkdtemp(join(tmpdir(), 'vigil-e2e-'));
    const exporterPort = await freePort();
    const vigilPort = await freePort();
    const instance = `127.0.0.1:${exporterPort}`;
    const children: ChildProcess[] = [];
    const startVigil = () => {
      const child = spawn(
        process.execPath,
        [
          VIGIL_BIN,
          'server',
          `--config.file=${join(dir, 'prometheus.yml')}`,
          `--storage.tsdb.path=${join(dir, 'data')}`,
          `--web.listen-address=127.0.0.1:${vigilPort}`,
        ],
        { stdio: ['ignore', 'ignore', 'pipe'] },
      );
      let log = '';
      child.stderr.on('data', (c: Buffer) => (log += c.toString()));
      children.push(child);
      return { child, log: () => log };
    };
    const query = async (q: string, time?: number): Promise<Sample[]> => {
      const t = time === undefined ? '' : `&time=${time}`;
      const res = await fetch(
        `http://127.0.0.1:${vigilPort}/api/v1/query?query=${encodeURIComponent(q)}${t}`,
      );
      const body = (await res.json()) as { status: string; data: { result: Sample[] } };
      assert.equal(body.status, 'success');
      return body.data.result;
    };
    try {
      const exporter = spawn(exporterBin, [`--web.listen-address=${instance}`], { stdio: 'ignore' });
      children.push(exporter);
      await writeFile(
        join(dir, 'prometheus.yml'),
        `global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\nscrape_configs:\n  - job_name: node\n    static_configs:\n      - targets: ['${instance}']\n`,
      );
      let vigil = startVigil();
      await until('the node exporter scraped', async () => {
        const up = await query('up{job="node"}');
        return up.length === 1 && up[0].value[1] === '1';
      });
      const cpu = await query(`node_cpu_seconds_total{job="node",instance="${instance}"}`);
      assert.ok(cpu.length > 0, 'no node_cpu_seconds_total series');
      assert.ok(cpu.every((s) => s.metric.mode !== undefined && s.metric.cpu !== undefined));

      exporter.kill('SIGTERM');
      await stopped(exporter);
      await until('up to turn 0', async () => (await query('up{job="node"}'))[0]?.value[1] === '0');
      await until(
        'the exporter series to go stale',
        async () => (await query(`node_cpu_seconds_total{instance="${instance}"}`)).length === 0,
      );

      // Everything committed until now survives a SIGKILL.
      const at = Date.now() / 1000;
      const before = await query('count_over_time(up{job="node"}[1h])', at);
      const beforeCpu = await query(
        `count(count_over_time(node_cpu_seconds_total{instance="${instance}"}[1h]))`,
        at,
      );
      vigil.child.kill('SIGKILL');
      await stopped(vigil.child);
      vigil = startVigil();
      await until('the restarted server to be ready', async () => {
        const res = await fetch(`http://127.0.0.1:${vigilPort}/-/ready`);
        return res.status === 200;
      });
      assert.deepEqual(await query('count_over_time(up{job="node"}[1h])', at), before);
      assert.deepEqual(
        await query(`count(count_over_time(node_cpu_seconds_total{instance="${instance}"}[1h]))`, at),
        beforeCpu,
      );
      assert.match(vigil.log(), /WAL replay completed/);
      vigil.child.kill('SIGTERM');
      await stopped(vigil.child);
      assert.equal(vigil.child.exitCode, 0, vigil.log());
    } finally {
      for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
      await Promise.all(children.map(stopped));
      await rm(dir, { recursive: true, force: true });
    }
  });
});
