/**
 * The number, time and string encodings of Prometheus' JSON API, byte for byte: sample values as
 * `strconv.AppendFloat(v, 'f' or 'e', -1, 64)` in quotes (`util/jsonutil.MarshalFloat`), times as
 * seconds with exactly three decimals when the milliseconds are not zero (`MarshalTimestamp`), and
 * strings escaped as Go's `encoding/json` does (HTML-safe).
 */

/**
 * A sample value as Prometheus writes it, without the quotes: `NaN`, `+Inf`, `-Inf`, shortest
 * round-trip digits, an exponent only below 1e-6 or from 1e21 (Go pads it to two digits: `1e-07`).
 */
export function formatSampleValue(v: number): string {
  // Fast path: integers below 1e21 print the same in JavaScript and Go.
  if (Number.isInteger(v)) {
    if (v === 0 && Object.is(v, -0)) return '-0';
    if (v < 1e21 && v > -1e21) return String(v);
  }
  if (v !== v) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  // JavaScript switches to an exponent at the same bounds as Prometheus (|v| < 1e-6, ≥ 1e21), and
  // prints the same shortest digits; only the exponent's width differs.
  const s = String(v);
  const e = s.indexOf('e');
  if (e < 0) return s;
  const digits = s.length - e - 2;
  return digits === 1 ? `${s.slice(0, e + 2)}0${s.slice(e + 2)}` : s;
}

/** A timestamp in milliseconds as JSON seconds: `1435781451.781`, `1.010`, `0`, `-0.001`. */
export function formatTimestamp(ms: number): string {
  let t = Math.trunc(ms);
  let sign = '';
  if (t < 0) {
    sign = '-';
    t = -t;
  }
  const frac = t % 1000;
  const secs = (t - frac) / 1000;
  if (frac === 0) return `${sign}${secs}`;
  return `${sign}${secs}.${frac < 10 ? '00' : frac < 100 ? '0' : ''}${frac}`;
}

// Go's encoding/json escapes <, > and & (and the two JavaScript line separators) so that JSON can
// be embedded in HTML; JSON.stringify does not.
const HTML_UNSAFE = /[<>&\u2028\u2029]/g;
// A separate, non-global copy for test(): a global regex's test() moves its lastIndex.
const HAS_HTML_UNSAFE = /[<>&\u2028\u2029]/;
const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};

/** A JSON string literal as Go's `encoding/json` writes it. */
export function jsonString(s: string): string {
  const q = JSON.stringify(s);
  return HAS_HTML_UNSAFE.test(q) ? q.replace(HTML_UNSAFE, (c) => HTML_ESCAPES[c]) : q;
}

/**
 * Any JSON-compatible value as Go would marshal it: like `JSON.stringify` (object keys in the
 * order given), with Go's string escaping. `undefined` members are left out.
 */
export function jsonValue(v: unknown): string {
  const s = JSON.stringify(v);
  return s === undefined
    ? 'null'
    : HAS_HTML_UNSAFE.test(s)
      ? s.replace(HTML_UNSAFE, (c) => HTML_ESCAPES[c])
      : s;
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/**
 * A time as Go's `time.Time` marshals to JSON (RFC 3339 with trailing zeros of the fraction
 * dropped), in UTC; `undefined` is Go's zero time, `0001-01-01T00:00:00Z`.
 */
export function formatGoTime(d: Date | undefined): string {
  if (d === undefined) return '0001-01-01T00:00:00Z';
  const ms = d.getUTCMilliseconds();
  const frac = ms === 0 ? '' : `.${String(ms).padStart(3, '0').replace(/0+$/, '')}`;
  return (
    `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}T` +
    `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}${frac}Z`
  );
}

/** A time with exactly three decimals, as the query log writes `start`, `end` and `ts`. */
export function formatMillisTime(ms: number): string {
  return new Date(ms).toISOString();
}
