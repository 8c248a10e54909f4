/**
 * The shape of a `vigil` subcommand: its flags and arguments are declared, so that parsing, `--help`
 * and usage errors are handled once, in `flags.ts` and `main.ts`.
 */
import type { Readable, Writable } from 'node:stream';

/** A long flag, written `--name=value` or `--name value` (booleans: `--name` / `--no-name`). */
export interface FlagSpec {
  name: string;
  help: string;
  /** `bool` flags take no value. Defaults to `string`. */
  kind?: 'string' | 'bool';
  /** The value when the flag is not given. */
  default?: string | boolean;
  /** May be given several times; the values are collected in order. */
  repeatable?: boolean;
  /** Allowed values, checked at parse time. */
  choices?: readonly string[];
  /** Shown in help as `--name=<placeholder>`. */
  placeholder?: string;
}

/** A positional argument. */
export interface ArgSpec {
  name: string;
  help: string;
  optional?: boolean;
  /** Takes all remaining arguments (must be last). */
  variadic?: boolean;
}

/** Where a command reads and writes; tests pass their own streams. */
export interface CommandIO {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
}

/** Parsed flag values, read with typed getters. */
export interface ParsedFlags {
  string(name: string): string;
  bool(name: string): boolean;
  strings(name: string): string[];
  /** Whether the flag was given on the command line (rather than defaulted). */
  given(name: string): boolean;
}

export interface CommandContext {
  flags: ParsedFlags;
  args: string[];
  io: CommandIO;
}

export interface Command {
  /** The words after `vigil`, e.g. `['check', 'metrics']`. */
  path: readonly string[];
  summary: string;
  /** Longer text for `--help`, after the summary. */
  description?: string;
  flags: readonly FlagSpec[];
  args: readonly ArgSpec[];
  /** Runs the command; resolves to the exit code (0 ok, 1 failure). */
  run(ctx: CommandContext): Promise<number>;
}

/** A mistake in how the command was called: reported with the usage, exit code 2. */
export class UsageError extends Error {
  readonly code = 'ERR_USAGE';
}
