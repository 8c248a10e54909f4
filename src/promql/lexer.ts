/**
 * The PromQL lexer: turns query text into tokens. Words (identifiers, keywords, function names)
 * are one kind; the parser decides what a word means from its context, so that label names such
 * as `on` or `by` need no special lexer state.
 */
import { ParseError } from './parse-error.js';

/** The kinds of token. `op` covers operators and punctuation; `text` says which. */
export type TokenKind = 'ident' | 'number' | 'duration' | 'string' | 'op' | 'eof';

/** One token with its source range. */
export interface Token {
  kind: TokenKind;
  /** The source text (for strings: the unescaped value). */
  text: string;
  /** Numbers: the value; durations: milliseconds. */
  value: number;
  start: number;
  end: number;
  /**
   * Set on an `eof` after unclosed `(`/`[`/`{` and on an unbalanced `)`/`]`/`}`: Prometheus'
   * lexer message, which the parser reports when it trips over this token.
   */
  error?: string;
  /** Where `error` is reported, when not at `start`. */
  errorAt?: number;
}

const OPERATORS = [
  '</',
  '>/',
  '==',
  '!=',
  '=~',
  '!~',
  '>=',
  '<=',
  '+',
  '-',
  '*',
  '/',
  '%',
  '^',
  '=',
  '>',
  '<',
  ',',
  '(',
  ')',
  '{',
  '}',
  '[',
  ']',
  ':',
  '@',
];

const DURATION_UNITS: ReadonlyArray<readonly [string, number]> = [
  ['y', 365 * 24 * 3600_000],
  ['w', 7 * 24 * 3600_000],
  ['d', 24 * 3600_000],
  ['h', 3600_000],
  ['ms', 1],
  ['m', 60_000],
  ['s', 1000],
];
const UNIT_ORDER = ['y', 'w', 'd', 'h', 'm', 's', 'ms'];

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}
function isAlpha(c: string | undefined): boolean {
  return c !== undefined && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_');
}
function isWordChar(c: string | undefined): boolean {
  return isAlpha(c) || isDigit(c);
}
function isIdentChar(c: string | undefined): boolean {
  return isAlpha(c) || isDigit(c) || c === ':';
}

