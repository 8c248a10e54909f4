/**
 * Starts the real `prometheus` and the `vigil server` process on a data directory of blocks (each
 * on its own copy: both take the directory lock and may compact), waits until they are ready,
 * queries them over the HTTP API and stops them. Shared by the PromQL differential test and the
 * PromQL benchmark.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './network.js';
import { VIGIL_BIN } from './paths.js';
import { requireProgram } from './programs.js';

/** Which server a `QueryServer` runs. */
export type ServerKind = 'prometheus' | 'vigil';

/** A running server answering the HTTP API on 127.0.0.1. */
export interface QueryServer {
  readonly kind: ServerKind;
  readonly base: string;
  readonly child: ChildProcess;
  /** Its stderr so far, for error messages. */
  log(): string;
  /** Peak resident set size (VmHWM) in bytes, from /proc. */
  peakRss(): Promise<number>;
  /** SIGTERM, then SIGKILL after 10 s; resolves when it has exited. */
  stop(): Promise<void>;
}

/** Extra options for `startServer`. */
export interface StartOptions {
  /** Extra node flags for vigil (e.g. `--cpu-prof`). */
  readonly nodeArgs?: readonly string[];
  /** Working directory of the child (where `--cpu-prof` writes). */
  readonly cwd?: string;
}

/**
 * Copies `blocksDir` to `workDir/<kind>-data` and starts `kind` on it with an empty scrape
 * configuration (so nothing else is written), waiting until `/-/ready` answers 200.
 */
export async function startServer(
  kind: ServerKind,
  blocksDir: string,
  workDir: string,
  opts: StartOptions = {},
): Promise<QueryServer> {
  const data = join(workDir, `${kind}-data`);
  await cp(blocksDir, data, { recursive: true });
  const config = join(workDir, 'empty.yml');
  await writeFile(config, 'scrape_configs: []\n');
  const port = await freePort();
  const common = [
    `--config.file=${config}`,
    `--storage.tsdb.path=${data}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--storage.tsdb.retention.time=100y',
  ];
  const child =
    kind === 'prometheus'
      ? spawn(requireProgram('prometheus', 'prometheus'), common, {
          stdio: ['ignore', 'ignore', 'pipe'],
          cwd: opts.cwd ?? workDir,
        })
      : spawn(process.execPath, [...(opts.nodeArgs ?? []), VIGIL_BIN, 'server', ...common], {
          stdio: ['ignore', 'ignore', 'pipe'],
          cwd: opts.cwd ?? workDir,
        });
  let log = '';
  child.stderr?.setEncoding('utf8').on('data', (s: string) => {
    // Keep the tail only: a long run must not grow the test's memory.
    log = (log + s).slice(-20_000);
  });
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  const server: QueryServer = {
    kind,
    base: `http://127.0.0.1:${port}`,
    child,
    log: () => log,
    peakRss: async () => {
      const status = await readFile(`/proc/${child.pid}/status`, 'utf8');
      const m = /VmHWM:\s+(\d+) kB/.exec(status);
      return m === null ? 0 : Number(m[1]) * 1024;
    },
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${kind} exited early: ${log}`);
    try {
      const res = await fetch(`${server.base}/-/ready`);
      await res.arrayBuffer();
      if (res.ok) return server;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await server.stop();
      throw new Error(`${kind} not ready after 60 s: ${log}`);
    }
    await sleep(100);
  }
}

/** The API's JSON envelope, loosely typed: the comparison walks it as unknown data. */
export interface ApiAnswer {
  readonly status: string;
  readonly data?: { readonly resultType: string; readonly result: unknown };
  readonly errorType?: string;
  readonly error?: string;
}

/** POSTs a form to `path` (`/api/v1/query` or `/api/v1/query_range`) and returns the envelope. */
export async function apiQuery(
  server: QueryServer,
  path: string,
  form: Readonly<Record<string, string>>,
): Promise<ApiAnswer> {
  const res = await fetch(`${server.base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
  return (await res.json()) as ApiAnswer;
}
