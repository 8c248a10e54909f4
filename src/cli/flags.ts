/**
 * Parses Prometheus-style long flags (kingpin's conventions): `--a.b=v`, `--a.b v`, boolean
 * `--flag` and `--no-flag`, `--` to end flags, and `-` as a positional argument (stdin).
 */
import type { ArgSpec, FlagSpec, ParsedFlags } from './command.js';
import { UsageError } from './command.js';

export interface ParsedCommandLine {
  flags: ParsedFlags;
  args: string[];
  help: boolean;
}

/** Parses `argv` against the declared flags and arguments; throws `UsageError` on a mistake. */
export function parseCommandLine(
  argv: readonly string[],
  flagSpecs: readonly FlagSpec[],
  argSpecs: readonly ArgSpec[],
): ParsedCommandLine {
  const byName = new Map(flagSpecs.map((f) => [f.name, f]));
  const values = new Map<string, string[]>();
  const bools = new Map<string, boolean>();
  const args: string[] = [];
  let help = false;
  let flagsEnded = false;

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (flagsEnded || !arg.startsWith('-') || arg === '-') {
      args.push(arg);
      continue;
    }
    if (arg === '--') {
      flagsEnded = true;
      continue;
    }
    if (arg === '--help' || arg === '-h') {
      help = true;
      continue;
    }
    if (!arg.startsWith('--')) throw new UsageError(`unknown short flag '${arg}'`);
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const inline = eq < 0 ? undefined : arg.slice(eq + 1);

    const spec = byName.get(name);
    if (spec?.kind === 'bool') {
      if (inline === undefined) bools.set(name, true);
      else if (inline === 'true' || inline === 'false') bools.set(name, inline === 'true');
      else throw new UsageError(`flag --${name} takes true or false, got '${inline}'`);
      continue;
    }
    if (spec === undefined) {
      const negated = name.startsWith('no-') ? byName.get(name.slice(3)) : undefined;
      if (negated?.kind === 'bool' && inline === undefined) {
        bools.set(negated.name, false);
        continue;
      }
      throw new UsageError(`unknown long flag '--${name}'`);
    }
    let value = inline;
    if (value === undefined) {
      value = argv[++i];
      if (value === undefined) throw new UsageError(`expected argument for flag '--${name}'`);
    }
    if (spec.choices && !spec.choices.includes(value)) {
      throw new UsageError(
        `enum value must be one of ${spec.choices.join(',')}, got '${value}' for --${name}`,
      );
    }
    const list = values.get(name) ?? [];
    if (list.length > 0 && !spec.repeatable) throw new UsageError(`flag '--${name}' cannot be repeated`);
    list.push(value);
    values.set(name, list);
  }

  if (!help) checkArgs(args, argSpecs);

  const flags: ParsedFlags = {
    string(name) {
      const given = values.get(name);
      if (given) return given[given.length - 1];
      const d = specOf(name).default;
      return typeof d === 'string' ? d : '';
    },
    bool(name) {
      return bools.get(name) ?? specOf(name).default === true;
    },
    strings(name) {
      const given = values.get(name);
      if (given) return given.slice();
      const d = specOf(name).default;
      return typeof d === 'string' && d !== '' ? [d] : [];
    },
    given(name) {
      return values.has(name) || bools.has(name);
    },
  };
  return { flags, args, help };

  function specOf(name: string): FlagSpec {
    const spec = byName.get(name);
    if (!spec) throw new Error(`flag --${name} is not declared`);
    return spec;
  }
}

function checkArgs(args: readonly string[], specs: readonly ArgSpec[]): void {
  const required = specs.filter((s) => !s.optional && !s.variadic).length;
  const variadicRequired = specs.some((s) => s.variadic && !s.optional);
  const min = required + (variadicRequired ? 1 : 0);
  if (args.length < min) {
    const missing = specs[Math.min(args.length, specs.length - 1)];
    throw new UsageError(`required argument '${missing.name}' not provided`);
  }
  if (!specs.some((s) => s.variadic) && args.length > specs.length) {
    throw new UsageError(`unexpected argument '${args[specs.length]}'`);
  }
}
