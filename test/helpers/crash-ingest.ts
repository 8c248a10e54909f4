/**
 * A child process for the crash test: opens a DB and commits numbered batches forever, printing
 * `begin N` before each `commit()` and `ok N` once it resolved; every fifth batch is rolled back
 * instead (`rollback N`). Batch N holds sample t = N * 1000 for each of a few series, value N.
 * It continues from the highest batch the directory already holds. Usage: node crash-ingest.js DIR PROGRESS_FILE
 */
import { openSync, writeSync } from 'node:fs';
import { Labels } from '../../src/model/labels.js';
import { DB } from '../../src/tsdb/db.js';
import { dumpStorage } from '../support/storage-dump.js';

const SERIES = 5;

/**
 * Appends a line to the progress file synchronously: it must be in the file before the next step,
 * whenever the kill comes (a pipe to the parent is asynchronous and may lose the last lines).
 */
function say(line: string): void {
  writeSync(progress, `${line}\n`);
}
const dir = process.argv[2];
const progress = openSync(process.argv[3], 'a');
const db = await DB.open(dir, {
  blockRange: 30_000,
  maintenanceInterval: 0,
  walFsync: 'never',
  retentionTime: 0,
  walSegmentSize: 32 * 1024,
});
let n = 0;
for (const samples of Object.values(dumpStorage(db))) {
  for (const [t] of samples) n = Math.max(n, t / 1000);
}
const labels = Array.from({ length: SERIES }, (_, i) =>
  Labels.from({ __name__: 'crash_test', series: String(i) }),
);
for (;;) {
  n++;
  const app = db.appender();
  for (const l of labels) app.append(0, l, n * 1000, n);
  if (n % 5 === 0) {
    await app.rollback();
    say(`rollback ${n}`);
    continue;
  }
  say(`begin ${n}`);
  await app.commit();
  say(`ok ${n}`);
}
