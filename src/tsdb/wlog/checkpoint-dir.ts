/**
 * Writing a directory of WAL segments atomically, as checkpoints and memory snapshots are written:
 * into `<dir>.tmp`, fsynced, renamed into place, the parent fsynced. A crash leaves either the
 * old state or the complete directory, never a half-written one under the final name.
 */
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Logger } from '../../util/logger.js';
import { WalWriter } from './writer.js';

/**
 * Records copied into one buffer and logged in batches of about `flushBytes`. The buffer is reused
 * from batch to batch (the writer copies what it is given before its first await): a copy of each
 * record of its own, as callers made before, cost an ArrayBuffer a series when a snapshot of
 * millions of series is written, and with a large heap that external memory set off full
 * collections.
 */
export class RecordBatch {
  readonly #w: WalWriter;
  #buf: Uint8Array;
  #used = 0;
  /** Where each queued record ends in `#buf`. */
  readonly #ends: number[] = [];

  constructor(w: WalWriter, flushBytes: number) {
    this.#w = w;
    this.#buf = new Uint8Array(flushBytes);
  }

  /** Queues a copy of `rec`: the caller may reuse its buffer at once. */
  async add(rec: Uint8Array): Promise<void> {
    if (this.#used + rec.length > this.#buf.length) {
      await this.flush();
      // A record larger than a whole batch gets a buffer of its size.
      if (rec.length > this.#buf.length) this.#buf = new Uint8Array(rec.length);
    }
    this.#buf.set(rec, this.#used);
    this.#used += rec.length;
    this.#ends.push(this.#used);
  }

  /** Logs the queued records as one batch. */
  async flush(): Promise<void> {
    const ends = this.#ends;
    if (ends.length === 0) return;
    const recs: Uint8Array[] = [];
    for (let i = 0, start = 0; i < ends.length; start = ends[i++])
      recs.push(this.#buf.subarray(start, ends[i]));
    ends.length = 0;
    this.#used = 0;
    await this.#w.log(...recs);
  }
}

/** Options of {@link writeWalDirAtomically}. */
export interface AtomicWalDirOptions {
  /** Snappy-compress records. */
  compress: boolean;
  /**
   * Bytes queued before a batch is logged. Up to about the WAL writer's framing buffer (1 MiB),
   * which is then reused too.
   */
  flushBytes: number;
}

/**
 * Creates the WAL directory `dir` from the records `fill` adds, replacing any directory of that
 * name. On failure the temporary directory is removed and the error rethrown.
 */
export async function writeWalDirAtomically(
  dir: string,
  deps: { logger: Logger },
  options: AtomicWalDirOptions,
  fill: (batch: RecordBatch) => Promise<void>,
): Promise<void> {
  const tmp = `${dir}.tmp`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  // Rotation and close fsync the segments; no fsync per batch is needed before the rename.
  const w = await WalWriter.open(tmp, deps, { fsync: 'never', compress: options.compress });
  try {
    const batch = new RecordBatch(w, options.flushBytes);
    await fill(batch);
    await batch.flush();
    await w.close();
    await syncDir(tmp);
    await rm(dir, { recursive: true, force: true });
    await rename(tmp, dir);
    await syncDir(dirname(dir));
  } catch (err) {
    await w.close().catch(() => {});
    await rm(tmp, { recursive: true, force: true });
    throw err;
  }
}

/** Fsyncs a directory, so entries created or renamed in it survive a power loss. */
export async function syncDir(dir: string): Promise<void> {
  const h = await open(dir, 'r');
  try {
    await h.sync();
  } finally {
    await h.close();
  }
}
