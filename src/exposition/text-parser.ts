/**
 * The Prometheus text exposition format 0.0.4: `# HELP`, `# TYPE`, comments, blank lines, and
 * samples `name{labels} value [timestamp_ms]`, with Prometheus 3's quoted UTF-8 names.
 */
import type { EntryKind, MetricType } from './entry.js';
import { Entry } from './entry.js';
import { LineParser } from './line-parser.js';
import { NUMBER_STATE, parseInteger, parseNumber } from './number.js';

const LF = 0x0a;
const SP = 0x20;
const TAB = 0x09;
const HASH = 0x23;

const TEXT_TYPES: Readonly<Record<string, MetricType>> = {
  counter: 'counter',
  gauge: 'gauge',
  histogram: 'histogram',
  summary: 'summary',
  untyped: 'unknown',
};

/**
 * A cursor over a text-format payload. The input must stay unchanged while the parser is used; the
 * accessors are valid until the next `next()`.
 */
export class TextParser extends LineParser {
  constructor(input: Uint8Array) {
    super(input, true);
    this.helpQuoteEscape = false;
  }

  next(): EntryKind {
    const b = this.buf;
    for (;;) {
      if (this.done) return Entry.EOF;
      this.skipBlanks();
      if (this.pos >= this.end) {
        this.done = true;
        return Entry.EOF;
      }
      const c = b[this.pos];
      if (c === LF) {
        this.newline();
        continue;
      }
      this.beginEntry();
      if (c === HASH) return this.metaLine();
      this.sampleLine();
      return Entry.Series;
    }
  }

  private isBlank(at: number): boolean {
    const c = this.buf[at];
    return c === SP || c === TAB;
  }

  /** Ends the current line: expects only blanks until LF or the end of input. */
  private endLine(what: string): void {
    this.skipBlanks();
    if (this.pos < this.end) {
      if (this.buf[this.pos] !== LF)
        this.fail('ERR_EXPO_SYNTAX', this.pos, `expected ${what}, got ${this.got(this.pos)}`);
      this.newline();
    }
  }

  private sampleLine(): void {
    this.scanSeries();
    const b = this.buf;
    const vs0 = this.pos;
    this.skipBlanks();
    if (this.pos === vs0 || this.pos >= this.end || b[this.pos] === LF) {
      this.fail('ERR_EXPO_SYNTAX', this.pos, `expected value after metric, got ${this.got(this.pos)}`);
    }
    const vs = this.pos;
    let i = vs;
    let c;
    while (i < this.end && (c = b[i]) !== SP && c !== TAB && c !== LF) i++;
    this.val = parseNumber(b, vs, i, true);
    if (!NUMBER_STATE.ok) this.fail('ERR_EXPO_VALUE', vs, `invalid value ${this.got(vs)}`);
    this.pos = i;
    this.skipBlanks();
    if (this.pos < this.end && b[this.pos] !== LF) {
      const ts = this.pos;
      i = ts;
      while (i < this.end && (c = b[i]) !== SP && c !== TAB && c !== LF) i++;
      this.ts = parseInteger(b, ts, i);
      if (!NUMBER_STATE.ok) this.fail('ERR_EXPO_VALUE', ts, `invalid timestamp ${this.got(ts)}`);
      this.hasTs = true;
      this.pos = i;
    }
    this.endLine('next entry after timestamp');
  }

  private metaLine(): EntryKind {
    const b = this.buf;
    const lineStart = this.pos;
    this.pos++;
    this.skipBlanks();
    const w = this.pos;
    const isHelp = b[w] === 0x48 && b[w + 1] === 0x45 && b[w + 2] === 0x4c && b[w + 3] === 0x50;
    const isType = b[w] === 0x54 && b[w + 1] === 0x59 && b[w + 2] === 0x50 && b[w + 3] === 0x45;
    if ((isHelp || isType) && this.isBlank(w + 4)) {
      this.pos = w + 4;
      this.skipBlanks();
      this.scanMetadataName();
      const afterName = this.pos;
      this.skipBlanks();
      if (this.pos > afterName) {
        /* blanks separate the name from the text */
      } else if (this.pos < this.end && b[this.pos] !== LF) {
        this.fail(
          'ERR_EXPO_SYNTAX',
          this.pos,
          `expected whitespace after metric name, got ${this.got(this.pos)}`,
        );
      }
      let e = this.pos;
      while (e < this.end && b[e] !== LF) e++;
      this.textStart = this.pos;
      this.textEnd = e;
      if (isHelp) {
        this.textEscaped = this.hasBackslash(this.pos, e);
        this.pos = e;
        if (this.pos < this.end) this.newline();
        return Entry.Help;
      }
      let te = e;
      while (te > this.textStart && this.isBlank(te - 1)) te--;
      const word = b.toString('latin1', this.textStart, te);
      const t = Object.hasOwn(TEXT_TYPES, word) ? TEXT_TYPES[word] : undefined;
      if (t === undefined)
        this.fail('ERR_EXPO_METADATA', this.textStart, `invalid metric type ${JSON.stringify(word)}`);
      this.metaType = t;
      this.pos = e;
      if (this.pos < this.end) this.newline();
      return Entry.Type;
    }
    let e = this.pos;
    while (e < this.end && b[e] !== LF) e++;
    this.textStart = lineStart + 1;
    this.textEnd = e;
    this.pos = e;
    if (this.pos < this.end) this.newline();
    return Entry.Comment;
  }
}
