/**
 * The expanding notation for sample values in `load` blocks and rule unit tests:
 * `1 2+3x4 _ _x3 stale -1-0.5x2`. See unit_testing_rules.md ("Expanding notation").
 */
/**
 * One expanded point: a value, `'stale'` for a staleness marker, or `undefined` for `_`. Stale is
 * not stored as the marker NaN here because V8 rewrites NaN payloads in plain double arrays.
 */
export type SequenceValue = number | 'stale' | undefined;

/** Thrown for text the notation does not allow; `column` is 1-based within the values text. */
export class SeriesValuesError extends Error {
  readonly code: 'ERR_SERIES_VALUES' | 'ERR_NATIVE_HISTOGRAM_UNSUPPORTED';
  constructor(
    message: string,
    readonly column: number,
    code: 'ERR_SERIES_VALUES' | 'ERR_NATIVE_HISTOGRAM_UNSUPPORTED' = 'ERR_SERIES_VALUES',
  ) {
    super(message);
    this.code = code;
  }
}

// No hex form: in a series description `0x59` is 0 repeated 59 times, and `1+0x10` is 1, then +0
// ten times, as Prometheus' lexer reads them.
const NUMBER = String.raw`(?:(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|[iI][nN][fF]|[nN][aA][nN])`;
const TERM = new RegExp(`^([+-]?${NUMBER})(?:([+-]${NUMBER}))?(?:x([0-9]+))?$`);
const BLANK = /^_(?:x([0-9]+))?$/;

/**
 * Expands the notation into one entry per interval step. Arithmetic accumulates step by step
 * (`a`, `a+b`, `(a+b)+b`, …) exactly as Prometheus' parser does, so float rounding matches.
 */
export function expandSeriesValues(text: string): SequenceValue[] {
  const out: SequenceValue[] = [];
  const tokenRe = /\{\{[^}]*\}\}\S*|\S+/g;
  for (let m = tokenRe.exec(text); m !== null; m = tokenRe.exec(text)) {
    const token = m[0];
    const column = m.index + 1;
    if (token.startsWith('{{') || token.includes('{{')) {
      throw new SeriesValuesError(
        'native histogram samples are not supported yet',
        column,
        'ERR_NATIVE_HISTOGRAM_UNSUPPORTED',
      );
    }
    if (token === 'stale') {
      out.push('stale');
      continue;
    }
    const blank = BLANK.exec(token);
    if (blank) {
      const n = blank[1] === undefined ? 1 : Number(blank[1]);
      for (let i = 0; i < n; i++) out.push(undefined);
      continue;
    }
    const term = TERM.exec(token);
    if (!term) throw new SeriesValuesError(`invalid sample value ${JSON.stringify(token)}`, column);
    let value = parseNumber(term[1]);
    if (term[3] === undefined) {
      if (term[2] !== undefined)
        throw new SeriesValuesError(`missing 'x<count>' in ${JSON.stringify(token)}`, column);
      out.push(value);
      continue;
    }
    const step = term[2] === undefined ? 0 : parseNumber(term[2]);
    const times = Number(term[3]);
    for (let i = 0; i <= times; i++) {
      out.push(value);
      value += step;
    }
  }
  return out;
}

function parseNumber(text: string): number {
  const sign = text.startsWith('-') ? -1 : 1;
  const body = text.replace(/^[+-]/, '').toLowerCase();
  if (body === 'inf') return sign * Infinity;
  if (body === 'nan') return NaN;
  return sign * Number(body);
}
