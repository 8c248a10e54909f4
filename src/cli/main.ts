/**
 * The `vigil` entry point: finds the subcommand named by the leading words, parses its flags, and
 * maps outcomes to exit codes (0 ok, 1 failure, 2 usage error).
 */
import type { Command, CommandIO } from './command.js';
import { UsageError } from './command.js';
import { parseCommandLine } from './flags.js';
import { formatCommandHelp, formatGroupHelp } from './help.js';
import { commands } from './registry.js';
import { VERSION } from '../version.js';

/** Runs `vigil` with the given arguments (without the program name) and returns the exit code. */
export async function main(
  argv: readonly string[],
  io: CommandIO = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  if (argv[0] === '--version' || argv[0] === 'version') {
    io.stdout.write(`vigil, version ${VERSION} (node ${process.version})\n`);
    return 0;
  }
  const { command, rest, group } = findCommand(argv);
  if (!command) {
    const wantsHelp = rest.length === 0 || rest[0] === '--help' || rest[0] === '-h' || rest[0] === 'help';
    if (wantsHelp) {
      io.stdout.write(formatGroupHelp(group, commands));
      return 0;
    }
    io.stderr.write(`vigil: error: unknown command '${[...group, rest[0]].join(' ')}', try --help\n`);
    return 2;
  }
  try {
    const parsed = parseCommandLine(rest, command.flags, command.args);
    if (parsed.help) {
      io.stdout.write(formatCommandHelp(command));
      return 0;
    }
    return await command.run({ flags: parsed.flags, args: parsed.args, io });
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr.write(`vigil ${command.path.join(' ')}: error: ${e.message}, try --help\n`);
      return 2;
    }
    io.stderr.write(`vigil ${command.path.join(' ')}: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}

/** The longest command path that the leading words name, and the words after it. */
function findCommand(argv: readonly string[]): { command?: Command; rest: string[]; group: string[] } {
  let best: Command | undefined;
  for (const c of commands) {
    if (c.path.every((w, i) => argv[i] === w) && (!best || c.path.length > best.path.length)) best = c;
  }
  if (best) return { command: best, rest: argv.slice(best.path.length), group: [...best.path] };
  const group: string[] = [];
  while (group.length < argv.length && commands.some((c) => c.path[group.length] === argv[group.length])) {
    group.push(argv[group.length]);
  }
  return { rest: argv.slice(group.length), group };
}
