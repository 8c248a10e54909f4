/**
 * `vigil tsdb create-blocks-from openmetrics FILE [DIR]`: backfill, as promtool. The file is read
 * once for its time range, then once per block window (2h aligned, or the largest compaction
 * range within `--max-block-duration`); each window's samples become one level-1 block. Only one
 * window's samples are held in memory. Errors name the place: `FILE:LINE:COL: reason`.
 */
import { readFile } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import type { Command } from './command.js';
import { UsageError } from './command.js';
import type { Labels } from '../model/labels.js';
import { parseDuration } from '../model/time.js';
import { Entry, OpenMetricsParser, ParseError } from '../exposition/index.js';
import { XorChunk } from '../tsdb/chunkenc/index.js';
import { BlockStreamWriter, SAMPLES_PER_CHUNK } from '../tsdb/block/index.js';
import type { BlockMeta, TimedChunk } from '../tsdb/block/index.js';
import { compatibleBlockDuration, DEFAULT_BLOCK_DURATION } from '../tsdb/compact/index.js';
import { compareLabelsBytewise } from '../tsdb/index/index.js';
import { formatBlockTable } from './tsdb-list.js';
import { dbPath } from './tsdb-output.js';
import { SampleColumns } from './tsdb-series-source.js';
import { join } from 'node:path';

/** A problem in the input, reported as `FILE:LINE[:COL]: reason`. */
class InputError extends Error {}

interface WindowSeries {
  readonly labels: Labels;
  readonly cols: SampleColumns;
}

/** The time range of all samples; every sample must carry a timestamp. */
function timeRange(file: string, input: Uint8Array): { mint: number; maxt: number } {
  const p = new OpenMetricsParser(input);
  let mint = Infinity;
  let maxt = -Infinity;
  for (let k = p.next(); k !== Entry.EOF; k = p.next()) {
    if (k !== Entry.Series) continue;
    const t = p.timestamp();
    if (t === undefined)
      throw new InputError(
        `${file}:${p.line()}: expected timestamp for series ${p.labels().toString()}, got none`,
      );
    if (t < mint) mint = t;
    if (t > maxt) maxt = t;
  }
  return { mint: mint === Infinity ? 0 : mint, maxt: maxt === -Infinity ? 0 : maxt };
}

/** The samples of `[from, to)`, per series, checked for order as a TSDB appender does. */
function collectWindow(file: string, input: Uint8Array, from: number, to: number): Map<string, WindowSeries> {
  const p = new OpenMetricsParser(input);
  const out = new Map<string, WindowSeries>();
  const one = new Float64Array(1);
  for (let k = p.next(); k !== Entry.EOF; k = p.next()) {
    if (k !== Entry.Series) continue;
    const t = p.timestamp()!;
    if (t < from || t >= to) continue;
    const key = p.seriesKey();
    let s = out.get(key);
    if (s === undefined) out.set(key, (s = { labels: p.labels(), cols: new SampleColumns() }));
    one[0] = p.value();
    const c = s.cols;
    if (c.n > 0) {
      const last = c.t[c.n - 1];
      if (t < last)
        throw new InputError(`${file}:${p.line()}: out of order sample for ${s.labels.toString()} at ${t}`);
      if (t === last) {
        if (sameBits(c.v, c.n - 1, one)) continue;
        throw new InputError(
          `${file}:${p.line()}: duplicate sample for timestamp ${t} of ${s.labels.toString()}`,
        );
      }
    }
    c.push(t, one, 0);
  }
  return out;
}

function sameBits(a: Float64Array, i: number, b: Float64Array): boolean {
  const x = new DataView(a.buffer, a.byteOffset + i * 8, 8);
  const y = new DataView(b.buffer, b.byteOffset, 8);
  return x.getUint32(0) === y.getUint32(0) && x.getUint32(4) === y.getUint32(4);
}

