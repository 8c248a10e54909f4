/**
 * `vigil tsdb list [DIR]`: the blocks of a data directory as `promtool tsdb list` prints them, a
 * tab-aligned table of ULID, time range, duration, samples, chunks, series and size.
 */
import type { Command } from './command.js';
import { blockSize, listBlockDirs } from '../tsdb/block/index.js';
import type { DirMeta } from '../tsdb/block/index.js';
import { goBase2Bytes, goDurationMs, goUtcTime, tabwriter } from './tsdb-format.js';
import { dbPath, requireDir } from './tsdb-output.js';

const HEADER = [
  'BLOCK ULID',
  'MIN TIME',
  'MAX TIME',
  'DURATION',
  'NUM SAMPLES',
  'NUM CHUNKS',
  'NUM SERIES',
  'SIZE',
];

/** The table rows of `blocks` (with the header first when `header`), as promtool's `printBlocks`. */
export async function formatBlockTable(
  blocks: readonly DirMeta[],
  header: boolean,
  humanReadable: boolean,
): Promise<string> {
  const rows: string[][] = header ? [HEADER] : [];
  for (const { dir, meta } of blocks) {
    const size = await blockSize(dir);
    const time = (ms: number): string => (humanReadable ? goUtcTime(ms) : String(ms));
    rows.push([
      meta.ulid,
      time(meta.minTime),
      time(meta.maxTime),
      goDurationMs(meta.maxTime - meta.minTime),
      String(meta.stats.numSamples),
      String(meta.stats.numChunks),
      String(meta.stats.numSeries),
      humanReadable ? goBase2Bytes(size) : String(size),
    ]);
  }
  return tabwriter(rows);
}

export const tsdbListCommand: Command = {
  path: ['tsdb', 'list'],
  summary: 'List the blocks of a data directory, as promtool tsdb list.',
  flags: [{ name: 'human-readable', kind: 'bool', help: 'Print human readable values (promtool: -r).' }],
  args: [{ name: 'db path', help: 'Database path (default is data/).', optional: true }],
  async run({ flags, args, io }) {
    await requireDir(dbPath(args));
    const blocks = await listBlockDirs(dbPath(args));
    io.stdout.write(await formatBlockTable(blocks, true, flags.bool('human-readable')));
    return 0;
  },
};
