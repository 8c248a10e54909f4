/**
 * Metric and label name validation: the legacy charset of Prometheus 2 and the UTF-8 names of
 * Prometheus 3, which must be quoted wherever a legacy name could stand unquoted.
 */
import { quoteString } from './labels.js';

/** Legacy metric names: `[a-zA-Z_:][a-zA-Z0-9_:]*`. */
export function isLegacyMetricName(name: string): boolean {
  if (name.length === 0) return false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    const ok =
      (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 58 || (i > 0 && c >= 48 && c <= 57);
    if (!ok) return false;
  }
  return true;
}

/** Legacy label names: `[a-zA-Z_][a-zA-Z0-9_]*`. */
export function isLegacyLabelName(name: string): boolean {
  if (name.length === 0) return false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    const ok = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || (i > 0 && c >= 48 && c <= 57);
    if (!ok) return false;
  }
  return true;
}

/** Prometheus 3 names: any non-empty, well-formed UTF-8 (no lone surrogates in JavaScript terms). */
export function isUtf8Name(name: string): boolean {
  return name.length > 0 && name.isWellFormed();
}

/** How strictly names are validated: Prometheus 3's default is `utf8`. */
export type NameValidationScheme = 'legacy' | 'utf8';

export function isValidMetricName(name: string, scheme: NameValidationScheme = 'utf8'): boolean {
  return scheme === 'legacy' ? isLegacyMetricName(name) : isUtf8Name(name);
}

export function isValidLabelName(name: string, scheme: NameValidationScheme = 'utf8'): boolean {
  return scheme === 'legacy' ? isLegacyLabelName(name) : isUtf8Name(name);
}

/** A label name as PromQL and the exposition formats print it: bare when legacy, else quoted. */
export function formatLabelName(name: string): string {
  return isLegacyLabelName(name) ? name : quoteString(name);
}

/** A metric name as printed before `{`: bare when legacy, else it must move inside the braces. */
export function formatMetricName(name: string): string {
  return isLegacyMetricName(name) ? name : quoteString(name);
}
