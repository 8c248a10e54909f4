/**
 * `vigil tsdb analyze [DIR] [BLOCK_ID]`: statistics of one block (the newest by default), as
 * `promtool tsdb analyze` prints them: series and label counts, the label pairs and names most
 * involved in churn (series covering little of the block's range), the most common pairs, and the
 * labels and metric names of highest cardinality. Ties are listed by key, so output is stable.
 */
import { join } from 'node:path';
import type { Command } from './command.js';
import { UsageError } from './command.js';
import { listBlockDirs } from '../tsdb/block/index.js';
import { IndexReader } from '../tsdb/index/index.js';
import { goDurationMs } from './tsdb-format.js';
import { BufferedOutput, dbPath, requireDir } from './tsdb-output.js';

/** One ranked entry. */
interface Info {
  key: string;
  metric: number;
}

function printInfo(out: BufferedOutput, title: string, infos: Info[], limit: number): void {
  infos.sort((a, b) => b.metric - a.metric || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  out.write(`\n${title}:\n`);
  for (let i = 0; i < infos.length && i < limit; i++) out.write(`${infos[i].metric} ${infos[i].key}\n`);
}

/** UTF-8 byte length, as Go's `len(string)`. */
function byteLength(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

export const tsdbAnalyzeCommand: Command = {
  path: ['tsdb', 'analyze'],
  summary: 'Analyze churn, label pair cardinality of a block, as promtool tsdb analyze.',
  flags: [{ name: 'limit', help: 'How many items to show in each list.', default: '20', placeholder: 'n' }],
  args: [
    { name: 'db path', help: 'Database path (default is data/).', optional: true },
    { name: 'block id', help: 'Block to analyze (default is the last block).', optional: true },
  ],
  async run({ flags, args, io }) {
    const limit = Number(flags.string('limit'));
    if (!Number.isSafeInteger(limit) || limit < 0)
      throw new UsageError(`invalid --limit '${flags.string('limit')}'`);
    const dir = dbPath(args);
    await requireDir(dir);
    const blocks = await listBlockDirs(dir);
    if (blocks.length === 0) throw new Error('no blocks found');
    const block =
      args[1] === undefined ? blocks[blocks.length - 1] : blocks.find((b) => b.meta.ulid === args[1]);
    if (block === undefined) throw new Error(`block ${args[1]} not found`);
    const { meta } = block;
    const ir = await IndexReader.open(join(block.dir, 'index'));
    const out = new BufferedOutput(io.stdout);
    const range = meta.maxTime - meta.minTime;
    out.write(`Block ID: ${meta.ulid}\n`);
    out.write(`Duration: ${goDurationMs(range)}\n`);
    out.write(`Series: ${meta.stats.numSeries}\n`);
    const names = ir.labelNames();
    out.write(`Label names: ${names.length}\n`);

    const labelsUncovered = new Map<string, number>();
    const pairsUncovered = new Map<string, number>();
    const pairsCount = new Map<string, number>();
    let entries = 0;
    for (const ref of ir.allPostings()) {
      const s = ir.series(ref);
      const chunks = s.chunks;
      // The part of the block's range this series does not cover: high for churning series.
      const uncovered =
        chunks.length === 0 ? range : range - (chunks[chunks.length - 1].maxt - chunks[0].mint);
      for (let i = 0; i < s.labels.size; i++) {
        const name = s.labels.nameAt(i);
        const key = `${name}=${s.labels.valueAt(i)}`;
        labelsUncovered.set(name, (labelsUncovered.get(name) ?? 0) + uncovered);
        pairsUncovered.set(key, (pairsUncovered.get(key) ?? 0) + uncovered);
        pairsCount.set(key, (pairsCount.get(key) ?? 0) + 1);
        entries++;
      }
    }
    out.write(`Postings (unique label pairs): ${pairsUncovered.size}\n`);
    out.write(`Postings entries (total label pairs): ${entries}\n`);
    const churn = (m: Map<string, number>): Info[] =>
      [...m].map(([key, v]) => ({ key, metric: range > 0 ? Math.trunc(v / range) : 0 }));
    printInfo(out, 'Label pairs most involved in churning', churn(pairsUncovered), limit);
    printInfo(out, 'Label names most involved in churning', churn(labelsUncovered), limit);
    printInfo(
      out,
      'Most common label pairs',
      [...pairsCount].map(([key, metric]) => ({ key, metric })),
      limit,
    );
    printInfo(
      out,
      'Label names with highest cumulative label value length',
      names.map((n) => ({ key: n, metric: ir.labelValues(n).reduce((k, v) => k + byteLength(v), 0) })),
      limit,
    );
    printInfo(
      out,
      'Highest cardinality labels',
      names.map((n) => ({ key: n, metric: ir.labelValues(n).length })),
      limit,
    );
    printInfo(
      out,
      'Highest cardinality metric names',
      ir.labelValues('__name__').map((n) => ({ key: n, metric: ir.postings('__name__', n).length })),
      limit,
    );
    ir.close();
    await out.flush();
    return 0;
  },
};
