/**
 * Label matchers: `=`, `!=`, `=~`, `!~`, as in selectors, relabeling and the API's `match[]`.
 */
import { formatLabelName } from './names.js';
import { quoteString } from './labels.js';
import type { Labels } from './labels.js';
import { compileRegex } from './regex.js';
import type { StringMatcher } from './regex.js';

export type MatchType = '=' | '!=' | '=~' | '!~';

/** One label matcher. Immutable; regexes are compiled once, at construction. */
export class Matcher {
  readonly #regex: StringMatcher | undefined;

  /** Throws `RegexSyntaxError` when a regex matcher's value is not valid RE2. */
  constructor(
    readonly type: MatchType,
    readonly name: string,
    readonly value: string,
  ) {
    this.#regex = type === '=~' || type === '!~' ? compileRegex(value) : undefined;
  }

  /** Whether a label value (`''` for an absent label) satisfies the matcher. */
  matches(s: string): boolean {
    switch (this.type) {
      case '=':
        return s === this.value;
      case '!=':
        return s !== this.value;
      case '=~':
        return this.#regex!.matches(s);
      case '!~':
        return !this.#regex!.matches(s);
    }
  }

  /** Whether the matcher accepts the empty string, i.e. also selects series without the label. */
  matchesEmpty(): boolean {
    return this.matches('');
  }

  /** `name="value"` as PromQL prints it. */
  toString(): string {
    return `${formatLabelName(this.name)}${this.type}${quoteString(this.value)}`;
  }
}

/** Whether a label set satisfies every matcher. */
export function matchesAll(labels: Labels, matchers: readonly Matcher[]): boolean {
  for (const m of matchers) if (!m.matches(labels.get(m.name))) return false;
  return true;
}
