/**
 * The real stack for end-to-end tests (the console's browser test among them): Debian's
 * `prometheus-node-exporter` and the real `vigil server` process (`bin/vigil.js`, serving the
 * built console from dist/ui) scraping it every second, each on a free loopback port, with the
 * TSDB in a temporary directory. Both programs are required: a missing one throws (the test
 * fails, never skips).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../support/network.js';
import { VIGIL_BIN } from '../support/paths.js';
import { requireProgram } from '../support/programs.js';

/** One element of an instant vector or a range matrix, as `/api/v1/query{,_range}` answer. */
export interface APISeries {
  metric: Record<string, string>;
  /** Instant vectors only: `[time, "value"]`. */
  value?: [number, string];
}

export interface RealStack {
  /** The console's base URL, `http://127.0.0.1:PORT`. */
  url: string;
  /** The exporter's `host:port`: its `instance` label and target address. */
  exporter: string;
  /** The server's stderr so far (its JSON log), for failure messages. */
  log(): string;
  /** `/api/v1/query` → `data.result`; throws unless the envelope says success. */
  query(expr: string): Promise<APISeries[]>;
  /** Stops both processes (SIGTERM, then SIGKILL after 5 s) and removes the directory. */
  stop(): Promise<void>;
}

/**
 * Polls `check` every 200 ms until it holds (a throw counts as "not yet"). The deadline only
 * bounds a wait on a slow machine; it never measures anything.
 */
export async function until(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once('exit', () => resolve()));
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited(child);
  clearTimeout(killer);
}

/**
 * Starts the exporter and the server, and resolves once the server answers `up{job="node"}` with
 * 1 and has two scrapes of `node_cpu_seconds_total` (so `rate(…[1m])` has a value).
 */
export async function startRealStack(): Promise<RealStack> {
  const exporterBin = requireProgram('prometheus-node-exporter', 'prometheus-node-exporter');
  const dir = await mkdtemp(join(tmpdir(), 'vigil-console-e2e-'));
  const exporter = `127.0.0.1:${await freePort()}`;
  const url = `http://127.0.0.1:${await freePort()}`;
  const children: ChildProcess[] = [];
  let log = '';
  const stop = async (): Promise<void> => {
    await Promise.all(children.map(stopChild));
    await rm(dir, { recursive: true, force: true });
  };
  const query = async (expr: string): Promise<APISeries[]> => {
    const res = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(expr)}`);
    const body = (await res.json()) as { status: string; error?: string; data: { result: APISeries[] } };
    if (body.status !== 'success') throw new Error(`query ${expr}: ${body.error ?? res.status}`);
    return body.data.result;
  };
  try {
    children.push(spawn(exporterBin, [`--web.listen-address=${exporter}`], { stdio: 'ignore' }));
    await writeFile(
      join(dir, 'prometheus.yml'),
      [
        'global:',
        '  scrape_interval: 1s',
        '  scrape_timeout: 1s',
        'scrape_configs:',
        '  - job_name: node',
        '    static_configs:',
        `      - targets: ['${exporter}']`,
        '',
      ].join('\n'),
    );
    const vigil = spawn(
      process.execPath,
      [
        VIGIL_BIN,
        'server',
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=${url.slice('http://'.length)}`,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    children.push(vigil);
    vigil.stderr.on('data', (c: Buffer) => (log += c.toString()));
    await until('the node exporter to be scraped', async () => {
      // A server that died stops the wait at once; the check below throws its log.
      if (vigil.exitCode !== null || vigil.signalCode !== null) return true;
      const up = await query('up{job="node"}');
      if (up.length !== 1 || up[0].value?.[1] !== '1') return false;
      return (await query('rate(node_cpu_seconds_total{job="node"}[1m])')).length > 0;
    });
    if (vigil.exitCode !== null || vigil.signalCode !== null) throw new Error('vigil server exited');
  } catch (e) {
    await stop();
    throw new Error(`start the node exporter and vigil server: ${String(e)}\n${log}`, { cause: e });
  }
  return { url, exporter, log: () => log, query, stop };
}
