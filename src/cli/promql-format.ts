/** `vigil promql format EXPR`: prints a PromQL expression in its canonical form. */
import type { Command } from './command.js';
import { ParseError, formatExpr, parseExpr } from '../promql/index.js';

export const promqlFormatCommand: Command = {
  path: ['promql', 'format'],
  summary: 'Format a PromQL expression canonically (exit 1 with the parse error if it does not parse).',
  flags: [],
  args: [{ name: 'expr', help: 'The PromQL expression.' }],
  run({ args, io }) {
    try {
      io.stdout.write(`${formatExpr(parseExpr(args[0] ?? ''))}\n`);
      return Promise.resolve(0);
    } catch (e) {
      if (!(e instanceof ParseError)) throw e;
      io.stderr.write(`${e.message}\n`);
      return Promise.resolve(1);
    }
  },
};
