/** How numbers and times read in the console: axis ticks, hover values, table cells. */

const BIG: ReadonlyArray<readonly [number, string]> = [
  [1e24, 'Y'],
  [1e21, 'Z'],
  [1e18, 'E'],
  [1e15, 'P'],
  [1e12, 'T'],
  [1e9, 'G'],
  [1e6, 'M'],
  [1e3, 'k'],
];

const SMALL: ReadonlyArray<readonly [number, string]> = [
  [1e-3, 'm'],
  [1e-6, 'µ'],
  [1e-9, 'n'],
  [1e-12, 'p'],
  [1e-15, 'f'],
  [1e-18, 'a'],
  [1e-21, 'z'],
  [1e-24, 'y'],
];

/**
 * A value with an SI prefix and at most `digits` decimals, trailing zeros dropped: `1.5k`, `250m`,
 * `12`, `NaN`, `+Inf`. Used for axis ticks and hover values, where width matters more than digits.
 */
export function formatSI(value: number | null, digits = 2): string {
  if (value === null) return '';
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  const abs = Math.abs(value);
  if (abs === 0) return '0';
  if (abs >= 1e27 || abs < 1e-24) return value.toExponential(digits);
  for (const [size, prefix] of BIG) if (abs >= size) return fixed(value / size, digits) + prefix;
  if (abs >= 1) return fixed(value, digits);
  for (const [size, prefix] of SMALL) if (abs >= size) return fixed(value / size, digits) + prefix;
  return value.toExponential(digits);
}

function fixed(v: number, digits: number): string {
  const s = v.toFixed(digits);
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

/**
 * The number of a sample value string as the API sends it (`"1"`, `"NaN"`, `"+Inf"`, `"-Inf"`).
 * Go writes infinities with a sign; `Number()` reads only `Infinity`, so map them by hand.
 */
export function parseSampleValue(text: string): number {
  switch (text) {
    case '+Inf':
    case 'Inf':
      return Infinity;
    case '-Inf':
      return -Infinity;
    case 'NaN':
      return NaN;
    default:
      return Number(text);
  }
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** `2024-05-01 12:34:56` (UTC), the form Prometheus' console puts in `end_input`. */
export function formatUTCInput(ms: number): string {
  const d = new Date(ms);
  return (
    `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`
  );
}

/** `2024-05-01 12:34:56.789` (UTC) for hover and table timestamps; milliseconds only when set. */
export function formatTimestamp(ms: number): string {
  const base = formatUTCInput(ms);
  const frac = ((ms % 1000) + 1000) % 1000;
  return frac === 0 ? base : `${base}.${pad(Math.round(frac), 3)}`;
}

/**
 * Reads a time the way Prometheus' console links write it: `2024-05-01 12:34:56`, `2024-05-01
 * 12:34`, `2024-05-01T12:34:56Z` (all UTC unless a zone is given) or Unix seconds. `null` if none.
 */
export function parseTimeInput(text: string): number | null {
  const t = text.trim();
  if (t === '') return null;
  if (/^\d+(\.\d+)?$/.test(t)) return Math.round(Number(t) * 1000);
  const m =
    /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(
      t,
    );
  if (m === null) return null;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '0', zone] = m;
  let ms = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s, Number(frac.padEnd(3, '0')));
  if (zone !== undefined && zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  return Number.isNaN(ms) ? null : ms;
}
