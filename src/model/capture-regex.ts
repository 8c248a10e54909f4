/**
 * An anchored RE2 regular expression (`^(?s:…)$`) with capture groups, which the plain matcher of
 * `regex.ts` does not expose: for relabeling and PromQL's label_replace.
 */
import { RE2JS } from 're2js';
import { compileRegex, RegexSyntaxError } from './regex.js';
import type { StringMatcher } from './regex.js';
import type { Captures } from './expand-template.js';

/** A compiled regex: fast matching plus capture extraction. */
export class CaptureRegex {
  /** The pattern as written in the configuration (without the anchors). */
  readonly source: string;
  readonly #plain: StringMatcher;
  readonly #capturing: RE2JS;
  readonly #names: Readonly<Record<string, number>>;

  /** Compiles `source`; throws `RegexSyntaxError` with Go's message when it is invalid. */
  constructor(source: string) {
    this.source = source;
    try {
      // Prometheus compiles `^(?s:…)$`; compiling the same text first gives its error message.
      // The outer group is non-capturing, so group numbers are the user's own.
      this.#capturing = RE2JS.compile(`^(?s:${source})$`);
    } catch (e) {
      throw new RegexSyntaxError(e instanceof Error ? e.message : String(e));
    }
    this.#plain = compileRegex(source);
    this.#names = this.#capturing.namedGroups();
  }

  /** Whether the whole of `s` matches. */
  matches(s: string): boolean {
    return this.#plain.matches(s);
  }

  /** The capture groups when the whole of `s` matches, else undefined. */
  capture(s: string): Captures | undefined {
    const m = this.#capturing.matcher(s);
    if (!m.matches()) return undefined;
    const n = m.groupCount();
    const groups: (string | undefined)[] = new Array<string | undefined>(n + 1);
    for (let i = 0; i <= n; i++) groups[i] = m.group(i) ?? undefined;
    return { groups, names: this.#names };
  }
}
