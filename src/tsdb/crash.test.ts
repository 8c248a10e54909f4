/**
 * Crash safety: a child process commits batches while the parent kills it with SIGKILL at random
 * moments, twenty times, reopening the same directory each time (the child cuts blocks as it
 * goes, so kills also land inside block writes). After every kill, every batch whose commit()
 * resolved is there in full; no rolled-back batch and no batch whose commit() was never called is;
 * the one batch in flight is there entirely or not at all.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT } from '../../test/support/paths.js';
import { mulberry32 } from '../../test/support/random.js';
import { dumpStorage } from '../../test/support/storage-dump.js';
import { DB } from './db.js';

const CHILD = join(REPO_ROOT, 'dist/test/helpers/crash-ingest.js');

interface RoundLog {
  lastOk: number;
  begun: number;
  rolledBack: number[];
}

/** Runs the child until it has committed a little, then SIGKILLs it after `delayMs`. */
function runAndKill(dir: string, delayMs: number): Promise<RoundLog> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    const log: RoundLog = { lastOk: 0, begun: 0, rolledBack: [] };
    let buf = '';
    let stderr = '';
    let armed = false;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buf += chunk;
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const [word, num] = buf.slice(0, nl).split(' ');
        buf = buf.slice(nl + 1);
        const n = Number(num);
        if (word === 'ok') log.lastOk = n;
        else if (word === 'begin') log.begun = n;
        else if (word === 'rollback') log.rolledBack.push(n);
      }
      if (!armed && log.lastOk > 0) {
        armed = true;
        setTimeout(() => child.kill('SIGKILL'), delayMs);
      }
    });
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    // 'close', not 'exit': the last lines of stdout may still be unread when the process exits.
    child.on('close', (_code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`child exited on its own: ${stderr}`));
      else resolve(log);
    });
  });
}

describe('crash safety under SIGKILL', () => {
  it('keeps every committed batch and no uncommitted one across 20 kills', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vigil-crash-'));
    const rand = mulberry32(20261124);
    const rolledBack = new Set<number>();
    let blocks = 0;
    try {
      for (let round = 0; round < 20; round++) {
        const log = await runAndKill(dir, Math.floor(rand() * 150));
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
            assert.ok(n <= log.lastOk || n === inFlight, `round ${round}: batch ${n} was never committed`);
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
