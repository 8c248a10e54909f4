/**
 * Helpers shared by the compaction and `vigil tsdb` tests: temporary directories, bit-exact
 * value comparison, and running the real promtool as an oracle.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireProgram } from '../../../test/support/programs.js';

/** Runs `fn` with a fresh temporary directory, removed afterwards. */
export async function withTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-compact-'));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Prometheus' staleness marker 0x7ff0000000000002, stored into `into[i]` bit for bit. */
export function setStaleNaN(into: Float64Array, i: number): void {
  new DataView(into.buffer, into.byteOffset + i * 8, 8).setBigUint64(0, 0x7ff0000000000002n, true);
}

/** The 64 bits of `values[i]` in hex: compares NaN payloads too. */
export function bitsOf(values: Float64Array, i: number): string {
  return new DataView(values.buffer, values.byteOffset + i * 8, 8).getBigUint64(0, true).toString(16);
}

/** `promtool` (Prometheus 2.42); a test fails, never skips, when it is missing. */
export function promtool(): string {
  return requireProgram('promtool', 'prometheus');
}

/** `promtool tsdb dump` of `dir` over all time (creates `dir/wal`, which promtool needs). */
export async function promtoolDump(dir: string, extra: readonly string[] = []): Promise<string> {
  await mkdir(join(dir, 'wal'), { recursive: true });
  return execFileSync(promtool(), ['tsdb', 'dump', ...extra, dir], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
}
