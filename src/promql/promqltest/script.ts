/**
 * Parses promqltest scripts (Prometheus' engine test language, see the README beside the test
 * data) into commands.
 */

/** One expected series of an eval: label text and the values text. */
export interface ExpectedLine {
  line: number;
  /** The series selector text, empty for a scalar result. */
  series: string;
  values: string;
}

/** An `expect` line. */
export interface Expectation {
  kind: 'fail' | 'warn' | 'info' | 'no_warn' | 'no_info' | 'ordered' | 'string' | 'range';
  match?: 'msg' | 'regex';
  text?: string;
}

/** A script command. */
export type ScriptCommand =
  | { kind: 'load'; line: number; interval: string; nhcb: boolean; series: ExpectedLine[] }
  | { kind: 'clear'; line: number }
  | {
      kind: 'eval';
      line: number;
      text: string;
      instant: boolean;
      /** Instant time, or range start/end/step, as written. */
      at: string;
      end: string;
      step: string;
      query: string;
      expects: Expectation[];
      results: ExpectedLine[];
    };

/** Thrown for a line the language does not allow. */
export class ScriptError extends Error {
  readonly code = 'ERR_PROMQLTEST_SCRIPT';
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`line ${line}: ${message}`);
  }
}

const EVAL_INSTANT = /^(eval(?:_fail|_warn|_info|_ordered)?)\s+instant\s+at\s+(\S+)\s+(.+)$/;
const EVAL_RANGE =
  /^(eval(?:_fail|_warn|_info|_ordered)?)\s+range\s+from\s+(\S+)\s+to\s+(\S+)\s+step\s+(\S+)\s+(.+)$/;
const EXPECT = /^expect\s+(fail|warn|info|no_warn|no_info|ordered)(?:\s+(msg|regex)\s*:\s*(.*))?$/;

/** Splits a result/series line into the series part and the values part. */
export function splitSeriesLine(text: string): { series: string; values: string } {
  const t = text.trim();
  if (t.startsWith('{') || /^[a-zA-Z_:]/.test(t) || t.startsWith('"')) {
    // A series: a name, optionally followed by {labels}; or {labels} alone.
    let i = 0;
    let depth = 0;
    let quote = '';
    for (; i < t.length; i++) {
      const c = t[i];
      if (quote !== '') {
        if (c === '\\') i++;
        else if (c === quote) quote = '';
        continue;
      }
      if (c === '"' || c === '`' || c === "'") quote = c;
      else if (c === '{') depth++;
      else if (c === '}') {
        depth--;
        if (depth === 0) {
          i++;
          break;
        }
      } else if (depth === 0 && /\s/.test(c)) break;
    }
    const series = t.slice(0, i);
    // Names like NaN/Inf are values, not series.
    if (/^[+-]?(?:nan|inf)$/i.test(series)) return { series: '', values: t };
    return { series, values: t.slice(i).trim() };
  }
  return { series: '', values: t };
}

function unquote(s: string): string {
  const t = s.trim();
  if ((t.startsWith('"') && t.endsWith('"')) || (t.startsWith('`') && t.endsWith('`'))) {
    try {
      return t.startsWith('"') ? (JSON.parse(t) as string) : t.slice(1, -1);
    } catch {
      return t.slice(1, -1);
    }
  }
  return t;
}

/** Parses a whole script. */
export function parseScript(text: string): ScriptCommand[] {
  const lines = text.split('\n');
  const out: ScriptCommand[] = [];
  let i = 0;
  const body = (): { line: number; text: string }[] => {
    const b: { line: number; text: string }[] = [];
    while (i < lines.length) {
      const t = lines[i].trim();
      if (t === '' || /^(load|clear|eval)/.test(t)) break;
      if (!t.startsWith('#')) b.push({ line: i + 1, text: t });
      i++;
    }
    return b;
  };
  while (i < lines.length) {
    const raw = lines[i];
    const t = raw.trim();
    const lineNo = i + 1;
    i++;
    if (t === '' || t.startsWith('#')) continue;
    const load = /^load(_with_nhcb)?\s+(\S+)$/.exec(t);
    if (load !== null) {
      const series = body().map((b) => ({ line: b.line, ...splitSeriesLine(b.text) }));
      out.push({ kind: 'load', line: lineNo, interval: load[2], nhcb: load[1] !== undefined, series });
      continue;
    }
    if (t === 'clear') {
      out.push({ kind: 'clear', line: lineNo });
      continue;
    }
    const ins = EVAL_INSTANT.exec(t);
    const rng = ins === null ? EVAL_RANGE.exec(t) : null;
    if (ins === null && rng === null) throw new ScriptError(`invalid command: ${t}`, lineNo);
    const variant = (ins ?? rng)?.[1] ?? 'eval';
    const expects: Expectation[] = [];
    if (variant === 'eval_fail') expects.push({ kind: 'fail' });
    if (variant === 'eval_warn') expects.push({ kind: 'warn' });
    if (variant === 'eval_info') expects.push({ kind: 'info' });
    if (variant === 'eval_ordered') expects.push({ kind: 'ordered' });
    const results: ExpectedLine[] = [];
    for (const b of body()) {
      const ex = EXPECT.exec(b.text);
      if (ex !== null) {
        const match = ex[2] as 'msg' | 'regex' | undefined;
        expects.push({
          kind: ex[1] as Expectation['kind'],
          match,
          text: match === undefined ? undefined : unquote(ex[3]),
        });
        continue;
      }
      const str = /^expect\s+string\s+(.*)$/.exec(b.text);
      if (str !== null) {
        expects.push({ kind: 'string', text: unquote(str[1]) });
        continue;
      }
      const rv = /^expect\s+range\s+vector\s+(?:from\s+)?(\S+)\s+to\s+(\S+)\s+step\s+(\S+)$/.exec(b.text);
      if (rv !== null) {
        expects.push({ kind: 'range', text: `${rv[1]} ${rv[2]} ${rv[3]}` });
        continue;
      }
      const fm = /^expected_fail_(message|regexp)\s+(.*)$/.exec(b.text);
      if (fm !== null) {
        const f = expects.find((x) => x.kind === 'fail');
        const match = fm[1] === 'message' ? 'msg' : 'regex';
        if (f !== undefined) {
          f.match = match;
          f.text = fm[2];
        } else expects.push({ kind: 'fail', match, text: fm[2] });
        continue;
      }
      if (b.text.startsWith('expect')) throw new ScriptError(`invalid expect line: ${b.text}`, b.line);
      results.push({ line: b.line, ...splitSeriesLine(b.text) });
    }
    out.push(
      ins !== null
        ? {
            kind: 'eval',
            line: lineNo,
            text: t,
            instant: true,
            at: ins[2],
            end: ins[2],
            step: '0',
            query: ins[3],
            expects,
            results,
          }
        : {
            kind: 'eval',
            line: lineNo,
            text: t,
            instant: false,
            at: rng?.[2] ?? '',
            end: rng?.[3] ?? '',
            step: rng?.[4] ?? '',
            query: rng?.[5] ?? '',
            expects,
            results,
          },
    );
  }
  return out;
}
