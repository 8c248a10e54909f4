/**
 * Durations for the console's inputs. The text form is the server's own (`src/model/time.ts`), so
 * `1h30m` means the same in the URL, the range box and the API.
 */
import { formatDuration, parseDuration } from '../../../../src/model/time.js';

export { formatDuration };

/** Milliseconds of a Prometheus duration (`1h`, `90s`), or `null` when it does not parse. */
export function tryParseDuration(text: string): number | null {
  try {
    return parseDuration(text.trim());
  } catch {
    return null;
  }
}

/** The step, in seconds, Prometheus' console picks for a range: about 250 points, at least 1 s. */
export function autoStepSeconds(rangeMs: number): number {
  return Math.max(Math.floor(rangeMs / 1000 / 250), 1);
}

/** Human form of seconds for a table cell: `1.234s`, `12.3ms`, `450µs`. */
export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return String(seconds);
  const abs = Math.abs(seconds);
  if (abs >= 60) return formatDuration(Math.round(seconds * 1000));
  if (abs >= 1) return `${trim(seconds.toFixed(3))}s`;
  if (abs >= 1e-3) return `${trim((seconds * 1e3).toFixed(3))}ms`;
  if (abs === 0) return '0s';
  return `${trim((seconds * 1e6).toFixed(1))}µs`;
}

/** How long ago `then` was, relative to `now` (both in ms): `5s ago`, `3m ago`, `never`. */
export function formatAgo(thenMs: number, nowMs: number): string {
  if (!Number.isFinite(thenMs) || thenMs <= 0) return 'never';
  const delta = nowMs - thenMs;
  if (delta < 1000) return 'just now';
  // Coarse on purpose: two units at most (`1h2m ago`), as people read a status page.
  const text = formatDuration(Math.round(delta / 1000) * 1000);
  const parts = text.match(/\d+[a-z]+/g) ?? [text];
  return `${parts.slice(0, 2).join('')} ago`;
}

function trim(fixed: string): string {
  return fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed;
}
