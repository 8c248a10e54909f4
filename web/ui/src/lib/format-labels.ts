/** Series names as PromQL writes them, for legends, tables and tooltips. */
import type { Metric } from './api-types.js';

const LEGACY_METRIC = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LEGACY_LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** A label value (or quoted name) as a PromQL string literal, escaped the way Go's %q does. */
export function quoteString(s: string): string {
  return JSON.stringify(s);
}

/**
 * `name{a="1", b="2"}`; labels sorted by name, `__name__` first. A metric name that is not a
 * legacy name goes inside the braces quoted (`{"my.metric", a="1"}`), as Prometheus 3 prints it;
 * a label set with no labels is `{}`.
 */
export function formatSeriesName(metric: Metric): string {
  const name = metric.__name__;
  const parts: string[] = [];
  let prefix = '';
  if (name !== undefined) {
    if (LEGACY_METRIC.test(name)) prefix = name;
    else parts.push(quoteString(name));
  }
  for (const key of Object.keys(metric).sort()) {
    if (key === '__name__') continue;
    const k = LEGACY_LABEL.test(key) ? key : quoteString(key);
    parts.push(`${k}=${quoteString(metric[key])}`);
  }
  if (prefix !== '' && parts.length === 0) return prefix;
  return `${prefix}{${parts.join(', ')}}`;
}

/** Label pairs sorted by name without `__name__`, for badges. */
export function labelPairs(metric: Metric): [string, string][] {
  return Object.keys(metric)
    .filter((k) => k !== '__name__')
    .sort()
    .map((k) => [k, metric[k]]);
}
