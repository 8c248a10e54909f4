/**
 * OpenMetrics 1.0 text: `# HELP`/`# TYPE`/`# UNIT`, samples with float-second timestamps and
 * exemplars, and the mandatory `# EOF`. With `validate` (the default) the spec's family rules are
 * enforced too (see `openmetrics-validator.ts`).
 */
import type { EntryKind, MetricType } from './entry.js';
import { Entry } from './entry.js';
import { LineParser } from './line-parser.js';
import { NUMBER_STATE, parseNumber } from './number.js';
import { OpenMetricsValidator } from './openmetrics-validator.js';
import { ParseError } from './parse-error.js';

const LF = 0x0a;
const SP = 0x20;
const HASH = 0x23;
const LBRACE = 0x7b;

const OM_TYPES: Readonly<Record<string, MetricType>> = {
  counter: 'counter',
  gauge: 'gauge',
  histogram: 'histogram',
  gaugehistogram: 'gaugehistogram',
  summary: 'summary',
  stateset: 'stateset',
  info: 'info',
  unknown: 'unknown',
};

/** Options of the OpenMetrics parser. */
export interface OpenMetricsParserOptions {
  /**
   * Enforce the spec's semantic rules (family grouping, metadata placement, counter and histogram
   * invariants, exemplar placement). Costs a label parse per sample. Default true.
   */
  validate?: boolean;
}

/**
 * A cursor over an OpenMetrics payload. The input must stay unchanged while the parser is used; the
 * accessors are valid until the next `next()`.
 */
export class OpenMetricsParser extends LineParser {
  readonly #validator: OpenMetricsValidator | undefined;

  constructor(input: Uint8Array, options: OpenMetricsParserOptions = {}) {
    super(input, false);
    this.#validator = options.validate === false ? undefined : new OpenMetricsValidator();
  }

  #utf8Checked = false;

  next(): EntryKind {
    if (this.done) return Entry.EOF;
    if (!this.#utf8Checked && this.#validator !== undefined) {
      this.#utf8Checked = true;
      this.requireUtf8(); // OpenMetrics: "UTF-8 MUST be used"
    }
    const b = this.buf;
    if (this.pos >= this.end) this.fail('ERR_EXPO_EOF', this.pos, 'expected "# EOF" at the end of the input');
    this.beginEntry();
    const c = b[this.pos];
    let kind: EntryKind;
    if (c === HASH) kind = this.metaLine();
    else if (c === LF) this.fail('ERR_EXPO_SYNTAX', this.pos, 'blank lines are not allowed in OpenMetrics');
    else {
      this.sampleLine();
      kind = Entry.Series;
    }
    this.#validator?.check(this, kind);
    return kind;
  }

  /** Rejects the input for a semantic reason, at the current entry or at an earlier `line`. */
  failAt(reason: string, line?: number): never {
    if (line !== undefined && line !== this.entryLine)
      throw new ParseError('ERR_EXPO_SEMANTIC', line, 1, reason);
    this.failEntry('ERR_EXPO_SEMANTIC', reason);
  }

  /** Whether the current sample carries an exemplar. */
  hasExemplarNow(): boolean {
    return this.hasExemplar;
  }

  private endLine(): void {
    if (this.pos < this.end) {
      if (this.buf[this.pos] !== LF)
        this.fail('ERR_EXPO_SYNTAX', this.pos, `expected end of line, got ${this.got(this.pos)}`);
      this.newline();
    }
  }

  /** Scans a token up to SP or LF; returns its end. */
  private token(at: number): number {
    const b = this.buf;
    let i = at;
    let c;
    while (i < this.end && (c = b[i]) !== SP && c !== LF) i++;
    return i;
  }

  private sampleLine(): void {
    this.scanSeries();
    const b = this.buf;
    if (b[this.pos] !== SP)
      this.fail('ERR_EXPO_SYNTAX', this.pos, `expected value after metric, got ${this.got(this.pos)}`);
    const vs = ++this.pos;
    let e = this.token(vs);
    this.val = parseNumber(b, vs, e, true);
    if (!NUMBER_STATE.ok || e === vs) this.fail('ERR_EXPO_VALUE', vs, `invalid value ${this.got(vs)}`);
    this.pos = e;
    if (b[this.pos] === SP) {
      const ts = ++this.pos;
      if (b[ts] !== HASH) {
        e = this.token(ts);
        const seconds = parseNumber(b, ts, e, false);
        if (!NUMBER_STATE.ok || e === ts)
          this.fail('ERR_EXPO_VALUE', ts, `invalid timestamp ${this.got(ts)}`);
        this.ts = secondsToMillis(seconds);
        this.hasTs = true;
        this.pos = e;
        if (b[this.pos] === SP) {
          this.pos++;
          if (b[this.pos] !== HASH)
            this.fail('ERR_EXPO_SYNTAX', this.pos, `expected exemplar, got ${this.got(this.pos)}`);
        }
      }
      if (b[this.pos] === HASH) this.exemplarPart();
    }
    this.endLine();
  }

