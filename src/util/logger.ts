/**
 * A minimal structured logger: a capitalised message plus key/value fields, as Prometheus logs
 * (`Refresh failed url=… err=…`). Components take a `Logger` in their dependencies; nothing logs
 * through a global.
 */
import type { Writable } from 'node:stream';

/** Values a log field may hold; errors are written as their message. */
export type LogValue = string | number | boolean | bigint | null | undefined | Error;

/** Key/value fields attached to one log line. */
export type LogFields = Readonly<Record<string, LogValue>>;

/** Log severity, in increasing order. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** A structured logger. Calls never throw and never block on I/O. */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

const LEVEL_RANK: Readonly<Record<LogLevel, number>> = { debug: 0, info: 1, warn: 2, error: 3 };

/** Options of {@link LogfmtLogger}. */
export interface LogfmtLoggerOptions {
  /** Lines below this level are dropped. */
  level: LogLevel;
  /** Fields added to every line (after time and level), e.g. `{ component: 'discovery' }`. */
  fields: LogFields;
  /** The clock, for tests. */
  now: () => Date;
  /** `logfmt` lines, or one JSON object per line (`--log.format=json`). */
  format: 'logfmt' | 'json';
}

/** The defaults: level `info`, no extra fields, the wall clock. */
export function defaultLogfmtLoggerOptions(): LogfmtLoggerOptions {
  return { level: 'info', fields: {}, now: () => new Date(), format: 'logfmt' };
}

/** Writes one logfmt line per call (`time=… level=info msg="…" key=value`) to a stream. */
export class LogfmtLogger implements Logger {
  readonly #out: Writable;
  readonly #opts: LogfmtLoggerOptions;

  constructor(out: Writable, options: Partial<LogfmtLoggerOptions> = {}) {
    this.#out = out;
    this.#opts = { ...defaultLogfmtLoggerOptions(), ...options };
  }

  /** A logger writing to the same stream with `fields` added to every line. */
  with(fields: LogFields): LogfmtLogger {
    return new LogfmtLogger(this.#out, { ...this.#opts, fields: { ...this.#opts.fields, ...fields } });
  }

  debug(message: string, fields?: LogFields): void {
    this.#log('debug', message, fields);
  }

  info(message: string, fields?: LogFields): void {
    this.#log('info', message, fields);
  }

  warn(message: string, fields?: LogFields): void {
    this.#log('warn', message, fields);
  }

  error(message: string, fields?: LogFields): void {
    this.#log('error', message, fields);
  }

  #log(level: LogLevel, message: string, fields: LogFields | undefined): void {
    if (LEVEL_RANK[level] < LEVEL_RANK[this.#opts.level]) return;
    if (this.#opts.format === 'json') {
      const obj: Record<string, string> = { time: this.#opts.now().toISOString(), level };
      addFields(obj, this.#opts.fields);
      obj.msg = message;
      if (fields !== undefined) addFields(obj, fields);
      this.#out.write(JSON.stringify(obj) + '\n');
      return;
    }
    let line = `time=${this.#opts.now().toISOString()} level=${level}`;
    line += appendFields(this.#opts.fields);
    line += ` msg=${formatLogfmtValue(message)}`;
    if (fields !== undefined) line += appendFields(fields);
    this.#out.write(line + '\n');
  }
}

function addFields(obj: Record<string, string>, fields: LogFields): void {
  for (const key of Object.keys(fields)) {
    const v = fields[key];
    if (v !== undefined) obj[key] = v instanceof Error ? v.message : String(v);
  }
}

function appendFields(fields: LogFields): string {
  let s = '';
  for (const key of Object.keys(fields)) {
    const v = fields[key];
    if (v === undefined) continue;
    s += ` ${key}=${formatLogfmtValue(v instanceof Error ? v.message : String(v))}`;
  }
  return s;
}

/** Quotes a logfmt value when it is empty or holds spaces, quotes, `=` or control characters. */
export function formatLogfmtValue(value: string): string {
  // eslint-disable-next-line no-control-regex
  if (value !== '' && !/[\s"=\\\u0000-\u001f]/.test(value)) return value;
  return JSON.stringify(value);
}

/** A logger that drops everything; the default for tests and library callers. */
export const noopLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
};
