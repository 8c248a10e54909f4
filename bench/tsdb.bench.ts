/**
 * The TSDB's headline figures (issue #3) on node-exporter-like data (`node-exporter-data.ts`):
 *
 * 1. append throughput, scrape-like (one transaction per 1,000-series target, refs cached, commit
 *    awaited), with the DB's WAL (fsync `batch`) and into a bare head;
 * 2. bytes per sample of the blocks the DB cuts after ingesting 3h+ (block range 2h);
 * 3. resident memory per series of a full head (RSS and V8 heap after GC);
 * 4. start-up time to ready (DB.open resolved) after SIGKILL and after a clean close;
 * 5. `select` throughput over 10k series × 2h, from the head and from a block.
 *
 * Run: `npm run bench:tsdb` (builds first). Each part runs in its own child process
 * (`tsdb-parts.ts`) so memory and start-up figures are its own. Sizes (defaults in brackets):
 * SERIES [100000] for parts 1, 2 and the 2h memory run; APPEND_ROUNDS [150] (one chunk cut per series); BIG_SERIES [1000000]
 * and BIG_ROUNDS [120] for the large memory run (BIG_SERIES=0 skips it); START_SERIES [100000] and
 * START_ROUNDS [480] for start-up; SELECT_SERIES [10000]; PARTS [append,blocks,memory,startup]
 * picks parts; KEEP=1 keeps the data directories.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { INTERVAL } from './node-exporter-data.js';

const env = (name: string, def: number): number => Number(process.env[name] ?? def);
const SERIES = env('SERIES', 100_000);
const APPEND_ROUNDS = env('APPEND_ROUNDS', 150);
const BIG_SERIES = env('BIG_SERIES', 1_000_000);
const BIG_ROUNDS = env('BIG_ROUNDS', 120);
const START_SERIES = env('START_SERIES', 100_000);
const START_ROUNDS = env('START_ROUNDS', 480);
const SELECT_SERIES = env('SELECT_SERIES', 10_000);
const PARTS = new Set((process.env['PARTS'] ?? 'append,blocks,memory,startup').split(','));
/** 1.5 block ranges and one scrape more, so the head is compactable once. */
const BLOCK_ROUNDS = (3 * 3_600_000) / INTERVAL + 2;

const PARTS_JS = join(fileURLToPath(new URL('.', import.meta.url)), 'tsdb-parts.js');

interface Timing {
  wallS: number;
  cpuS: number;
}
interface Mem {
  rss: number;
  heap: number;
  external: number;
  arrayBuffers: number;
}
interface Select {
  series: number;
  samples: number;
  wallS: number;
  cpuS: number;
  firstWallS: number;
}

/** Runs one part in a child process and returns its JSON line; `kill` expects death by SIGKILL. */
function runPart<T>(part: string, opts: object, kill = false): T {
  const child = spawnSync(
    process.execPath,
    ['--expose-gc', '--max-old-space-size=16384', PARTS_JS, part, JSON.stringify(opts)],
    { encoding: 'utf8', maxBuffer: 1 << 24 },
  );
  const died = kill ? child.signal === 'SIGKILL' : child.status === 0;
  if (!died) throw new Error(`part ${part} failed (${child.status ?? child.signal}): ${child.stderr}`);
  const lines = child.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]) as T;
}

const M = (n: number): string => `${(n / 1e6).toFixed(2)} M`;
const rate = (samples: number, t: Timing): string =>
  `${M(samples / t.cpuS)} samples/s CPU, ${M(samples / t.wallS)} wall`;
const mib = (b: number): string => `${(b / 1048576).toFixed(0)} MiB`;

function printSelect(where: string, s: Select): void {
  console.log(
    `  select ${where}: ${s.series} series, ${rate(s.samples, s)} ` +
      `(first select + read ${(s.firstWallS * 1000).toFixed(0)} ms)`,
  );
}

function printMemory(
  label: string,
  r: { numSeries: number; before: Mem; after: Mem; ingest: Timing; samples: number; chunkCount: number },
): void {
  const n = r.numSeries;
  const per = (k: keyof Mem): string => `${((r.after[k] - r.before[k]) / n).toFixed(0)} B`;
  console.log(`memory, ${label}: ${n} series, ${r.samples / n} samples each, ${r.chunkCount} chunks`);
  console.log(`  ingest (head without WAL, full chunks in chunks_head) ${rate(r.samples, r.ingest)}`);
  console.log(
    `  per series: RSS ${per('rss')}, V8 heap ${per('heap')}, array buffers ${per('arrayBuffers')}, external ${per('external')}`,
  );
  console.log(
    `  process totals after GC: RSS ${mib(r.after.rss)}, heap ${mib(r.after.heap)} (baseline RSS ${mib(r.before.rss)}, heap ${mib(r.before.heap)})`,
  );
}

