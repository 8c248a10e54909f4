/** Every `vigil` subcommand, in the order `vigil --help` lists them. One file per command. */
import type { Command } from './command.js';
import { checkConfigCommand } from './check-config.js';
import { checkMetricsCommand } from './check-metrics.js';
import { checkWebConfigCommand } from './check-web-config.js';
import { promqlFormatCommand } from './promql-format.js';
import { promqltestCommand } from './promqltest.js';
import { serverCommand } from './server.js';
import { tsdbAnalyzeCommand } from './tsdb-analyze.js';
import { tsdbCreateBlocksCommand } from './tsdb-create-blocks.js';
import { tsdbDumpCommand } from './tsdb-dump.js';
import { tsdbListCommand } from './tsdb-list.js';

export const commands: readonly Command[] = [
  serverCommand,
  checkMetricsCommand,
  checkConfigCommand,
  checkWebConfigCommand,
  promqlFormatCommand,
  promqltestCommand,
  tsdbListCommand,
  tsdbDumpCommand,
  tsdbCreateBlocksCommand,
  tsdbAnalyzeCommand,
];
