/**
 * The OpenMetrics 1.0 text writer: `# TYPE`, `# UNIT`, `# HELP`, samples with second timestamps
 * and exemplars, and the closing `# EOF`.
 */
import type { Labels } from '../model/labels.js';
import type { MetricFamily, MetricPoint, MetricType, WriterOptions } from './types.js';
import {
  escapeSampleName,
  escapeString,
  formatOpenMetricsFloat,
  formatOpenMetricsInt,
  labelPairsText,
  metadataName,
  seriesText,
} from './writer-common.js';
import type { EscapingScheme } from './escaping.js';

/** The content type of what `writeOpenMetrics` produces. */
export const OPENMETRICS_CONTENT_TYPE = 'application/openmetrics-text; version=1.0.0; charset=utf-8';

/**
 * Writes families as OpenMetrics 1.0 text, ending in `# EOF\n`. Metadata comes in the order the
 * spec recommends (TYPE, UNIT, HELP). A counter's family is named without `_total` and its samples
 * with it (a point named like the family gets the suffix), an info family likewise with `_info`.
 * Counts and buckets of histograms and summaries are written as integers, other values as Go
 * renders floats with `.0` added to integers. Timestamps are written in seconds. Nothing is
 * validated: the caller gives well-formed families.
 */
export function writeOpenMetrics(families: readonly MetricFamily[], options: WriterOptions = {}): string {
  const out: string[] = [];
  for (const f of families) appendOpenMetricsFamily(out, f, options);
  out.push('# EOF\n');
  return out.join('');
}

/**
 * Appends one family as OpenMetrics text to `out` as one string, for callers that stream a large
 * exposition family by family; they must end it with `# EOF\n` themselves.
 */
export function appendOpenMetricsFamily(out: string[], f: MetricFamily, options: WriterOptions = {}): void {
  const esc = options.escaping ?? 'allow-utf-8';
  const suffix = f.type === 'counter' ? '_total' : f.type === 'info' ? '_info' : '';
  const base = suffix !== '' && f.name.endsWith(suffix) ? f.name.slice(0, -suffix.length) : f.name;
  const name = metadataName(base, esc);
  const escapedBase = esc === 'allow-utf-8' ? base : name;
  let s = '# TYPE ' + name + ' ' + f.type + '\n';
  if (f.unit !== undefined && f.unit !== '') s += '# UNIT ' + name + ' ' + f.unit + '\n';
  if (f.help !== undefined && f.help !== '') s += '# HELP ' + name + ' ' + escapeString(f.help) + '\n';
  for (const p of f.metrics) {
    const sampleName = suffix !== '' && (p.name === base || p.name === f.name) ? base + suffix : p.name;
    s += seriesText(escapeSampleName(sampleName, base, escapedBase, esc), p.labels, esc);
    s += ' ' + formatValue(f.type, base, p);
    if (p.timestamp !== undefined) s += ' ' + formatSeconds(p.timestamp);
    const e = p.exemplar;
    if (e !== undefined) {
      s += ' # ' + labelsText(e.labels, esc) + ' ' + formatOpenMetricsFloat(e.value);
      if (e.timestamp !== undefined) s += ' ' + formatSeconds(e.timestamp);
    }
    s += '\n';
  }
  out.push(s);
}

/**
 * Counts and bucket values MUST be integers in OpenMetrics; a `_created` value is a timestamp and
 * is written without exponent, as the spec asks of timestamps; everything else is a float.
 */
function formatValue(type: MetricType, base: string, p: MetricPoint): string {
  const n = p.name;
  const sfx = n.length > base.length && n.startsWith(base) ? n.slice(base.length) : '';
  if (sfx === '') return formatOpenMetricsFloat(p.value);
  if (sfx === '_created') return formatPlainSeconds(p.value);
  const integral =
    type === 'histogram' || type === 'gaugehistogram'
      ? sfx === '_bucket' || sfx === (type === 'histogram' ? '_count' : '_gcount')
      : type === 'summary' && sfx === '_count';
  return integral ? formatOpenMetricsInt(p.value) : formatOpenMetricsFloat(p.value);
}

/** Seconds in plain decimal (`1520430000.123`): String() is shortest round-trip below 1e21. */
function formatPlainSeconds(v: number): string {
  const a = v < 0 ? -v : v;
  if (!(a >= 1e-6 && a < 1e21)) return formatOpenMetricsFloat(v);
  const s = String(v);
  return s.includes('.') ? s : s + '.0';
}

/** `{a="b",c="d"}`, or `{}` for an empty set, as an exemplar's labels are written. */
function labelsText(labels: Labels, esc: EscapingScheme): string {
  return '{' + labelPairsText(labels, esc) + '}';
}

/**
 * Milliseconds as exact decimal seconds (`1520879607.789`, `-1.5`), without the float rounding
 * or exponent form a division and a float rendering would give.
 */
function formatSeconds(ms: number): string {
  if (!Number.isSafeInteger(ms)) return formatOpenMetricsFloat(ms / 1000);
  const neg = ms < 0;
  const a = neg ? -ms : ms;
  const sec = Math.floor(a / 1000);
  const frac = a - sec * 1000;
  let s = (neg ? '-' : '') + sec;
  if (frac !== 0) {
    const f = frac < 10 ? '00' + frac : frac < 100 ? '0' + frac : String(frac);
    s += '.' + (f.endsWith('00') ? f.slice(0, 1) : f.endsWith('0') ? f.slice(0, 2) : f);
  }
  return s;
}
