/** Buffered text output for the `vigil tsdb` commands: large dumps honour the stream's backpressure. */
import { once } from 'node:events';
import { stat } from 'node:fs/promises';
import type { Writable } from 'node:stream';

/** Collects text and writes it in 64 KiB pieces, waiting for `drain` when the stream asks. */
export class BufferedOutput {
  private buf = '';

  constructor(private readonly out: Writable) {}

  /** Adds text; call `maybeFlush()` now and then and `flush()` at the end. */
  write(s: string): void {
    this.buf += s;
  }

  /** Writes the buffer once it holds 64 KiB or more. */
  async maybeFlush(): Promise<void> {
    if (this.buf.length >= 65536) await this.flush();
  }

  /** Writes everything buffered. */
  async flush(): Promise<void> {
    if (this.buf === '') return;
    const s = this.buf;
    this.buf = '';
    if (!this.out.write(s)) await once(this.out, 'drain');
  }
}

/** Parses a Go int64 flag value (`--min-time=-9223372036854775808`) into a number. */
export function parseInt64Flag(name: string, value: string): number {
  if (!/^[+-]?\d+$/.test(value)) throw new Error(`invalid value '${value}' for --${name}: not an integer`);
  const big = BigInt(value);
  if (big < -(2n ** 63n) || big > 2n ** 63n - 1n)
    throw new Error(`invalid value '${value}' for --${name}: out of range`);
  return Number(big);
}

/** The data directory argument, `data/` when not given, as promtool. */
export function dbPath(args: readonly string[], i = 0): string {
  return args[i] ?? 'data/';
}

/** Fails with a clear message when `dir` is not a directory. */
export async function requireDir(dir: string): Promise<void> {
  let isDir = false;
  try {
    isDir = (await stat(dir)).isDirectory();
  } catch {
    // reported below
  }
  if (!isDir) throw new Error(`open ${dir}: no such directory`);
}
