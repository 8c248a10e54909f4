/**
 * A child process for the out-of-order crash test: opens a DB with a 30 min window, commits the
 * samples of `oooCrashPlan()` one transaction each (in-order first, then out-of-order ones in a
 * scrambled order, enough to cut out-of-order chunks), prints `done` and waits to be killed.
 * Usage: node ooo-ingest.js DIR
 */
import { Labels } from '../../src/model/labels.js';
import { DB } from '../../src/tsdb/db.js';

const MIN = 60_000;

/** The samples the child commits, in commit order: per series label `k`, [t, v]. */
export function oooCrashPlan(): { k: string; t: number; v: number }[] {
  const out: { k: string; t: number; v: number }[] = [];
  for (const k of ['a', 'b']) out.push({ k, t: 60 * MIN, v: -1 });
  for (let i = 0; i < 100; i++) {
    // 37 is coprime with 100: every slot comes once, out of order.
    for (const k of ['a', 'b']) out.push({ k, t: 31 * MIN + ((i * 37) % 100) * 1000, v: i });
  }
  return out;
}

if (process.argv[1]?.endsWith('ooo-ingest.js') && process.argv[2] !== undefined) {
  const db = await DB.open(process.argv[2], {
    maintenanceInterval: 0,
    walFsync: 'never',
    outOfOrderTimeWindow: 30 * MIN,
  });
  for (const { k, t, v } of oooCrashPlan()) {
    const app = db.appender();
    app.append(0, Labels.from({ __name__: 'm', k }), t, v);
    await app.commit();
  }
  process.stdout.write('done\n');
  setInterval(() => undefined, 1 << 30);
}
