/**
 * Worker thread entry: builds an index from an `IndexJobData` and writes it with an fsync, off the
 * main thread. Answers `{ ok: true }` or `{ ok: false, message }`.
 */
import { open } from 'node:fs/promises';
import { parentPort } from 'node:worker_threads';
import { encodeIndex } from '../index/writer.js';
import { decodeIndexJob } from './index-job.js';
import type { IndexJobData } from './index-job.js';

async function write(job: IndexJobData): Promise<void> {
  const bytes = encodeIndex(decodeIndexJob(job));
  const f = await open(job.path, 'w');
  try {
    await f.writeFile(bytes);
    await f.sync();
  } finally {
    await f.close();
  }
}

parentPort?.once('message', (job: IndexJobData) => {
  write(job).then(
    () => parentPort?.postMessage({ ok: true }),
    (err: unknown) =>
      parentPort?.postMessage({ ok: false, message: err instanceof Error ? err.message : String(err) }),
  );
});
