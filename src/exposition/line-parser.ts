/**
 * The byte-level machinery both exposition parsers share: a position in the input with line
 * tracking, the scanner for `name{labels}` (legacy and quoted Prometheus 3 names), and the lazy
 * decoding of what was scanned. The format-specific subclasses drive it line by line.
 */
import { Labels, METRIC_NAME } from '../model/labels.js';
import type { Exemplar, EntryKind, ExpositionParser, MetricType } from './entry.js';
import { ParseError } from './parse-error.js';
import type { ParseErrorCode } from './parse-error.js';
import { asBuffer, latin1 } from './number.js';
import { SeriesText } from './series-text.js';
import { requireUtf8 } from './utf8.js';

const LF = 0x0a;
const SP = 0x20;
const TAB = 0x09;
const QUOTE = 0x22;
const BSLASH = 0x5c;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const COMMA = 0x2c;
const EQUAL = 0x3d;

/** Numbers per label in the scratch array: name start/end, value start/end, flags. */
const SLOT = 5;

/** Byte classes for names: bit 1 may start a metric name, 2 may continue one, 4/8 the same for labels. */
const NAME_CLASS = new Uint8Array(256);
for (let c = 0; c < 256; c++) {
  const alpha = (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f;
  const digit = c >= 0x30 && c <= 0x39;
  NAME_CLASS[c] = (alpha || c === 0x3a ? 3 : 0) | (digit ? 2 : 0) | (alpha ? 12 : 0) | (digit ? 8 : 0);
}

/** The positions of one scanned label set: the metric name and the labels, in input order. */
export class ScannedLabels {
  /** Byte range of the metric name (inside the quotes when quoted); -1 when there is none. */
  nameStart = -1;
  nameEnd = -1;
  /** 1: the name was quoted; 2: it holds escapes. */
  nameFlags = 0;
  /** Number of labels recorded in `slots`. */
  count = 0;
  /** `SLOT` numbers per label; reused across lines and grown when a line has more labels. */
  slots = new Int32Array(SLOT * 16);

  /** Forgets the previous line's labels, keeping the storage. */
  reset(): void {
    this.nameStart = -1;
    this.nameEnd = -1;
    this.nameFlags = 0;
    this.count = 0;
  }

  /** Records one label: name and value byte ranges and flags (1 quoted name, 2 name escapes, 4 value escapes). */
  push(ns: number, ne: number, vs: number, ve: number, flags: number): void {
    const i = this.count * SLOT;
    if (i + SLOT > this.slots.length) {
      const grown = new Int32Array(this.slots.length * 2);
      grown.set(this.slots);
      this.slots = grown;
    }
    const s = this.slots;
    s[i] = ns;
    s[i + 1] = ne;
    s[i + 2] = vs;
    s[i + 3] = ve;
    s[i + 4] = flags;
    this.count++;
  }
}

/** Shared state and scanning for the text and OpenMetrics parsers. */
export abstract class LineParser implements ExpositionParser {
  protected readonly buf: Buffer;
  protected readonly end: number;
  protected pos = 0;
  /** 1-based number of the line `pos` is on, and the offset where it starts. */
  protected lineNo = 1;
  protected lineStart = 0;
  /** Line and start offset of the current entry. */
  protected entryLine = 1;
  protected entryLineStart = 0;

  protected seriesStart = 0;
  protected seriesEnd = 0;
  /** What `seriesText()` hands out, moved to the current sample on each call. */
  private readonly text: SeriesText;
  protected readonly scanned = new ScannedLabels();
  protected readonly exemplarScanned = new ScannedLabels();
  protected val = 0;
  protected ts = 0;
  protected hasTs = false;
  protected hasExemplar = false;
  protected exemplarVal = 0;
  protected exemplarTs = 0;
  protected exemplarHasTs = false;
  /** Text of the current metadata entry or comment: byte range and whether it has escapes. */
  protected textStart = 0;
  protected textEnd = 0;
  protected textEscaped = false;
  protected metaType: MetricType = 'unknown';
  protected done = false;
  /** OpenMetrics HELP text escapes `"` as `\\"`; the text format's escapes only `\\` and newline. */
  protected helpQuoteEscape = true;
  /** Text format allows spaces inside braces and a trailing comma; OpenMetrics does not. */
  protected readonly lenientLabels: boolean;

  protected constructor(input: Uint8Array, lenientLabels: boolean) {
    this.buf = asBuffer(input);
    this.end = this.buf.length;
    this.text = new SeriesText(this.buf);
    this.lenientLabels = lenientLabels;
  }

  abstract next(): EntryKind;

  seriesKey(): string {
    return latin1(this.buf, this.seriesStart, this.seriesEnd);
  }

  seriesText(): SeriesText {
    const t = this.text;
    t.start = this.seriesStart;
    t.end = this.seriesEnd;
    return t;
  }

  seriesBytes(): Uint8Array {
    return this.buf.subarray(this.seriesStart, this.seriesEnd);
  }

  value(): number {
    return this.val;
  }

  timestamp(): number | undefined {
    return this.hasTs ? this.ts : undefined;
  }

  labels(): Labels {
    return this.buildLabels(this.scanned, true);
  }

  exemplar(): Exemplar | undefined {
    if (!this.hasExemplar) return undefined;
    const labels = this.buildLabels(this.exemplarScanned, false);
    return this.exemplarHasTs
      ? { labels, value: this.exemplarVal, timestamp: this.exemplarTs }
      : { labels, value: this.exemplarVal };
  }

  metricName(): string {
    const s = this.scanned;
    return this.decode(s.nameStart, s.nameEnd, (s.nameFlags & 2) !== 0);
  }

  help(): string {
    const text = this.decode(this.textStart, this.textEnd, false);
    return this.textEscaped ? unescape(text, this.helpQuoteEscape) : text;
  }

  type(): MetricType {
    return this.metaType;
  }

  unit(): string {
    return this.buf.toString('utf8', this.textStart, this.textEnd);
  }

  comment(): string {
    return this.buf.toString('utf8', this.textStart, this.textEnd);
  }

  line(): number {
    return this.entryLine;
  }

  /** Starts a new entry at the current position. */
  protected beginEntry(): void {
    this.entryLine = this.lineNo;
    this.entryLineStart = this.lineStart;
    this.hasTs = false;
    this.hasExemplar = false;
  }

  /** Steps over the LF at `pos`, counting the line. */
  protected newline(): void {
    this.pos++;
    this.lineNo++;
    this.lineStart = this.pos;
  }

  /** Throws a `ParseError` positioned at byte offset `at` of the current line. */
  protected fail(code: ParseErrorCode, at: number, reason: string): never {
    throw new ParseError(code, this.lineNo, at - this.lineStart + 1, reason);
  }

  /** Throws an error for the current entry (positioned at its start), for semantic checks. */
  protected failEntry(code: ParseErrorCode, reason: string, at = this.entryLineStart): never {
    throw new ParseError(code, this.entryLine, at - this.entryLineStart + 1, reason);
  }

  /** A short quote of the input at `at`, for error messages. */
  protected got(at: number): string {
    if (at >= this.end) return '"EOF"';
    let e = at;
    while (e < this.end && e - at < 24 && this.buf[e] !== LF && this.buf[e] !== SP) e++;
    if (e === at) return this.buf[at] === LF ? '"\\n"' : '" "';
    return JSON.stringify(this.buf.toString('utf8', at, e));
  }

  /**
   * Whether `buf[start, end)` holds a backslash. A bounded loop on purpose: `Buffer.indexOf` would
   * search to the end of the input on every line that has none, which is quadratic.
   */
  protected hasBackslash(start: number, end: number): boolean {
    const b = this.buf;
    for (let i = start; i < end; i++) if (b[i] === BSLASH) return true;
    return false;
  }

  /** Rejects input that is not valid UTF-8 (see `requireUtf8`). */
  protected requireUtf8(): void {
    requireUtf8(this.buf);
  }

  /** Skips spaces and tabs. */
  protected skipBlanks(): void {
    let c;
    while (this.pos < this.end && ((c = this.buf[this.pos]) === SP || c === TAB)) this.pos++;
  }

  /** Scans a legacy metric name at `pos`; returns its end (== pos when there is none). */
  protected scanMetricName(at: number): number {
    const b = this.buf;
    const end = this.end;
    if (at >= end || (NAME_CLASS[b[at]] & 1) === 0) return at;
    let i = at + 1;
    while (i < end && (NAME_CLASS[b[i]] & 2) !== 0) i++;
    return i;
  }

  /** Scans a legacy label name at `at`; returns its end (== at when there is none). */
  private scanLabelName(at: number): number {
    const b = this.buf;
    if (at >= this.end || (NAME_CLASS[b[at]] & 4) === 0) return at;
    let i = at + 1;
    while (i < this.end && (NAME_CLASS[b[i]] & 8) !== 0) i++;
    return i;
  }

  /**
   * Scans a quoted string whose opening quote is at `at`. Returns the offset of the closing quote;
   * sets `quotedEscapes` when it holds a backslash. A newline or the end of input is an error.
   */
  protected scanQuoted(at: number, what: string): number {
    const b = this.buf;
    let i = at + 1;
    let escaped = false;
    for (;;) {
      if (i >= this.end) this.fail('ERR_EXPO_SYNTAX', at, `unterminated ${what}`);
      const c = b[i];
      if (c === QUOTE) break;
      if (c === LF) this.fail('ERR_EXPO_SYNTAX', i, `unterminated ${what}, got newline`);
      if (c === BSLASH) {
        escaped = true;
        i++;
        if (i < this.end && b[i] === LF) this.fail('ERR_EXPO_SYNTAX', i, `invalid escape in ${what}`);
      }
      i++;
    }
    this.quotedEscapes = escaped;
    return i;
  }

  protected quotedEscapes = false;

  /** Scans the metric name of a metadata line into `scanned` (legacy or quoted), leaving `pos` after it. */
  protected scanMetadataName(): void {
    const s = this.scanned;
    s.reset();
    const at = this.pos;
    if (this.buf[at] === QUOTE) {
      const close = this.scanQuoted(at, 'metric name');
      if (close === at + 1) this.fail('ERR_EXPO_SYNTAX', at, 'empty quoted name');
      s.nameStart = at + 1;
      s.nameEnd = close;
      s.nameFlags = this.quotedEscapes ? 3 : 1;
      this.pos = close + 1;
      return;
    }
    const e = this.scanMetricName(at);
    if (e === at) this.fail('ERR_EXPO_SYNTAX', at, `expected metric name, got ${this.got(at)}`);
    s.nameStart = at;
    s.nameEnd = e;
    this.pos = e;
  }

  /**
   * Scans `name{labels}` or `{"name", labels}` at `pos` into `scanned`, leaving `pos` after it.
   * This is the hot path: it only records offsets.
   */
  protected scanSeries(): void {
    const s = this.scanned;
    s.reset();
    const start = this.pos;
    this.seriesStart = start;
    const nameEnd = this.scanMetricName(start);
    if (nameEnd > start) {
      s.nameStart = start;
      s.nameEnd = nameEnd;
      this.pos = nameEnd;
      if (this.pos < this.end && this.buf[this.pos] === LBRACE) this.scanLabelSet(s, true);
    } else if (this.buf[start] === LBRACE) {
      this.scanLabelSet(s, true);
      if (s.nameStart < 0) this.fail('ERR_EXPO_SYNTAX', start, 'metric name missing');
    } else {
      this.fail('ERR_EXPO_SYNTAX', start, `expected metric name, got ${this.got(start)}`);
    }
    this.seriesEnd = this.pos;
  }

  /**
   * Scans `{…}` at `pos`. With `allowName`, a quoted string not followed by `=` is the metric name
   * (Prometheus 3). Leaves `pos` after the closing brace.
   */
  protected scanLabelSet(s: ScannedLabels, allowName: boolean): void {
    const b = this.buf;
    const end = this.end;
    const lenient = this.lenientLabels;
    let i = this.pos + 1;
    let first = true;
    for (;;) {
      if (lenient) while (i < end && (b[i] === SP || b[i] === TAB)) i++;
      if (i >= end) this.fail('ERR_EXPO_SYNTAX', i, 'unexpected end of input in label set');
      let c = b[i];
      if (c === RBRACE && (first || lenient)) {
        i++;
        break;
      }
      let ns: number;
      let ne: number;
      let flags = 0;
      if (c === QUOTE) {
        ns = i + 1;
        ne = this.scanQuoted(i, 'label name');
        if (ne === ns) this.fail('ERR_EXPO_SYNTAX', i, 'empty quoted name');
        if (this.quotedEscapes) flags |= 2;
        flags |= 1;
        i = ne + 1;
        if (lenient) while (i < end && (b[i] === SP || b[i] === TAB)) i++;
        if (allowName && (b[i] === COMMA || b[i] === RBRACE)) {
          if (s.nameStart >= 0) this.fail('ERR_EXPO_SYNTAX', ns - 1, 'metric name given twice');
          s.nameStart = ns;
          s.nameEnd = ne;
          s.nameFlags = flags;
          first = false;
          if (b[i] === RBRACE) {
            i++;
            break;
          }
          i++;
          continue;
        }
      } else {
        ns = i;
        ne = this.scanLabelName(i);
        if (ne === i) this.fail('ERR_EXPO_SYNTAX', i, `expected label name, got ${this.got(i)}`);
        i = ne;
        if (lenient) while (i < end && (b[i] === SP || b[i] === TAB)) i++;
      }
      if (b[i] !== EQUAL) this.fail('ERR_EXPO_SYNTAX', i, `expected equal, got ${this.got(i)}`);
      i++;
      if (lenient) while (i < end && (b[i] === SP || b[i] === TAB)) i++;
      if (b[i] !== QUOTE) this.fail('ERR_EXPO_SYNTAX', i, `expected label value, got ${this.got(i)}`);
      const vs = i + 1;
      // Inline scan of the value: the common case has no escapes.
      let j = vs;
      for (;;) {
        if (j >= end) this.fail('ERR_EXPO_SYNTAX', i, 'unterminated label value');
        c = b[j]!;
        if (c === QUOTE) break;
        if (c === BSLASH) {
          flags |= 4;
          j++;
          if (j < end && b[j] === LF) this.fail('ERR_EXPO_SYNTAX', j, 'invalid escape in label value');
        } else if (c === LF) this.fail('ERR_EXPO_SYNTAX', j, 'unterminated label value, got newline');
        j++;
      }
      s.push(ns, ne, vs, j, flags);
      first = false;
      i = j + 1;
      if (lenient) while (i < end && (b[i] === SP || b[i] === TAB)) i++;
      c = b[i]!;
      if (c === RBRACE) {
        i++;
        break;
      }
      if (c !== COMMA) this.fail('ERR_EXPO_SYNTAX', i, `expected comma or "}", got ${this.got(i)}`);
      i++;
      if (!lenient && b[i] === RBRACE) this.fail('ERR_EXPO_SYNTAX', i, 'unexpected "}" after comma');
    }
    this.pos = i;
  }

  /** Decodes a byte range as UTF-8, resolving `\\`, `\"` and `\n` when `escaped`. */
  protected decode(start: number, end: number, escaped: boolean): string {
    const b = this.buf;
    let ascii = end - start <= 128;
    // Short ASCII strings (nearly all names and values) decode faster through latin1.
    for (let i = start; ascii && i < end; i++) if (b[i] >= 0x80) ascii = false;
    const s = ascii ? latin1(b, start, end) : b.toString('utf8', start, end);
    return escaped ? unescape(s) : s;
  }

  /** Builds `Labels` from scanned offsets, checking for duplicate names. */
  protected buildLabels(s: ScannedLabels, withName: boolean): Labels {
    const n = s.count;
    const pairs: string[] = [];
    if (withName) pairs.push(METRIC_NAME, this.decode(s.nameStart, s.nameEnd, (s.nameFlags & 2) !== 0));
    const slots = s.slots;
    for (let k = 0; k < n; k++) {
      const o = k * SLOT;
      const f = slots[o + 4];
      pairs.push(
        this.decode(slots[o], slots[o + 1], (f & 2) !== 0),
        this.decode(slots[o + 2], slots[o + 3], (f & 4) !== 0),
      );
    }
    // Exposed label sets are usually sorted already, without duplicates or empty values.
    let sorted = true;
    for (let k = 2; sorted && k < pairs.length; k += 2)
      if (!(pairs[k - 2] < pairs[k]) || pairs[k + 1] === '') sorted = false;
    if (sorted && pairs.length > 0 && pairs[1] !== '') return Labels.fromSortedPairs(pairs);
    return this.sortLabels(s, pairs, withName);
  }

  /** The slow path of `buildLabels`: sort, reject duplicate names, drop empty values. */
  private sortLabels(s: ScannedLabels, pairs: string[], withName: boolean): Labels {
    const m = pairs.length >> 1;
    const order: number[] = [];
    for (let k = 0; k < m; k++) order.push(k);
    order.sort((x, y) => (pairs[x * 2] < pairs[y * 2] ? -1 : pairs[x * 2] > pairs[y * 2] ? 1 : x - y));
    const out: string[] = [];
    for (let k = 0; k < m; k++) {
      const idx = order[k];
      const name = pairs[idx * 2];
      if (k > 0 && pairs[order[k - 1] * 2] === name) {
        const slot = withName ? idx - 1 : idx;
        const at = slot >= 0 ? s.slots[slot * SLOT] : s.nameStart;
        this.failEntry('ERR_EXPO_SYNTAX', `duplicate label name ${JSON.stringify(name)}`, at);
      }
      const value = pairs[idx * 2 + 1];
      if (value !== '') out.push(name, value);
    }
    return Labels.fromSortedPairs(out);
  }
}

/** Resolves the escapes of label values and OpenMetrics strings: `\\`, `\"`, `\n`; others stay. */
export function unescape(s: string, quotes = true): string {
  if (!s.includes('\\')) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\' && i + 1 < s.length) {
      const d = s[i + 1];
      if (d === '\\' || (d === '"' && quotes)) {
        out += d;
        i++;
        continue;
      }
      if (d === 'n') {
        out += '\n';
        i++;
        continue;
      }
    }
    out += c;
  }
  return out;
}
