/** `--help` texts, generated from the declared flags and arguments. */
import type { Command } from './command.js';

/** Help for one command: usage line, description, arguments and flags. */
export function formatCommandHelp(c: Command): string {
  const argsUsage = c.args.map((a) => {
    const n = `<${a.name}>${a.variadic ? '...' : ''}`;
    return a.optional ? `[${n}]` : n;
  });
  const lines = [
    `usage: vigil ${c.path.join(' ')} [<flags>] ${argsUsage.join(' ')}`.trimEnd(),
    '',
    c.summary,
  ];
  if (c.description) lines.push('', c.description);
  lines.push('', 'Flags:', pad('  -h, --help', 'Show help.'));
  for (const f of c.flags) {
    const value = f.kind === 'bool' ? '' : `=${f.placeholder ?? guessPlaceholder(f.name)}`;
    const def =
      f.default !== undefined && f.default !== '' && f.kind !== 'bool'
        ? ` (default: ${String(f.default)})`
        : '';
    lines.push(pad(`  --${f.kind === 'bool' ? '[no-]' : ''}${f.name}${value}`, f.help + def));
  }
  if (c.args.length > 0) {
    lines.push('', 'Args:');
    for (const a of c.args) lines.push(pad(`  <${a.name}>`, a.help));
  }
  return lines.join('\n') + '\n';
}

/** Help for a group of commands (`vigil --help`, `vigil tsdb --help`). */
export function formatGroupHelp(group: readonly string[], all: readonly Command[]): string {
  const members = all.filter((c) => group.every((w, i) => c.path[i] === w));
  const lines = [
    `usage: vigil ${[...group, '<command>'].join(' ')} [<flags>] [<args> ...]`,
    '',
    group.length === 0
      ? 'Vigil: a Prometheus-compatible monitoring system. Scrape, store, query, alert.'
      : `Commands under 'vigil ${group.join(' ')}':`,
    '',
    'Flags:',
    pad('  -h, --help', 'Show help (also for each command: vigil <command> --help).'),
    pad('  --version', 'Show the version.'),
    '',
    'Commands:',
  ];
  for (const c of members) lines.push(pad(`  ${c.path.join(' ')}`, c.summary));
  return lines.join('\n') + '\n';
}

function pad(left: string, right: string): string {
  return left.length >= 34 ? `${left}\n${' '.repeat(34)}${right}` : left.padEnd(34) + right;
}

function guessPlaceholder(name: string): string {
  return name.split('.').pop()!.toUpperCase();
}
