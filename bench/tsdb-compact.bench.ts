/**
 * Compaction of three consecutive 2h blocks of 100,000 node-exporter-like series (15 s interval,
 * 480 samples per series and block, 144M samples) into one 6h block: seconds, samples/s, peak RSS
 * of the compacting process, the longest event-loop stall, and bytes per sample of the result.
 *
 * Run: `npm run bench:tsdb-compact` (builds first). Figures go in docs/benchmarks.md.
 * `SERIES=10000 npm run bench:tsdb-compact` for a quicker run.
 *
 * The input blocks are generated first from `node-exporter-data.ts` (streamed, not held in memory),
 * in label order, with 2 % of timestamps a millisecond late; the compaction then runs in
 * a child process so that its peak RSS is its own, not the generator's.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { XorChunk } from '../src/tsdb/chunkenc/index.js';
import { BlockStreamWriter } from '../src/tsdb/block/index.js';
import type { TimedChunk } from '../src/tsdb/block/index.js';
import { compactBlocks } from '../src/tsdb/compact/index.js';
import { compareLabelsBytewise } from '../src/tsdb/index/index.js';
import { mulberry32 } from '../test/support/random.js';
import { INTERVAL, NodeExporterData, START, labelsFor } from './node-exporter-data.js';

const SERIES = Number(process.env['SERIES'] ?? 100_000);
const BLOCKS = 3;
const PER_BLOCK = 480; // 2h / 15 s

async function generate(dir: string): Promise<string[]> {
  const order = Array.from({ length: SERIES }, (_, i) => i);
  const labels = order.map(labelsFor);
  order.sort((a, b) => compareLabelsBytewise(labels[a], labels[b]));
  const rnd = mulberry32(7);
  const gen = new NodeExporterData(SERIES);
  const dirs: string[] = [];
  for (let b = 0; b < BLOCKS; b++) {
    const w = await BlockStreamWriter.create(dir);
    const t0 = START + b * PER_BLOCK * INTERVAL;
    for (const i of order) {
      const chunks: TimedChunk[] = [];
      let chunk = new XorChunk();
      let app = chunk.appender();
      let mint = 0;
      let last = 0;
      for (let k = 0; k < PER_BLOCK; k++) {
        // Prometheus aligns scrape timestamps within 2 ms; a few are still a millisecond off.
        const t = t0 + k * INTERVAL + (rnd() < 0.02 ? 1 : 0);
        if (k % 120 === 0) {
          if (k > 0) chunks.push({ chunk, mint, maxt: last });
          chunk = new XorChunk();
          app = chunk.appender();
          mint = t;
        }
        const v = gen.next(i);
        app.append(t, v);
        last = t;
      }
      chunks.push({ chunk, mint, maxt: last });
      await w.addSeries(labels[i], chunks);
    }
    const meta = await w.finish({
      minTime: t0,
      maxTime: t0 + PER_BLOCK * INTERVAL,
      compaction: { level: 1 },
    });
    dirs.push(join(dir, meta!.ulid));
  }
  return dirs;
}

async function dirBytes(dir: string): Promise<{ chunks: number; index: number }> {
  let chunks = 0;
  for (const f of await readdir(join(dir, 'chunks'))) chunks += (await stat(join(dir, 'chunks', f))).size;
  return { chunks, index: (await stat(join(dir, 'index'))).size };
}

/** The child: compacts, prints one JSON line of figures. */
async function compactChild(out: string, dirs: string[]): Promise<void> {
  const h = monitorEventLoopDelay({ resolution: 5 });
  h.enable();
  const start = performance.now();
  const res = await compactBlocks(out, dirs);
  const seconds = (performance.now() - start) / 1000;
  h.disable();
  const bytes = await dirBytes(res.dir!);
  process.stdout.write(
    JSON.stringify({
      seconds,
      samples: res.meta!.stats.numSamples,
      series: res.meta!.stats.numSeries,
      chunkCount: res.meta!.stats.numChunks,
      maxRssMiB: process.resourceUsage().maxRSS / 1024,
      maxStallMs: h.max / 1e6,
      yields: res.yields,
      ...bytes,
    }) + '\n',
  );
}

async function run(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-compact-bench-'));
  try {
    const g0 = performance.now();
    const dirs = await generate(join(dir, 'in'));
    console.log(
      `generated ${BLOCKS} blocks × ${SERIES} series in ${((performance.now() - g0) / 1000).toFixed(1)} s`,
    );
    let inBytes = 0;
    for (const d of dirs) {
      const b = await dirBytes(d);
      inBytes += b.chunks + b.index;
    }
    const self = fileURLToPath(import.meta.url);
    const child = spawnSync(process.execPath, [self, '--compact', join(dir, 'out'), ...dirs], {
      encoding: 'utf8',
    });
    if (child.status !== 0) throw new Error(`compaction failed: ${child.stderr}`);
    const r = JSON.parse(child.stdout) as Record<string, number>;
    const perSample = (r['chunks'] + r['index']) / r['samples'];
    console.log(
      `compacted ${r['samples'].toLocaleString('en')} samples, ${r['series']} series, ${r['chunkCount']} chunks`,
    );
    console.log(`  time            ${r['seconds'].toFixed(2)} s`);
    console.log(`  throughput      ${(r['samples'] / r['seconds'] / 1e6).toFixed(1)} M samples/s`);
    console.log(`  peak RSS        ${r['maxRssMiB'].toFixed(0)} MiB (compacting process)`);
    console.log(
      `  longest stall   ${r['maxStallMs'].toFixed(1)} ms (event-loop delay, ${r['yields']} yields)`,
    );
    console.log(
      `  result          ${perSample.toFixed(3)} B/sample (chunks ${(r['chunks'] / r['samples']).toFixed(3)}, index ${(r['index'] / r['samples']).toFixed(3)})`,
    );
    console.log(`  input           ${(inBytes / r['samples']).toFixed(3)} B/sample`);
  } finally {
    if (process.env['KEEP'] === undefined) await rm(dir, { recursive: true, force: true });
    else console.log(dir);
  }
}

if (process.argv[2] === '--compact') await compactChild(process.argv[3], process.argv.slice(4));
else await run();
