/**
 * The Prometheus text exposition format 0.0.4 writer: `# HELP`, `# TYPE` and one line per sample,
 * with Prometheus 3's quoted UTF-8 names.
 */
import type { MetricFamily, MetricType, WriterOptions } from './types.js';
import { escapeSampleName, formatFloat, metadataName, seriesText } from './writer-common.js';

/** The content type of what `writeText` produces. */
export const TEXT_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** The text format has five types; OpenMetrics-only types map to the nearest one. */
const TEXT_TYPES: Readonly<Record<MetricType, string>> = {
  counter: 'counter',
  gauge: 'gauge',
  histogram: 'histogram',
  summary: 'summary',
  unknown: 'untyped',
  // An info or stateset sample is a gauge with a 1 or 0 value; a gauge histogram's `_gcount` and
  // `_gsum` follow no text-format convention, so it is exposed untyped.
  info: 'gauge',
  stateset: 'gauge',
  gaugehistogram: 'untyped',
};

/**
 * Writes families in the text format 0.0.4. HELP escapes backslash and line feed; label values
 * and quoted names escape backslash, double quote and line feed. Timestamps are integer
 * milliseconds. Exemplars are dropped: the format has none. Families and samples are written in
 * the order given, and nothing is validated: the caller gives well-formed families.
 */
export function writeText(families: readonly MetricFamily[], options: WriterOptions = {}): string {
  const out: string[] = [];
  for (const f of families) appendTextFamily(out, f, options);
  return out.join('');
}

/**
 * Appends one family in the text format to `out` as one string, for callers that stream a large
 * exposition family by family (to an HTTP response, say) instead of holding it whole.
 */
export function appendTextFamily(out: string[], f: MetricFamily, options: WriterOptions = {}): void {
  const esc = options.escaping ?? 'allow-utf-8';
  const metaName = textFamilyName(f);
  const escapedBase = esc === 'allow-utf-8' ? f.name : metadataName(f.name, esc);
  const name =
    esc === 'allow-utf-8'
      ? metadataName(metaName, esc)
      : escapeSampleName(metaName, f.name, escapedBase, esc);
  let s = '';
  if (f.help !== undefined && f.help !== '') s += '# HELP ' + name + ' ' + escapeHelp(f.help) + '\n';
  s += '# TYPE ' + name + ' ' + TEXT_TYPES[f.type] + '\n';
  for (const p of f.metrics) {
    s += seriesText(escapeSampleName(p.name, f.name, escapedBase, esc), p.labels, esc);
    s += ' ' + formatFloat(p.value);
    if (p.timestamp !== undefined) s += ' ' + formatMillis(p.timestamp);
    s += '\n';
  }
  out.push(s);
}

/**
 * The name the text format's metadata uses: a counter named `foo` whose samples are `foo_total`
 * is described as `foo_total` (likewise `_info`), so parsers link the samples to their type.
 */
function textFamilyName(f: MetricFamily): string {
  const suffix = f.type === 'counter' ? '_total' : f.type === 'info' ? '_info' : '';
  if (suffix === '' || f.name.endsWith(suffix)) return f.name;
  const first = f.metrics[0];
  return first !== undefined && first.name === f.name + suffix ? first.name : f.name;
}

/** Escapes HELP text as the text format does: only backslash and line feed. */
function escapeHelp(s: string): string {
  if (!s.includes('\\') && !s.includes('\n')) return s;
  return s.replaceAll('\\', '\\\\').replaceAll('\n', '\\n');
}

/** An integer millisecond timestamp; a fractional one is truncated, as it cannot be written. */
function formatMillis(ms: number): string {
  const t = Math.trunc(ms);
  return t > -1e21 && t < 1e21 ? String(t) : BigInt(t).toString();
}
