/** A logger for tests that records error lines, to check that failures are reported. */
import type { LogFields, Logger } from '../../src/util/logger.js';

/** Records each error as `<message> <field>=<value> …`; other levels are dropped. */
export function recordingLogger(): Logger & { errors: string[] } {
  const errors: string[] = [];
  const ignore = (): void => {};
  return {
    errors,
    debug: ignore,
    info: ignore,
    warn: ignore,
    error: (msg: string, fields?: LogFields) => {
      let line = msg;
      for (const [k, v] of Object.entries(fields ?? {}))
        line += ` ${k}=${v instanceof Error ? v.message : String(v)}`;
      errors.push(line);
    },
  };
}
