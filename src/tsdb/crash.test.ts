/**
 * Crash safety: a child process commits batches while the parent kills it with SIGKILL at random
 * moments, twenty times, reopening the same directory each time (the child cuts blocks as it
 * goes, so kills also land inside block writes). After every kill, every batch whose commit()
 * resolved is there in full; no rolled-back batch and no batch whose commit() was never called is;
 * the one batch in flight is there entirely or not at all.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT } from '../../test/support/paths.js';
import { mulberry32 } from '../../test/support/random.js';
import { dumpStorage } from '../../test/support/storage-dump.js';
import { DB } from './db.js';

const CHILD = join(REPO_ROOT, 'dist/test/helpers/crash-ingest.js');

interface RoundLog {
  first: number;
  lastOk: number;
  begun: number;
  rolledBack: number[];
}

/** Parses the child's progress file. */
function parseProgress(text: string): RoundLog {
  const log: RoundLog = { first: 0, lastOk: 0, begun: 0, rolledBack: [] };
  for (const line of text.split('\n')) {
    const [word, num] = line.split(' ');
    const n = Number(num);
    if (word === 'ok') log.lastOk = n;
    else if (word === 'begin') {
      log.begun = n;
      if (log.first === 0) log.first = n;
    } else if (word === 'rollback') log.rolledBack.push(n);
  }
  return log;
}

/**
 * Runs the child until it has committed `minBatches` batches this round (so the test makes
 * progress however slow the machine), then SIGKILLs it after `delayMs`. The child reports through
 * a file it writes synchronously, read in full once it is dead.
 */
async function runAndKill(dir: string, minBatches: number, delayMs: number): Promise<RoundLog> {
  const progress = join(dir, '..', `${basename(dir)}.progress`);
  await writeFile(progress, '');
  const child = spawn(process.execPath, [CHILD, dir, progress], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    child.on('close', (_code, signal) => resolve(signal)),
  );
  let dead = false;
  void exited.then(() => (dead = true));
  for (;;) {
    const log = parseProgress(await readFile(progress, 'utf8'));
    if (log.lastOk > 0 && log.lastOk - log.first + 1 >= minBatches) break;
    if (dead) throw new Error(`child exited on its own: ${stderr}`);
    await new Promise((r) => setTimeout(r, 5));
  }
  await new Promise((r) => setTimeout(r, delayMs));
  child.kill('SIGKILL');
  if ((await exited) !== 'SIGKILL') throw new Error(`child exited on its own: ${stderr}`);
  const log = parseProgress(await readFile(progress, 'utf8'));
  await rm(progress);
  return log;
}

describe('crash safety under SIGKILL', () => {
  it('keeps every committed batch and no uncommitted one across 20 kills', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vigil-crash-'));
    const rand = mulberry32(20261124);
    const rolledBack = new Set<number>();
    let blocks = 0;
    try {
      for (let round = 0; round < 20; round++) {
        // Half the kills land at once, half after long enough for a block write to finish.
        const delay = rand() < 0.5 ? rand() * 20 : 100 + rand() * 400;
        const log = await runAndKill(dir, 1 + Math.floor(rand() * 80), Math.floor(delay));
        for (const n of log.rolledBack) rolledBack.add(n);
        const db = await DB.open(dir, { blockRange: 30_000, maintenanceInterval: 0, retentionTime: 0 });
        const dump = dumpStorage(db);
        blocks = db.blocks().length;
        await db.close();
        const series = Object.values(dump);
        assert.equal(series.length, 5, `round ${round}: series`);
        const batches = series.map((s) => new Set(s.map(([t]) => t / 1000)));
        for (let n = 1; n <= log.lastOk; n++) {
          if (rolledBack.has(n)) continue;
          for (const b of batches) assert.ok(b.has(n), `round ${round}: committed batch ${n} missing`);
        }
        for (const n of rolledBack) {
          for (const b of batches) assert.ok(!b.has(n), `round ${round}: rolled-back batch ${n} present`);
        }
        const inFlight = log.begun > log.lastOk ? log.begun : undefined;
        for (const b of batches) {
          for (const n of b) {
            assert.ok(
              n <= log.lastOk || n === inFlight,
              `round ${round}: batch ${n} was never committed (this round: first ${log.first}, last ok ${log.lastOk}, begun ${log.begun})`,
            );
          }
        }
        if (inFlight !== undefined) {
          const present = batches.map((b) => b.has(inFlight));
          assert.ok(
            present.every((p) => p) || present.every((p) => !p),
            `round ${round}: batch ${inFlight} partly present`,
          );
        }
        for (const s of series) for (const [t, v] of s) assert.equal(v, t / 1000);
      }
      assert.ok(blocks > 0, 'the child never cut a block, so no kill could land in one');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
