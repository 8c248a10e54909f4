/**
 * Append throughput with out-of-order samples next to in-order ones, through the DB on disk (WAL
 * fsync `batch`, window 2h): SERIES [10000] series, ROUNDS [120] samples each, one transaction
 * per 1,000 series (a scrape-sized commit), refs cached. Each series first gets one sample 1h
 * ahead, then:
 *
 * - in order: the rounds after that sample (the usual path);
 * - out of order, ascending: the rounds before it, oldest first (a late source catching up);
 * - out of order, descending: newest first (every insert goes to the front of the open chunk).
 *
 * Out-of-order samples go to the WAL and the write-behind log, and every 32 per series cut a chunk
 * to `chunks_head/`. Each case runs in a fresh directory, REPS [3] times interleaved; the median
 * is printed. Run: `npm run bench:tsdb-ooo` (builds first); figures go in docs/benchmarks.md.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Labels } from '../src/model/labels.js';
import type { SeriesRef } from '../src/storage/interface.js';
import { DB } from '../src/tsdb/db.js';

const env = (name: string, def: number): number => Number(process.env[name] ?? def);
const SERIES = env('SERIES', 10_000);
const ROUNDS = env('ROUNDS', 120);
const REPS = env('REPS', 3);
const TXN = 1000;
const INTERVAL = 15_000;
const HOUR = 3_600_000;
const BASE = 1_700_000_000_000;

type Case = 'in order' | 'out of order, ascending' | 'out of order, descending';
const CASES: Case[] = ['in order', 'out of order, ascending', 'out of order, descending'];

/** The timestamp of round `r` in a case; the seed sample of every series is at BASE + 1h. */
function timeOf(c: Case, r: number): number {
  if (c === 'in order') return BASE + HOUR + (r + 1) * INTERVAL;
  if (c === 'out of order, ascending') return BASE + r * INTERVAL;
  return BASE + (ROUNDS - 1 - r) * INTERVAL;
}

async function run(c: Case): Promise<{ cpuS: number; wallS: number; ooo: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-ooo-bench-'));
  try {
    const db = await DB.open(dir, { maintenanceInterval: 0, outOfOrderTimeWindow: 2 * HOUR });
    const labels = Array.from({ length: SERIES }, (_, i) =>
      Labels.from({ __name__: 'bench_metric', instance: `host-${Math.floor(i / TXN)}`, i: String(i) }),
    );
    const refs = new Array<SeriesRef>(SERIES).fill(0);
    const round = async (t: number, v: number): Promise<void> => {
      for (let start = 0; start < SERIES; start += TXN) {
        const app = db.appender();
        for (let i = start; i < Math.min(SERIES, start + TXN); i++)
          refs[i] = app.append(refs[i], labels[i], t, v + i);
        await app.commit();
      }
    };
    await round(BASE + HOUR, 0);
    const cpu0 = process.cpuUsage();
    const wall0 = performance.now();
    for (let r = 0; r < ROUNDS; r++) await round(timeOf(c, r), r);
    const wallS = (performance.now() - wall0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const ooo = db.head.counters.oooAppended;
    await db.close();
    return { cpuS: (cpu.user + cpu.system) / 1e6, wallS, ooo };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const results = new Map<Case, { cpu: number[]; wall: number[]; ooo: number }>();
for (let rep = 0; rep < REPS; rep++) {
  for (const c of CASES) {
    const r = await run(c);
    const acc = results.get(c) ?? { cpu: [], wall: [], ooo: 0 };
    acc.cpu.push(r.cpuS);
    acc.wall.push(r.wallS);
    acc.ooo = r.ooo;
    results.set(c, acc);
  }
}
const samples = SERIES * ROUNDS;
const inOrderCpu = median(results.get('in order')!.cpu);
console.log(`${SERIES} series × ${ROUNDS} samples, transactions of ${TXN}, median of ${REPS}`);
for (const c of CASES) {
  const r = results.get(c)!;
  const cpu = median(r.cpu);
  console.log(
    `${c.padEnd(26)} ${(samples / cpu / 1e6).toFixed(2)} M samples/s CPU, ` +
      `${(samples / median(r.wall) / 1e6).toFixed(2)} M wall, CPU ×${(cpu / inOrderCpu).toFixed(2)} of in order ` +
      `(${r.ooo} taken out of order)`,
  );
}
