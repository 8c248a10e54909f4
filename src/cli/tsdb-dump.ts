/**
 * `vigil tsdb dump [DIR]`: every sample of the blocks and of the head of a data directory (its WAL,
 * and the out-of-order samples of `chunks_head/` and `wbl/`), as `promtool tsdb dump` (Prometheus
 * 2.42) prints them: `{labels} value timestamp_ms`, series in label order. Read-only: the
 * directory is never changed (promtool needs a `wal` directory; Vigil does not).
 */
import { join } from 'node:path';
import type { Command } from './command.js';
import { UsageError } from './command.js';
import type { Matcher } from '../model/matcher.js';
import { parseExpr } from '../promql/parser.js';
import { listBlockDirs } from '../tsdb/block/index.js';
import { readHead } from './tsdb-dump-head.js';
import { BlockCursor, HeadCursor, SeriesMerge } from './tsdb-series-source.js';
import type { SeriesCursor } from './tsdb-series-source.js';
import { goFloat, goLabels } from './tsdb-format.js';
import { BufferedOutput, dbPath, parseInt64Flag, requireDir } from './tsdb-output.js';
import { isDir } from './tsdb-dump-head.js';

const DEFAULT_MATCH = "{__name__=~'(?s:.*)'}";

/** A matcher added to let the PromQL parser accept a selector that matches everything. */
const ANY = '__vigil_any__';

/**
 * Parses a series selector (`--match`) into its matchers, as Prometheus' `ParseMetricSelector`:
 * unlike in a query, a selector whose matchers all match the empty string (promtool's default
 * `{__name__=~'(?s:.*)'}`) is allowed. Bad input is a usage error with the parser's position.
 */
export function parseSelector(text: string): Matcher[] {
  const fail = (err: unknown): never => {
    throw new UsageError(`invalid --match '${text}': ${err instanceof Error ? err.message : String(err)}`);
  };
  const parse = (q: string): Matcher[] => {
    const e = parseExpr(q);
    if (e.type !== 'VectorSelector') throw new Error('not a series selector');
    return e.matchers;
  };
  try {
    return parse(text);
  } catch (err) {
    const t = text.trimEnd();
    if (!(err instanceof Error) || !err.message.includes('non-empty matcher') || !t.endsWith('}'))
      return fail(err);
    const inner = t.slice(t.lastIndexOf('{') + 1, -1).trim();
    try {
      const sep = inner === '' || inner.endsWith(',') ? '' : ',';
      return parse(`${t.slice(0, -1)}${sep}${ANY}="1"}`).filter((m) => m.name !== ANY);
    } catch {
      return fail(err);
    }
  }
}

export const tsdbDumpCommand: Command = {
  path: ['tsdb', 'dump'],
  summary: 'Dump samples from a TSDB, as promtool tsdb dump.',
  description:
    'Prints "{labels} value timestamp_ms" for every sample of the blocks and of the head (read from ' +
    'DIR/wal, and its out-of-order samples from DIR/wbl and DIR/chunks_head, without changing them) ' +
    'in the time range, series in label order.',
  flags: [
    {
      name: 'min-time',
      help: 'Minimum timestamp to dump.',
      default: '-9223372036854775808',
      placeholder: 'ms',
    },
    {
      name: 'max-time',
      help: 'Maximum timestamp to dump.',
      default: '9223372036854775807',
      placeholder: 'ms',
    },
    {
      name: 'match',
      help: 'Series selector; repeat for the union of several.',
      default: DEFAULT_MATCH,
      repeatable: true,
    },
  ],
  args: [{ name: 'db path', help: 'Database path (default is data/).', optional: true }],
  async run({ flags, args, io }) {
    const dir = dbPath(args);
    let mint: number;
    let maxt: number;
    try {
      mint = parseInt64Flag('min-time', flags.string('min-time'));
      maxt = parseInt64Flag('max-time', flags.string('max-time'));
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    const matcherSets = flags.strings('match').map(parseSelector);
    // Compared as integers: the extremes are not exact as JavaScript numbers.
    const fullRange =
      BigInt(flags.string('min-time')) === -(2n ** 63n) &&
      BigInt(flags.string('max-time')) === 2n ** 63n - 1n;
    await requireDir(dir);
    const blocks = await listBlockDirs(dir);
    const cursors: SeriesCursor[] = [];
    try {
      // As Prometheus' read-only DB: only blocks overlapping [mint, maxt] are queried; the head is
      // read when the blocks end before maxt, keeping in-order samples from the last block's end
      // on. Its out-of-order samples may be older, and the server answers with them: with a
      // write-behind log the head is read whatever maxt (promtool 2.42 leaves them out).
      for (const b of blocks) {
        if (b.meta.minTime <= maxt && mint < b.meta.maxTime)
          cursors.push(await BlockCursor.open(b, matcherSets));
      }
      const maxBlockTime = blocks.length > 0 ? blocks[blocks.length - 1].meta.maxTime : -Infinity;
      if (maxBlockTime <= maxt || (await isDir(join(dir, 'wbl')))) {
        const head = await readHead(dir, maxBlockTime);
        for (const w of head.warnings) io.stderr.write(`warning: ${w}\n`);
        // Prometheus queries the in-order head from its first sample on, the out-of-order head
        // where its time range overlaps the query's.
        const inOrder = maxt >= head.minTime;
        const ooo = mint <= head.oooMaxTime && maxt >= head.oooMinTime;
        if (head.series.length > 0 && (inOrder || ooo)) {
          const hc = new HeadCursor(head.series, matcherSets);
          // A head queried alone is not merged, hence not sorted: Prometheus 2.42 lists it by series
          // reference, except over the full default range (found by comparing with promtool) or
          // when its in-order and out-of-order parts are both queried (two queriers merged).
          if (cursors.length === 0 && !fullRange && !(inOrder && ooo)) hc.sortByRef();
          cursors.push(hc);
        }
      }
      const merge = new SeriesMerge(cursors);
      const out = new BufferedOutput(io.stdout);
      for (let l = await merge.next(mint, maxt); l !== undefined; l = await merge.next(mint, maxt)) {
        const prefix = goLabels(l) + ' ';
        const s = merge.out;
        for (let i = 0; i < s.n; i++) out.write(`${prefix}${goFloat(s.v[i])} ${s.t[i]}\n`);
        await out.maybeFlush();
      }
      await out.flush();
    } finally {
      await Promise.all(cursors.map((c) => c.close()));
    }
    return 0;
  },
};
