/**
 * `vigil check metrics [--format text|openmetrics] FILE…`: parses exposition files as a scrape
 * would and lints them as `promtool check metrics` does. Exit 0 only when every file parses.
 */
import { readFile } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { Command, CommandIO } from './command.js';
import {
  Entry,
  MetricsLinter,
  ParseError,
  TextMetadataValidator,
  requireUtf8,
  detectFormat,
  newParser,
} from '../exposition/index.js';
import type { ExpositionFormat } from '../exposition/index.js';

export const checkMetricsCommand: Command = {
  path: ['check', 'metrics'],
  summary: 'Check and lint metrics in the text or OpenMetrics exposition format.',
  description:
    'Each FILE (or - for stdin) is parsed fully. Prints "FILE: ok" or "FILE:LINE:COL: error", then lint ' +
    'warnings as "FILE: metric: warning". Warnings do not change the exit code.',
  flags: [
    {
      name: 'format',
      help: 'Exposition format; detected from the content (# EOF means OpenMetrics) when not given.',
      choices: ['text', 'openmetrics'],
      placeholder: 'format',
    },
    { name: 'lint', help: 'Linting checks to apply: all or none.', choices: ['all', 'none'], default: 'all' },
  ],
  args: [{ name: 'file', help: 'Files to check; - reads stdin.', variadic: true }],
  async run({ flags, args, io }) {
    const format = flags.given('format') ? (flags.string('format') as ExpositionFormat) : undefined;
    const lint = flags.string('lint') !== 'none';
    let failed = false;
    for (const file of args) {
      if (!(await checkFile(file, format, lint, io))) failed = true;
    }
    return failed ? 1 : 0;
  },
};

async function checkFile(
  file: string,
  format: ExpositionFormat | undefined,
  lint: boolean,
  io: CommandIO,
): Promise<boolean> {
  let input: Buffer;
  try {
    input = file === '-' ? await readAll(io.stdin) : await readFile(file);
  } catch (e) {
    io.stderr.write(`${file}: ${e instanceof Error ? e.message : String(e)}\n`);
    return false;
  }
  const fmt = format ?? detectFormat(input);
  const linter = new MetricsLinter(fmt === 'openmetrics');
  try {
    const p = newParser(input, fmt);
    const metadata = fmt === 'text' ? new TextMetadataValidator() : undefined;
    if (fmt === 'text') requireUtf8(input); // the OpenMetrics parser checks this itself
    for (let k = p.next(); k !== Entry.EOF; k = p.next()) {
      metadata?.check(p, k);
      if (k === Entry.Series) p.exemplar();
      linter.observe(p, k);
    }
  } catch (e) {
    if (!(e instanceof ParseError)) throw e;
    io.stderr.write(`${file}:${e.message}\n`);
    return false;
  }
  io.stdout.write(`${file}: ok\n`);
  if (lint) for (const w of linter.problems()) io.stdout.write(`${file}: ${w.metric}: ${w.text}\n`);
  return true;
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream)
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks);
}
