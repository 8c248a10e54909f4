/**
 * Runs Debian's real `prometheus` as an oracle on a data directory: start it, wait until ready,
 * query its HTTP API, stop it (SIGTERM, or SIGKILL to leave a crashed directory).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort } from '../support/network.js';
import { requireProgram } from '../support/programs.js';

export interface PromSample {
  metric: Record<string, string>;
  value: [number, string];
}

export class PrometheusServer {
  private constructor(
    readonly port: number,
    /** The configuration file it runs (relative paths in it are relative to its directory). */
    readonly configFile: string,
    private readonly child: ChildProcess,
    private readonly exited: Promise<void>,
    readonly log: () => string,
  ) {}

  /** Starts prometheus on `dataDir` with `configYaml` (written next to it) and waits for /-/ready. */
  static async start(
    dataDir: string,
    configYaml: string,
    extraFlags: string[] = [],
  ): Promise<PrometheusServer> {
    const bin = requireProgram('prometheus', 'prometheus');
    const port = await freePort();
    const configFile = join(dataDir, '..', `prometheus-${port}.yml`);
    await writeFile(configFile, configYaml);
    const child = spawn(
      bin,
      [
        `--config.file=${configFile}`,
        `--storage.tsdb.path=${dataDir}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--storage.tsdb.retention.time=100y',
        '--web.enable-lifecycle',
        ...extraFlags,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let log = '';
    child.stderr.on('data', (c: Buffer) => (log += c.toString()));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const server = new PrometheusServer(port, configFile, child, exited, () => log);
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`prometheus exited: ${log}`);
      const ok = await fetch(`http://127.0.0.1:${port}/-/ready`).then(
        (r) => r.status === 200,
        () => false,
      );
      if (ok) return server;
      if (Date.now() > deadline) {
        await server.stop('SIGKILL');
        throw new Error(`prometheus did not become ready: ${log}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** An instant query's vector result at `time` (seconds). */
  async query(q: string, time: number): Promise<PromSample[]> {
    const res = await fetch(
      `http://127.0.0.1:${this.port}/api/v1/query?query=${encodeURIComponent(q)}&time=${time}`,
    );
    const body = (await res.json()) as { status: string; error?: string; data: { result: PromSample[] } };
    if (body.status !== 'success') throw new Error(`prometheus query ${q}: ${body.error}`);
    return body.data.result;
  }

  /** The configuration as `/api/v1/status/config` shows it. */
  async statusConfig(): Promise<string> {
    const res = await fetch(`http://127.0.0.1:${this.port}/api/v1/status/config`);
    const body = (await res.json()) as { status: string; error?: string; data: { yaml: string } };
    if (body.status !== 'success') throw new Error(`prometheus status/config: ${body.error}`);
    return body.data.yaml;
  }

  /** Rewrites the configuration file and reloads it through `/-/reload`. */
  async reload(configYaml: string): Promise<void> {
    await writeFile(this.configFile, configYaml);
    const res = await fetch(`http://127.0.0.1:${this.port}/-/reload`, { method: 'POST' });
    if (res.status !== 200) throw new Error(`prometheus reload: ${res.status} ${await res.text()}`);
  }

  /** A range selector's raw samples per series at `time` (seconds): labels → sample count. */
  async sampleCounts(selector: string, time: number): Promise<Map<Record<string, string>, number>> {
    const res = await fetch(
      `http://127.0.0.1:${this.port}/api/v1/query?query=${encodeURIComponent(selector)}&time=${time}`,
    );
    const body = (await res.json()) as {
      status: string;
      error?: string;
      data: { result: { metric: Record<string, string>; values: unknown[] }[] };
    };
    if (body.status !== 'success') throw new Error(`prometheus query ${selector}: ${body.error}`);
    return new Map(body.data.result.map((s) => [s.metric, s.values.length]));
  }

  /** A range selector's raw samples at `time` (seconds): per series its labels and [t ms, value]. */
  async rangeSamples(
    selector: string,
    time: number,
  ): Promise<{ metric: Record<string, string>; samples: [number, number][] }[]> {
    const res = await fetch(
      `http://127.0.0.1:${this.port}/api/v1/query?query=${encodeURIComponent(selector)}&time=${time}`,
    );
    const body = (await res.json()) as {
      status: string;
      error?: string;
      data: { result: { metric: Record<string, string>; values: [number, string][] }[] };
    };
    if (body.status !== 'success') throw new Error(`prometheus query ${selector}: ${body.error}`);
    return body.data.result.map((s) => ({
      metric: s.metric,
      samples: s.values.map(([t, v]): [number, number] => [Math.round(t * 1000), Number(v)]),
    }));
  }

  /** Stops the process and waits for it to exit. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    await this.exited;
  }
}