/** Splits a query into tokens, ending with an `eof` token. Throws `ParseError` on bad input. */
export function lex(query: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  let parenDepth = 0;
  let bracketOpen = false;
  let braceOpen = false;
  // Track nesting as Prometheus' lexer does, for its messages about unbalanced brackets.
  const balance = (op: string): string | undefined => {
    switch (op) {
      case '(':
        parenDepth++;
        return undefined;
      case ')':
        if (parenDepth === 0) return "unexpected right parenthesis ')'";
        parenDepth--;
        return undefined;
      case '[':
        if (bracketOpen) return "unexpected left bracket '['";
        bracketOpen = true;
        return undefined;
      case ']':
        if (!bracketOpen) return "unexpected right bracket ']'";
        bracketOpen = false;
        return undefined;
      case '{':
        if (braceOpen) return "unexpected left brace '{'";
        braceOpen = true;
        return undefined;
      case '}':
        if (!braceOpen) return "unexpected right brace '}'";
        braceOpen = false;
        return undefined;
    }
    return undefined;
  };
  const fail = (msg: string, start: number, end = start + 1): never => {
    throw new ParseError(msg, { start, end }, query);
  };
  while (i < query.length) {
    const c = query[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    if (c === '#') {
      while (i < query.length && query[i] !== '\n') i++;
      continue;
    }
    const start = i;
    if (isDigit(c) || (c === '.' && isDigit(query[i + 1]))) {
      i = lexNumber(query, i, out, fail);
      continue;
    }
    if (isAlpha(c)) {
      while (isIdentChar(query[i])) i++;
      const text = query.slice(start, i);
      const lower = text.toLowerCase();
      if (lower === 'inf' || lower === 'nan') {
        out.push({ kind: 'number', text, value: lower === 'inf' ? Infinity : NaN, start, end: i });
      } else {
        out.push({ kind: 'ident', text, value: 0, start, end: i });
      }
      continue;
    }
    if (c === '"' || c === "'" || c === '`') {
      i = lexString(query, i, out, fail);
      continue;
    }
    const op = OPERATORS.find((o) => query.startsWith(o, i));
    // Regex matchers exist only inside braces; Prometheus' lexer refuses them elsewhere.
    if ((op === '=~' || op === '!~') && !braceOpen) fail(`unexpected character after '${c}': '~'`, start);
    if (op === undefined) {
      if (c === '!')
        fail(`unexpected character after '!': ${quoteChar(query.codePointAt(i + 1) ?? 0)}`, start);
      fail(`unexpected character: ${quoteChar(query.codePointAt(i)!)}`, start);
    }
    i += op!.length;
    const tok: Token = { kind: 'op', text: op!, value: 0, start, end: i };
    const error = balance(op!);
    if (error !== undefined) {
      tok.error = error;
      // Prometheus' lexer emits a closing bracket before checking the balance: the error sits after it.
      if (op === ')') tok.errorAt = i;
    }
    out.push(tok);
  }
  const eof: Token = { kind: 'eof', text: '', value: 0, start: query.length, end: query.length };
  if (braceOpen) eof.error = 'unexpected end of input inside braces';
  else if (parenDepth > 0) eof.error = 'unclosed left parenthesis';
  else if (bracketOpen) eof.error = 'unclosed left bracket';
  out.push(eof);
  return out;
}

function quoteChar(cp: number): string {
  return `'${String.fromCodePoint(cp)}'`;
}

/** A code point as Go's `%#U` prints it: `U+0071 'q'` (the character only when printable). */
function goUnicode(cp: number): string {
  const hex = `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  const printable = cp >= 0x20 && !(cp >= 0x7f && cp < 0xa0);
  return printable ? `${hex} '${String.fromCodePoint(cp)}'` : hex;
}

type Fail = (msg: string, start: number, end?: number) => never;

function lexNumber(q: string, i: number, out: Token[], fail: Fail): number {
  const start = i;
  // A duration: integer+unit groups, largest unit first, each unit once.
  const dur = /^(?:[0-9]+(?:ms|[ywdhms]))+/.exec(q.slice(i));
  if (dur !== null && !isWordChar(q[i + dur[0].length]) && q[i + dur[0].length] !== '.') {
    const text = dur[0];
    let ms = 0;
    let last = -1;
    for (const m of text.matchAll(/([0-9]+)(ms|[ywdhms])/g)) {
      const idx = UNIT_ORDER.indexOf(m[2]);
      if (idx <= last) fail(`bad number or duration syntax: "${text}"`, start, start + text.length);
      last = idx;
      ms += Number(m[1]) * DURATION_UNITS.find(([u]) => u === m[2])![1];
    }
    out.push({ kind: 'duration', text, value: ms, start, end: i + text.length });
    return i + text.length;
  }
  let text: string;
  const hex = /^0[xX](?:_?[0-9a-fA-F])+/.exec(q.slice(i));
  if (hex !== null) {
    text = hex[0];
  } else {
    const dec = /^(?:[0-9](?:_?[0-9])*)?(?:\.(?:[0-9](?:_?[0-9])*)?)?(?:[eE][-+]?[0-9]+)?/.exec(q.slice(i));
    text = dec![0];
  }
  const end = i + text.length;
  if (isWordChar(q[end]) || q[end] === '.') {
    let j = end;
    while (isWordChar(q[j]) || q[j] === '.') j++;
    fail(`bad number or duration syntax: "${q.slice(start, j)}"`, start, j);
  }
  const clean = text.replace(/_/g, '');
  const value = /^0[xX]/.test(clean) ? parseInt(clean.slice(2), 16) : Number(clean);
  if (Number.isNaN(value)) fail(`bad number or duration syntax: "${text}"`, start, end);
  out.push({ kind: 'number', text, value, start, end });
  return end;
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  "'": "'",
  '"': '"',
};

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes escaped bytes as UTF-8. A byte that is not part of a valid sequence becomes the lone
 * surrogate U+DC80+byte−0x80 (Python's "surrogateescape"), so the string stays ill-formed, as the
 * Go string is invalid UTF-8, and name validation rejects it as Prometheus does.
 */
function decodeGoBytes(bytes: number[]): string {
  const all = Uint8Array.from(bytes);
  try {
    return UTF8.decode(all);
  } catch {
    let out = '';
    for (let i = 0; i < all.length;) {
      const b = all[i];
      const len = b < 0x80 ? 1 : b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 0;
      if (len > 0 && i + len <= all.length) {
        try {
          out += UTF8.decode(all.subarray(i, i + len));
          i += len;
          continue;
        } catch {
          // Not a valid sequence: escape the lead byte below.
        }
      }
      out += String.fromCharCode(b < 0x80 ? b : 0xdc00 + b);
      i++;
    }
    return out;
  }
}

function lexString(q: string, i: number, out: Token[], fail: Fail): number {
  const start = i;
  const quote = q[i];
  i++;
  let value = '';
  // Bytes from \x and octal escapes, decoded as UTF-8 once a run of them ends (Go strings are bytes).
  const bytes: number[] = [];
  const flush = (): void => {
    if (bytes.length > 0) value += decodeGoBytes(bytes.splice(0));
  };
  if (quote === '`') {
    const close = q.indexOf('`', i);
    if (close < 0) fail('unterminated raw string', start, q.length);
    out.push({ kind: 'string', text: q.slice(i, close), value: 0, start, end: close + 1 });
    return close + 1;
  }
  for (;;) {
    const c = q[i];
    if (c === undefined || c === '\n') fail('unterminated quoted string', start, i);
    if (c === quote) break;
    if (c !== '\\') {
      flush();
      value += c;
      i++;
      continue;
    }
    const e = q[i + 1];
    // As in Go, `\'` is only valid in single-quoted and `\"` only in double-quoted strings.
    if (e !== undefined && e in SIMPLE_ESCAPES && ((e !== '"' && e !== "'") || e === quote)) {
      flush();
      value += SIMPLE_ESCAPES[e];
      i += 2;
      continue;
    }
    let digits = 0;
    let base = 16;
    if (e === 'x') digits = 2;
    else if (e === 'u') digits = 4;
    else if (e === 'U') digits = 8;
    else if (e !== undefined && e >= '0' && e <= '7') {
      digits = 3;
      base = 8;
    } else if (e === undefined || e === '\n') fail('escape sequence not terminated', start, i + 1);
    // Reported at the string's start, as Go's %#U prints the character.
    else fail(`unknown escape sequence ${goUnicode(e.codePointAt(0)!)}`, start, i + 2);
    const from = base === 8 ? i + 1 : i + 2;
    const hex = q.slice(from, from + digits);
    const ok = base === 8 ? /^[0-7]{3}$/.test(hex) : new RegExp(`^[0-9a-fA-F]{${digits}}$`).test(hex);
    if (!ok) fail('invalid escape sequence', i, from + digits);
    const cp = parseInt(hex, base);
    if (base === 8 || e === 'x') {
      if (cp > 255) fail('octal escape value > 255', i, from + digits);
      bytes.push(cp);
    } else {
      flush();
      if (cp > 0x10ffff || (cp >= 0xd800 && cp < 0xe000))
        fail('escape sequence is invalid Unicode code point', i, from + digits);
      value += String.fromCodePoint(cp);
    }
    i = from + digits;
  }
  flush();
  out.push({ kind: 'string', text: value, value: 0, start, end: i + 1 });
  return i + 1;
}
