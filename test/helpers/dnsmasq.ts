/**
 * Runs a real dnsmasq on 127.0.0.1 for DNS SD tests. dnsmasq comes from Debian's `dnsmasq` package,
 * which `.ci/run` installs; a missing binary fails the test rather than skipping it.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { access, constants, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Resolver } from 'node:dns/promises';

/** A running dnsmasq. */
export interface Dnsmasq {
  /** `127.0.0.1:<port>`, for `Resolver.setServers`. */
  server: string;
  /** Rewrites the extra hosts file (`ip name` lines) and makes dnsmasq re-read it. */
  setHosts(lines: string): Promise<void>;
  /** Stops dnsmasq and waits for it to exit. */
  stop(): Promise<void>;
}

/** Finds the dnsmasq binary, or throws an error that says how to get it. */
export async function findDnsmasq(): Promise<string> {
  const dirs = [...(process.env['PATH'] ?? '').split(path.delimiter), '/usr/sbin', '/sbin'];
  for (const dir of dirs) {
    if (dir === '') continue;
    const file = path.join(dir, 'dnsmasq');
    try {
      await access(file, constants.X_OK);
      return file;
    } catch {
      // Try the next directory.
    }
  }
  throw new Error(
    'dnsmasq is not installed: the DNS SD tests need a real DNS server. ' +
      '.ci/run must install it (apt-get install -y dnsmasq).',
  );
}

/**
 * Starts dnsmasq in the foreground with `options` (dnsmasq config lines, such as
 * `srv-host=…`), authoritative for nothing and forwarding nowhere. `dir` holds its files.
 */
export async function startDnsmasq(dir: string, options: string[]): Promise<Dnsmasq> {
  const bin = await findDnsmasq();
  const hostsFile = path.join(dir, 'hosts');
  await writeFile(hostsFile, '');
  let lastError: Error | undefined;
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freeUdpPort();
    const conf = path.join(dir, 'dnsmasq.conf');
    const lines = [
      'no-resolv',
      'no-hosts',
      'listen-address=127.0.0.1',
      'bind-interfaces',
      `port=${port}`,
      'pid-file=',
      `addn-hosts=${hostsFile}`,
      ...(process.getuid?.() === 0 ? ['user=root'] : []),
      ...options,
    ];
    await writeFile(conf, lines.join('\n') + '\n');
    const child = spawn(bin, ['--keep-in-foreground', `--conf-file=${conf}`, '--log-facility=-'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (b: Buffer) => (stderr += b.toString()));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const server = `127.0.0.1:${port}`;
    try {
      await waitReady(server, child);
    } catch (err) {
      child.kill('SIGTERM');
      await exited;
      lastError = new Error(`dnsmasq did not start: ${(err as Error).message}\n${stderr}`);
      continue;
    }
    return {
      server,
      async setHosts(content: string): Promise<void> {
        await writeFile(hostsFile, content);
        child.kill('SIGHUP');
      },
      async stop(): Promise<void> {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
        await exited;
      },
    };
  }
  throw lastError ?? new Error('dnsmasq did not start');
}

async function freeUdpPort(): Promise<number> {
  const sock = createSocket('udp4');
  await new Promise<void>((resolve, reject) => {
    sock.once('error', reject);
    sock.bind(0, '127.0.0.1', () => resolve());
  });
  const port = sock.address().port;
  await new Promise<void>((resolve) => sock.close(() => resolve()));
  return port;
}

async function waitReady(server: string, child: ChildProcess): Promise<void> {
  const r = new Resolver({ timeout: 200, tries: 1 });
  r.setServers([server]);
  const deadline = Date.now() + 5000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`exited with code ${child.exitCode}`);
    try {
      // dnsmasq answers every name under a `local=` domain; any answer, even NXDOMAIN, means ready.
      await r.resolve4('ready.vigil.test');
      return;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOTFOUND' || code === 'ENODATA') return;
      if (Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
