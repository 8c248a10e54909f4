/**
 * `match[]` selectors: series selectors such as `up{job="api"}` parsed into matchers, as
 * Prometheus' `parseMatchersParam` does, with its error texts.
 */
import type { Matcher } from '../model/matcher.js';
import { ParseError } from '../promql/parse-error.js';
import { parseExpr } from '../promql/parser.js';
import { badData } from './errors.js';

const EMPTY_SELECTOR = 'vector selector must contain at least one non-empty matcher';

/** Thrown for a selector whose matchers all match the empty string. */
class AllEmptyError extends Error {}

/**
 * Parses one series selector into its matchers. Throws the parser's `ParseError` for bad syntax
 * or for an expression that is not a plain selector, and `AllEmptyError` when every matcher
 * matches the empty string (the API reports that with its own text).
 */
export function parseMetricSelector(s: string): Matcher[] {
  let e;
  try {
    e = parseExpr(s);
  } catch (err) {
    // The PromQL parser rejects `{a=""}` outright; a metric selector parses and the API then
    // decides, with its own message.
    if (err instanceof ParseError && err.detail === EMPTY_SELECTOR) throw new AllEmptyError();
    throw err;
  }
  if (e.type !== 'VectorSelector' || e.offset !== 0 || e.at !== null || e.offsetExpr !== undefined)
    throw new ParseError(`unexpected expression in series selector: ${s}`, { start: 0, end: s.length }, s);
  return e.matchers;
}

/**
 * Parses every `match[]` value. Throws a `bad_data` `ApiError` whose message is the parse error,
 * or `match[] must contain at least one non-empty matcher`; `wrap` prefixes the message (the
 * series endpoint says `invalid parameter "match[]": …`).
 */
export function parseMatchers(
  values: readonly string[],
  wrap: (msg: string) => string = (m) => m,
): Matcher[][] {
  const sets: Matcher[][] = [];
  for (const v of values) {
    try {
      sets.push(parseMetricSelector(v));
    } catch (err) {
      if (err instanceof AllEmptyError)
        throw badData(wrap('match[] must contain at least one non-empty matcher'));
      if (err instanceof ParseError) throw badData(wrap(err.message));
      throw err;
    }
  }
  return sets;
}
