/**
 * Regular expressions with RE2 semantics: Go's syntax, fully anchored, linear time.
 *
 * The general case runs on re2js, a pure-JavaScript port of RE2: it cannot backtrack, so no label
 * value or query can make it take more than linear time. It was measured faster than the native
 * `re2` addon for label-sized strings (the addon pays for UTF-8 conversion on every call; see
 * docs/benchmarks.md). Most patterns in real queries are simpler than a regex, so those shapes are
 * recognised once and matched with plain string operations.
 */
import { RE2JS } from 're2js';

/** A compiled, fully anchored regular expression. */
export interface StringMatcher {
  matches(s: string): boolean;
}

/** Thrown for a pattern that is not valid RE2 syntax; the message is Go's. */
export class RegexSyntaxError extends Error {
  readonly code = 'ERR_REGEX_SYNTAX';
}

const ANY: StringMatcher = { matches: () => true };
const NON_EMPTY: StringMatcher = { matches: (s) => s.length > 0 };

/**
 * Compiles `pattern` as Prometheus does (`^(?s:pattern)$`: anchored, `.` matches newline).
 * Throws `RegexSyntaxError` for invalid syntax.
 */
export function compileRegex(pattern: string): StringMatcher {
  let general: RE2JS;
  try {
    // Compiled even when a fast path applies, so that invalid syntax is always reported.
    general = RE2JS.compile(`(?s:${pattern})`);
  } catch (e) {
    throw new RegexSyntaxError(e instanceof Error ? e.message : String(e));
  }
  return fastPath(pattern) ?? { matches: (s) => general.matches(s) };
}

/** Recognises the shapes that need no regex engine; undefined when none applies. */
function fastPath(pattern: string): StringMatcher | undefined {
  if (pattern === '.*') return ANY;
  if (pattern === '.+') return NON_EMPTY;

  const literal = unescapeLiteral(pattern);
  if (literal !== undefined) return { matches: (s) => s === literal };

  const alternatives = literalAlternatives(pattern);
  if (alternatives !== undefined) {
    const set = new Set(alternatives);
    return { matches: (s) => set.has(s) };
  }

  const starts = pattern.startsWith('.*');
  const ends = pattern.endsWith('.*') && !pattern.endsWith('\\.*');
  const inner = pattern.slice(starts ? 2 : 0, ends ? pattern.length - 2 : pattern.length);
  if ((starts || ends) && inner.length > 0) {
    const lit = unescapeLiteral(inner);
    if (lit !== undefined) {
      if (starts && ends) return { matches: (s) => s.includes(lit) };
      if (ends) return { matches: (s) => s.startsWith(lit) };
      return { matches: (s) => s.endsWith(lit) };
    }
  }
  return undefined;
}

const META = new Set(['\\', '.', '+', '*', '?', '(', ')', '|', '[', ']', '{', '}', '^', '$']);

/**
 * The literal a pattern stands for if it has no operators (escaped punctuation allowed), else
 * undefined. `\Q…\E`, classes and escapes with letters are left to the engine.
 */
function unescapeLiteral(pattern: string): string | undefined {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      const next = pattern[i + 1];
      if (next === undefined || !/[!-/:-@[-`{-~]/.test(next)) return undefined;
      out += next;
      i++;
    } else if (META.has(c)) {
      return undefined;
    } else {
      out += c;
    }
  }
  return out;
}

/** `a|b|c` or `(a|b|c)` / `(?:a|b|c)` of literals: the literals, else undefined. */
function literalAlternatives(pattern: string): string[] | undefined {
  let body = pattern;
  if (body.startsWith('(?:') && body.endsWith(')')) body = body.slice(3, -1);
  else if (body.startsWith('(') && body.endsWith(')') && !body.startsWith('(?')) body = body.slice(1, -1);
  if (!body.includes('|')) return undefined;
  const out: string[] = [];
  for (const part of body.split('|')) {
    const lit = unescapeLiteral(part);
    if (lit === undefined) return undefined;
    out.push(lit);
  }
  return out;
}
