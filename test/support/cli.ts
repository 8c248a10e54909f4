/** Runs the `vigil` CLI in process with captured output, for tests of subcommands. */
import { PassThrough } from 'node:stream';
import { main } from '../../src/cli/main.js';

export interface CliResult {
  code: number;
  out: string;
  err: string;
}

/** Runs `vigil ...argv`; resolves with the exit code and everything written to stdout and stderr. */
export async function runVigil(...argv: string[]): Promise<CliResult> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (b: Buffer) => (out += b.toString()));
  stderr.on('data', (b: Buffer) => (err += b.toString()));
  const code = await main(argv, { stdin: new PassThrough(), stdout, stderr });
  return { code, out, err };
}
