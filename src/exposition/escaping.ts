/**
 * The name escaping schemes a scraper negotiates with `escaping=` (escaping_schemes.md): how a
 * writer turns a UTF-8 metric or label name into a legacy one for a consumer that cannot take
 * quoted names.
 */
import { isLegacyLabelName, isLegacyMetricName } from '../model/names.js';

/** The values of the `escaping` parameter of `Accept` and `Content-Type`. */
export type EscapingScheme = 'allow-utf-8' | 'underscores' | 'dots' | 'values';

/** The escaping used when a request names none, as the spec says. */
export const DEFAULT_ESCAPING_SCHEME: EscapingScheme = 'underscores';

/** The scheme named by an `escaping` parameter value, or `undefined` when it is not one. */
export function parseEscapingScheme(s: string): EscapingScheme | undefined {
  return s === 'allow-utf-8' || s === 'underscores' || s === 'dots' || s === 'values' ? s : undefined;
}

/**
 * Whether code point `c` at position `i` may stand in a legacy metric name
 * (`[a-zA-Z_:][a-zA-Z0-9_:]*`), or, with `label`, a legacy label name (no `:`).
 */
function isLegacyChar(c: number, i: number, label: boolean): boolean {
  return (
    (c >= 97 && c <= 122) ||
    (c >= 65 && c <= 90) ||
    c === 95 ||
    (c === 58 && !label) ||
    (i > 0 && c >= 48 && c <= 57)
  );
}

/**
 * Escapes a metric or label name under `scheme`. `allow-utf-8` returns it unchanged; the others
 * return a legacy name: `underscores` replaces each other character with `_`; `dots` writes `.` as
 * `_dot_`, `_` as `__` and any other character as `_`; `values` prefixes `U__` and writes `_` as
 * `__` and any other character as its hex code point between underscores (`U__a_2e_b`). Legacy
 * names are left alone by `underscores` and `values`. With `label`, the result is a legacy label
 * name, so `:` is escaped too.
 */
export function escapeName(name: string, scheme: EscapingScheme, label = false): string {
  if (scheme === 'allow-utf-8' || name === '') return name;
  if (scheme !== 'dots' && (label ? isLegacyLabelName(name) : isLegacyMetricName(name))) return name;
  let out = scheme === 'values' ? 'U__' : '';
  let i = 0;
  for (const ch of name) {
    const c = ch.codePointAt(0)!;
    if (scheme === 'underscores') out += isLegacyChar(c, i, label) ? ch : '_';
    else if (c === 95) out += '__';
    else if (isLegacyChar(c, i, label)) out += ch;
    else if (scheme === 'dots') out += c === 46 ? '_dot_' : '_';
    else out += '_' + c.toString(16) + '_';
    i++;
  }
  return out;
}
