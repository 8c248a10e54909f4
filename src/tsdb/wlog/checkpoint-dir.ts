/**
 * Writing a directory of WAL segments atomically, as checkpoints and memory snapshots are written:
 * into `<dir>.tmp`, fsynced, renamed into place, the parent fsynced. A crash leaves either the
 * old state or the complete directory, never a half-written one under the final name.
 */
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Logger } from '../../util/logger.js';
import { WalWriter } from './writer.js';

/** Records queued for a WAL writer and logged in batches of about `flushBytes`. */
export class RecordBatch {
  readonly #w: WalWriter;
  readonly #flushBytes: number;
  #recs: Uint8Array[] = [];
  #bytes = 0;

  constructor(w: WalWriter, flushBytes: number) {
    this.#w = w;
    this.#flushBytes = flushBytes;
  }

  /** Queues `rec` (kept by reference: pass a copy of a reused buffer). */
  async add(rec: Uint8Array): Promise<void> {
    this.#recs.push(rec);
    this.#bytes += rec.length;
    if (this.#bytes > this.#flushBytes) await this.flush();
  }

  /** Logs the queued records as one batch. */
  async flush(): Promise<void> {
    if (this.#recs.length === 0) return;
    const recs = this.#recs;
    this.#recs = [];
    this.#bytes = 0;
    await this.#w.log(...recs);
  }
}

/** Options of {@link writeWalDirAtomically}. */
export interface AtomicWalDirOptions {
  /** Snappy-compress records. */
  compress: boolean;
  /** Bytes queued before a batch is logged. */
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
