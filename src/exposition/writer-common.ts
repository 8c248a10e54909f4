/**
 * What both writers share: Go's float rendering, the escaping of quoted strings, and the
 * `name{labels}` part of a sample line.
 */
import type { Labels } from '../model/labels.js';
import { METRIC_NAME } from '../model/labels.js';
import { isLegacyLabelName, isLegacyMetricName } from '../model/names.js';
import type { EscapingScheme } from './escaping.js';
import { escapeName } from './escaping.js';

const BACKSLASH = 0x5c;
const QUOTE = 0x22;
const LF = 0x0a;

/**
 * Formats a float as Go's `strconv.FormatFloat(v, 'g', -1, 64)` does, with Prometheus' `+Inf`,
 * `-Inf` and `NaN`: the shortest decimal that reads back to the same float, in exponent form
 * (`1e+06`, `1.5e-05`) when the decimal exponent is below -4 or at least 6.
 */
export function formatFloat(v: number): string {
  if (v !== v) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  const a = v < 0 ? -v : v;
  // JavaScript and Go both print the shortest round-trip digits; in this range both use plain
  // decimal notation, so String() is already Go's output.
  if (a >= 1e-4 && a < 1e6) return String(v);
  const s = v.toExponential(); // shortest digits, as `d.ddde±x`
  const e = s.indexOf('e');
  const exp = s.slice(e + 2);
  return s.slice(0, e + 2) + (exp.length < 2 ? '0' + exp : exp);
}

/**
 * Formats a float for OpenMetrics as Prometheus' client library does: Go's rendering with `.0`
 * appended when it has neither a decimal point nor an exponent (`1.0`, `100000.0`, `1e+06`), the
 * spec's canonical form for `le` and `quantile` values.
 */
export function formatOpenMetricsFloat(v: number): string {
  const s = formatFloat(v);
  if (v !== v || v === Infinity || v === -Infinity) return s;
  return s.includes('.') || s.includes('e') ? s : s + '.0';
}

/**
 * Formats an integral value without a decimal point (OpenMetrics counts and buckets MUST be
 * integers); a value that is not an integer falls back to `formatOpenMetricsFloat`.
 */
export function formatOpenMetricsInt(v: number): string {
  if (!Number.isInteger(v)) return formatOpenMetricsFloat(v);
  if (v === 0) return '0';
  // String() switches to exponent form at 1e21; BigInt prints every digit.
  return v > -1e21 && v < 1e21 ? String(v) : BigInt(v).toString();
}

/**
 * Escapes a label value or quoted name: backslash, double quote and line feed become `\\`, `\"`
 * and `\n`, as both the text format and OpenMetrics require. Returns `s` itself when nothing needs
 * escaping (the common case, one scan and no allocation).
 */
export function escapeString(s: string): string {
  let i = 0;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === BACKSLASH || c === QUOTE || c === LF) break;
  }
  if (i === s.length) return s;
  let out = s.slice(0, i);
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === BACKSLASH) out += '\\\\';
    else if (c === QUOTE) out += '\\"';
    else if (c === LF) out += '\\n';
    else out += s[i];
  }
  return out;
}

/**
 * A metric name where it may stand bare (`# TYPE x`): legacy names as they are, others quoted, or
 * under an escaping scheme rewritten by `escapeName`.
 */
export function metadataName(name: string, escaping: EscapingScheme): string {
  if (isLegacyMetricName(name)) return name;
  return escaping === 'allow-utf-8' ? '"' + escapeString(name) + '"' : escapeName(name, escaping);
}

/**
 * A sample name under an escaping scheme. As Prometheus escapes the family name and then appends
 * the sample suffix, a name that is the family's `base` plus a legacy suffix (`_total`, `_bucket`)
 * becomes `escapedBase` plus that suffix, so samples keep matching their metadata. Legacy names
 * and `allow-utf-8` leave the name alone.
 */
export function escapeSampleName(
  name: string,
  base: string,
  escapedBase: string,
  escaping: EscapingScheme,
): string {
  if (escaping === 'allow-utf-8' || isLegacyMetricName(name)) return name;
  if (name.startsWith(base)) {
    const rest = name.slice(base.length);
    if (rest === '') return escapedBase;
    if (isLegacyMetricName(rest)) return escapedBase + rest;
  }
  return escapeName(name, escaping);
}

/**
 * The `name{labels}` part of a sample line. A legacy name stands before the braces; any other name
 * is quoted as the first item inside them (`{"my.metric",a="b"}`). The name is written as given
 * (escape it first with `escapeSampleName`); label names are escaped under `escaping`.
 */
export function seriesText(name: string, labels: Labels, escaping: EscapingScheme): string {
  const pairs = labelPairsText(labels, escaping);
  if (isLegacyMetricName(name)) return pairs === '' ? name : name + '{' + pairs + '}';
  return '{"' + escapeString(name) + (pairs === '' ? '"}' : '",' + pairs + '}');
}

/**
 * Labels as `a="b",c="d"` without braces. Label names outside the legacy charset are quoted; a
 * `__name__` label is skipped.
 */
export function labelPairsText(labels: Labels, escaping: EscapingScheme): string {
  let out = '';
  const n = labels.size;
  for (let i = 0; i < n; i++) {
    let ln = labels.nameAt(i);
    if (ln === METRIC_NAME) continue;
    if (escaping !== 'allow-utf-8' && !isLegacyLabelName(ln)) ln = escapeName(ln, escaping, true);
    if (out !== '') out += ',';
    out += isLegacyLabelName(ln) ? ln : '"' + escapeString(ln) + '"';
    out += '="' + escapeString(labels.valueAt(i)) + '"';
  }
  return out;
}