/** Writes one window's series as a level-1 block; `undefined` when the window is empty. */
async function writeWindow(dir: string, series: Map<string, WindowSeries>): Promise<BlockMeta | undefined> {
  if (series.size === 0) return undefined;
  const sorted = [...series.values()].sort((a, b) => compareLabelsBytewise(a.labels, b.labels));
  const w = await BlockStreamWriter.create(dir);
  let mint = Infinity;
  let maxt = -Infinity;
  try {
    for (const s of sorted) {
      const c = s.cols;
      const chunks: TimedChunk[] = [];
      for (let start = 0; start < c.n; start += SAMPLES_PER_CHUNK) {
        const end = Math.min(start + SAMPLES_PER_CHUNK, c.n);
        const chunk = new XorChunk();
        const app = chunk.appender();
        for (let i = start; i < end; i++) app.append(c.t[i], c.v[i]);
        chunks.push({ chunk, mint: c.t[start], maxt: c.t[end - 1] });
      }
      mint = Math.min(mint, c.t[0]);
      maxt = Math.max(maxt, c.t[c.n - 1]);
      await w.addSeries(s.labels, chunks);
    }
  } catch (err) {
    await w.abort();
    throw err;
  }
  // As Prometheus' BlockWriter: the block spans its samples, maxTime exclusive.
  return w.finish({ minTime: mint, maxTime: maxt + 1, compaction: { level: 1 } });
}

function isTTY(s: Writable): boolean {
  return (s as Writable & { isTTY?: boolean }).isTTY === true;
}

export const tsdbCreateBlocksCommand: Command = {
  path: ['tsdb', 'create-blocks-from', 'openmetrics'],
  summary: 'Import samples from an OpenMetrics file into TSDB blocks (backfill), as promtool.',
  description:
    'Every sample needs a timestamp. Blocks are aligned to the block duration (2h unless ' +
    '--max-block-duration allows a larger compaction range); the blocks written are listed as by ' +
    '`vigil tsdb list`.',
  flags: [
    { name: 'human-readable', kind: 'bool', help: 'Print human readable values (promtool: -r).' },
    { name: 'quiet', kind: 'bool', help: 'Do not print created blocks (promtool: -q).' },
    {
      name: 'max-block-duration',
      help: 'Maximum duration of created blocks.',
      default: '2h',
      placeholder: 'duration',
    },
  ],
  args: [
    { name: 'input file', help: 'OpenMetrics file to read samples from.' },
    {
      name: 'output directory',
      help: 'Output directory for generated blocks (default data/).',
      optional: true,
    },
  ],
  async run({ flags, args, io }) {
    const file = args[0];
    const out = dbPath(args, 1);
    let maxBlock: number;
    try {
      maxBlock = parseDuration(flags.string('max-block-duration'));
    } catch (err) {
      throw new UsageError(`invalid --max-block-duration: ${(err as Error).message}`);
    }
    const blockDuration =
      maxBlock > DEFAULT_BLOCK_DURATION ? compatibleBlockDuration(maxBlock) : DEFAULT_BLOCK_DURATION;
    const input = await readFile(file);
    const progress = isTTY(io.stderr);
    let wroteHeader = false;
    try {
      const { mint: first, maxt } = timeRange(file, input);
      const mint = blockDuration * Math.floor(first / blockDuration);
      const windows = Math.floor((maxt - mint) / blockDuration) + 1;
      for (let t = mint, i = 1; t <= maxt; t += blockDuration, i++) {
        if (progress)
          io.stderr.write(`\rbackfill: block ${i}/${windows} (${Math.round((100 * (i - 1)) / windows)}%)`);
        const meta = await writeWindow(out, collectWindow(file, input, t, t + blockDuration));
        if (meta !== undefined && !flags.bool('quiet')) {
          io.stdout.write(
            await formatBlockTable(
              [{ dir: join(out, meta.ulid), meta }],
              !wroteHeader,
              flags.bool('human-readable'),
            ),
          );
          wroteHeader = true;
        }
      }
      if (progress) io.stderr.write('\rbackfill: done' + ' '.repeat(30) + '\n');
    } catch (err) {
      if (progress) io.stderr.write('\n');
      if (err instanceof ParseError) {
        io.stderr.write(`${file}:${err.message}\n`);
        return 1;
      }
      if (err instanceof InputError) {
        io.stderr.write(`${err.message}\n`);
        return 1;
      }
      throw err;
    }
    return 0;
  },
};
