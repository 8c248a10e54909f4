/**
 * Durations and timestamps as Prometheus writes them. Durations are integer milliseconds; the
 * text form is Prometheus' `model.Duration`: units y, w, d, h, m, s, ms, largest first (`1h30m`).
 */

const UNITS: ReadonlyArray<readonly [string, number]> = [
  ['y', 365 * 24 * 3600_000],
  ['w', 7 * 24 * 3600_000],
  ['d', 24 * 3600_000],
  ['h', 3600_000],
  ['m', 60_000],
  ['s', 1000],
  ['ms', 1],
];

/** Thrown for a malformed duration; the message is Prometheus'. */
export class DurationError extends Error {
  readonly code = 'ERR_DURATION';
}

/**
 * Parses `1h30m`, `5m`, `0`, `100ms` into milliseconds. Each unit at most once, largest first, as
 * Prometheus requires. Throws `DurationError` otherwise.
 */
export function parseDuration(text: string): number {
  if (text === '0') return 0;
  if (text === '') throw new DurationError('empty duration string');
  let total = 0;
  let pos = 0;
  let lastUnit = -1;
  while (pos < text.length) {
    const start = pos;
    while (pos < text.length && text.charCodeAt(pos) >= 48 && text.charCodeAt(pos) <= 57) pos++;
    if (pos === start) throw new DurationError(`not a valid duration string: "${text}"`);
    const n = Number(text.slice(start, pos));
    const unit = text.startsWith('ms', pos) ? 'ms' : text[pos];
    const idx = UNITS.findIndex(([u]) => u === unit);
    if (idx < 0 || idx <= lastUnit) throw new DurationError(`not a valid duration string: "${text}"`);
    lastUnit = idx;
    pos += unit.length;
    total += n * UNITS[idx][1];
  }
  if (!Number.isSafeInteger(total)) throw new DurationError(`duration out of range: "${text}"`);
  return total;
}

/** Formats milliseconds as Prometheus does: `1h30m`, `5m`, `0s`; negative with a leading `-`. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  let rest = Math.abs(ms);
  let out = ms < 0 ? '-' : '';
  for (const [unit, size] of UNITS) {
    if (rest >= size) {
      out += `${Math.floor(rest / size)}${unit}`;
      rest %= size;
    }
  }
  return out;
}
