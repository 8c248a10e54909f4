/** Runs an index job in a worker thread (`index-worker.ts`), transferring its buffers. */
import { Worker } from 'node:worker_threads';
import type { IndexJobData } from './index-job.js';

/** Writes the index of `job` from a worker; rejects with the worker's error. */
export function runIndexJob(job: IndexJobData): Promise<void> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./index-worker.js', import.meta.url));
    let settled = false;
    worker.once('message', (m: { ok: boolean; message?: string }) => {
      settled = true;
      void worker.terminate();
      if (m.ok) resolve();
      else reject(new Error(`write index: ${m.message ?? 'failed'}`));
    });
    worker.once('error', (err) => {
      settled = true;
      reject(err);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`index worker exited with code ${code}`));
    });
    worker.postMessage(job, [job.labels.buffer, job.metas.buffer]);
  });
}