  /** ` # {labels} value [timestamp]` after a sample; `pos` is at the `#`. */
  private exemplarPart(): void {
    const b = this.buf;
    this.pos++;
    if (b[this.pos] !== SP)
      this.fail('ERR_EXPO_SYNTAX', this.pos, `expected space after "#", got ${this.got(this.pos)}`);
    this.pos++;
    if (b[this.pos] !== LBRACE)
      this.fail('ERR_EXPO_SYNTAX', this.pos, `expected exemplar labels, got ${this.got(this.pos)}`);
    const ex = this.exemplarScanned;
    ex.reset();
    this.scanLabelSet(ex, false);
    if (b[this.pos] !== SP)
      this.fail('ERR_EXPO_SYNTAX', this.pos, `expected exemplar value, got ${this.got(this.pos)}`);
    const vs = ++this.pos;
    let e = this.token(vs);
    this.exemplarVal = parseNumber(b, vs, e, true);
    if (!NUMBER_STATE.ok || e === vs)
      this.fail('ERR_EXPO_VALUE', vs, `invalid exemplar value ${this.got(vs)}`);
    this.pos = e;
    this.exemplarHasTs = false;
    if (b[this.pos] === SP) {
      const ts = ++this.pos;
      e = this.token(ts);
      const seconds = parseNumber(b, ts, e, false);
      if (!NUMBER_STATE.ok || e === ts)
        this.fail('ERR_EXPO_VALUE', ts, `invalid exemplar timestamp ${this.got(ts)}`);
      this.exemplarTs = secondsToMillis(seconds);
      this.exemplarHasTs = true;
      this.pos = e;
    }
    this.hasExemplar = true;
  }

  private metaLine(): EntryKind {
    const b = this.buf;
    const at = this.pos;
    if (b[at + 1] !== SP)
      this.fail('ERR_EXPO_SYNTAX', at, `expected "# " and HELP, TYPE, UNIT or EOF, got ${this.got(at)}`);
    const w = at + 2;
    const word = b.toString('latin1', w, Math.min(w + 4, this.end));
    const sep = b[w + 4];
    if (word.startsWith('EOF') && (w + 3 === this.end || b[w + 3] === LF)) {
      this.pos = w + 3;
      if (this.pos < this.end) this.newline();
      if (this.pos < this.end) this.fail('ERR_EXPO_EOF', this.pos, 'unexpected data after "# EOF"');
      this.done = true;
      return Entry.EOF;
    }
    if ((word === 'HELP' || word === 'TYPE' || word === 'UNIT') && sep !== SP) {
      this.fail(
        'ERR_EXPO_SYNTAX',
        w + 4,
        `expected space and metric name after ${word}, got ${this.got(w + 4)}`,
      );
    }
    if (word !== 'HELP' && word !== 'TYPE' && word !== 'UNIT') {
      this.fail('ERR_EXPO_SYNTAX', w, `expected HELP, TYPE, UNIT or EOF after "# ", got ${this.got(w)}`);
    }
    this.pos = w + 5;
    this.scanMetadataName();
    if (b[this.pos] !== SP)
      this.fail('ERR_EXPO_SYNTAX', this.pos, `expected space after metric name, got ${this.got(this.pos)}`);
    this.pos++;
    let e = this.pos;
    while (e < this.end && b[e] !== LF) e++;
    this.textStart = this.pos;
    this.textEnd = e;
    if (word === 'HELP') {
      this.textEscaped = this.hasBackslash(this.pos, e);
      this.pos = e;
      this.endLine();
      return Entry.Help;
    }
    if (word === 'TYPE') {
      const t = b.toString('latin1', this.textStart, e);
      const mt = Object.hasOwn(OM_TYPES, t) ? OM_TYPES[t] : undefined;
      if (mt === undefined)
        this.fail('ERR_EXPO_METADATA', this.textStart, `invalid metric type ${JSON.stringify(t)}`);
      this.metaType = mt;
      this.pos = e;
      this.endLine();
      return Entry.Type;
    }
    // UNIT: metric-name characters only, possibly none.
    const ue = this.scanUnit(this.pos);
    if (ue !== e) this.fail('ERR_EXPO_METADATA', ue, `invalid unit ${this.got(this.textStart)}`);
    this.pos = e;
    this.endLine();
    return Entry.Unit;
  }

  private scanUnit(at: number): number {
    const b = this.buf;
    let i = at;
    for (; i < this.end; i++) {
      const c = b[i];
      const ok =
        (c >= 0x30 && c <= 0x39) ||
        (c >= 0x41 && c <= 0x5a) ||
        (c >= 0x61 && c <= 0x7a) ||
        c === 0x5f ||
        c === 0x3a;
      if (!ok) break;
    }
    return i;
  }
}

/** OpenMetrics timestamps are float seconds; Vigil keeps integer milliseconds. */
function secondsToMillis(seconds: number): number {
  return Math.round(seconds * 1000);
}