async function main(): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'vigil-tsdb-bench-'));
  // The machine is shared: the load average says how much the wall-clock figures are worth.
  const load = (): string =>
    loadavg()
      .map((l) => l.toFixed(1))
      .join(' ');
  console.log(`machine: ${cpus().length} CPUs, ${process.version}, load average ${load()}`);
  const t0 = performance.now();
  try {
    if (PARTS.has('append')) {
      type R = { samples: number; firstScrapeRound: Timing; timed: Timing; generator: Timing };
      for (const wal of [true, false]) {
        const r = runPart<R>('append', {
          series: SERIES,
          rounds: APPEND_ROUNDS,
          warmup: 3,
          wal,
          dir: join(root, 'append'),
        });
        console.log(
          `append, ${wal ? 'DB with WAL (fsync batch)' : 'bare head, no WAL'}: ${SERIES} series × ${APPEND_ROUNDS} scrapes`,
        );
        console.log(`  steady state   ${rate(r.samples, r.timed)}`);
        console.log(
          `  first scrape   ${(r.firstScrapeRound.wallS * 1000).toFixed(0)} ms wall (series creation)`,
        );
        console.log(`  generator alone ${M(r.samples / r.generator.cpuS)} samples/s CPU (included above)`);
        await rm(join(root, 'append'), { recursive: true, force: true });
      }
    }
    if (PARTS.has('blocks')) {
      type B = { samples: number; series: number; chunks: number; index: number; chunkCount: number };
      type R = { ingested: number; ingest: Timing; maintain: Timing; blocks: B[]; select?: Select };
      const r = runPart<R>('blocks', {
        series: SERIES,
        rounds: BLOCK_ROUNDS,
        selectSeries: SELECT_SERIES,
        dir: join(root, 'blocks'),
      });
      console.log(`blocks: ${SERIES} series × ${BLOCK_ROUNDS} scrapes into a DB, block range 2h`);
      console.log(`  ingest with WAL ${rate(r.ingested, r.ingest)}`);
      // The commit that takes the head past 1.5 ranges starts maintenance itself, so the block is
      // usually written during ingest and the awaited `maintain()` finds nothing left to do.
      console.log(
        `  awaited maintain() ${r.maintain.wallS.toFixed(1)} s wall (after the commit-triggered run)`,
      );
      for (const b of r.blocks) {
        console.log(
          `  block: ${b.series} series, ${b.samples} samples, ${b.chunkCount} chunks: ` +
            `${((b.chunks + b.index) / b.samples).toFixed(3)} B/sample (chunks ${(b.chunks / b.samples).toFixed(3)}, index ${(b.index / b.samples).toFixed(3)})`,
        );
      }
      if (r.select !== undefined) printSelect('from block', r.select);
      await rm(join(root, 'blocks'), { recursive: true, force: true });
    }
    if (PARTS.has('memory')) {
      type R = Parameters<typeof printMemory>[1] & { select: Select };
      const full = runPart<R>('memory', {
        series: SERIES,
        rounds: 480,
        selectSeries: SELECT_SERIES,
        dir: join(root, 'memory'),
      });
      printMemory('full 2h head', full);
      printSelect('from head', full.select);
      if (BIG_SERIES > 0) {
        const big = runPart<R>('memory', {
          series: BIG_SERIES,
          rounds: BIG_ROUNDS,
          selectSeries: SELECT_SERIES,
          dir: join(root, 'memory-big'),
        });
        printMemory(`${((BIG_ROUNDS * INTERVAL) / 60_000).toFixed(0)} min head`, big);
      }
    }
    if (PARTS.has('startup')) {
      const dir = join(root, 'startup');
      type I = { samples: number; ingest: Timing; numSeries: number };
      type O = { open: Timing; uptimeAtReadyS: number; numSeries: number; mem: Mem; close: Timing };
      const ing = runPart<I>('ingest-then-kill', { dir, series: START_SERIES, rounds: START_ROUNDS }, true);
      console.log(
        `start-up: ${START_SERIES} series × ${START_ROUNDS} scrapes (${ing.samples} samples) in the WAL`,
      );
      console.log(`  ingest with WAL ${rate(ing.samples, ing.ingest)}, then SIGKILL`);
      for (const when of ['after SIGKILL', 'after clean close']) {
        const o = runPart<O>('open', { dir, series: START_SERIES, rounds: START_ROUNDS });
        console.log(
          `  ${when}: DB.open ${o.open.wallS.toFixed(2)} s wall (${o.open.cpuS.toFixed(2)} s CPU), ` +
            `process start → ready ${o.uptimeAtReadyS.toFixed(2)} s, ${o.numSeries} series, RSS ${mib(o.mem.rss)}; close ${o.close.wallS.toFixed(2)} s`,
        );
      }
    }
  } finally {
    if (process.env['KEEP'] === undefined) await rm(root, { recursive: true, force: true });
    else console.log(`kept ${root}`);
  }
  console.log(`total ${((performance.now() - t0) / 1000).toFixed(0)} s, load average ${load()}`);
}

await main();
