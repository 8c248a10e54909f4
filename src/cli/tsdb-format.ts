/**
 * Go's renderings that `promtool tsdb` output depends on: `labels.String()` with `strconv.Quote`,
 * `%g` floats, `time.Duration.String()`, `text/tabwriter` columns and `units.Base2Bytes`.
 */
import type { Labels } from '../model/labels.js';
import { formatFloat } from '../exposition/index.js';

/** Go's `unicode.IsPrint`: letters, marks, numbers, punctuation, symbols and the ASCII space. */
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

const SHORT_ESCAPES: Readonly<Record<number, string>> = {
  7: '\\a',
  8: '\\b',
  9: '\\t',
  10: '\\n',
  11: '\\v',
  12: '\\f',
  13: '\\r',
};

/** Go's `strconv.Quote`: escapes quotes, backslashes and every non-printable rune. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const r = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += '\\' + ch;
    else if (r >= 0x20 && r < 0x7f) out += ch;
    else if (r >= 0x80 && PRINTABLE.test(ch)) out += ch;
    else if (SHORT_ESCAPES[r] !== undefined) out += SHORT_ESCAPES[r];
    else if (r < 0x20 || r === 0x7f) out += '\\x' + r.toString(16).padStart(2, '0');
    else if (r < 0x10000) out += '\\u' + r.toString(16).padStart(4, '0');
    else out += '\\U' + r.toString(16).padStart(8, '0');
  }
  return out + '"';
}

/** Prometheus' `labels.Labels.String()`: `{name="value", name2="value2"}`. */
export function goLabels(l: Labels): string {
  let out = '{';
  for (let i = 0; i < l.size; i++) {
    if (i > 0) out += ', ';
    out += l.nameAt(i) + '=' + goQuote(l.valueAt(i));
  }
  return out + '}';
}

/** Go's `fmt` `%g` of a float64 (`+Inf`, `-Inf`, `NaN`, `1e+06`, `-0`). */
export function goFloat(v: number): string {
  return formatFloat(v);
}

/** Go's `time.Duration.String()` for a whole number of milliseconds: `2h0m0s`, `1m15.001s`, `1ms`. */
export function goDurationMs(ms: number): string {
  if (ms === 0) return '0s';
  const neg = ms < 0;
  let a = Math.abs(ms);
  let out: string;
  if (a < 1000) out = `${a}ms`;
  else {
    const h = Math.floor(a / 3_600_000);
    a -= h * 3_600_000;
    const m = Math.floor(a / 60_000);
    a -= m * 60_000;
    const whole = Math.floor(a / 1000);
    const frac = a % 1000;
    const sec = frac === 0 ? `${whole}` : `${whole}.${String(frac).padStart(3, '0').replace(/0+$/, '')}`;
    out = h > 0 ? `${h}h${m}m${sec}s` : m > 0 ? `${m}m${sec}s` : `${sec}s`;
  }
  return neg ? '-' + out : out;
}

/** Go's `time.Unix(ms/1000, 0).UTC().String()`: `2023-11-15 00:00:00 +0000 UTC`. */
export function goUtcTime(ms: number): string {
  const d = new Date(Math.trunc(ms / 1000) * 1000);
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return (
    `${p(d.getUTCFullYear(), 4)}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ` +
    `${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000 UTC`
  );
}

/** `units.Base2Bytes(n).String()` (alecthomas/units): `790B`, `1KiB512B`, `2MiB`. */
export function goBase2Bytes(n: number): string {
  const units = ['', 'K', 'M', 'G', 'T', 'P', 'E'];
  const parts: string[] = [];
  let rest = n;
  for (let i = 0; i < units.length; i++) {
    const r = rest % 1024;
    if (r !== 0 || (i === 0 && rest === 0)) parts.unshift(`${r}${units[i]}${i === 0 ? 'B' : 'iB'}`);
    rest = Math.floor(rest / 1024);
    if (rest === 0) break;
  }
  return parts.join('');
}

/**
 * `text/tabwriter` as promtool configures it (min width 13, padding 2, spaces): each
 * tab-terminated cell is padded to its column's width; the text after the last tab is not.
 */
export function tabwriter(lines: readonly string[][], minWidth = 13, padding = 2): string {
  const widths: number[] = [];
  for (const cells of lines) {
    for (let c = 0; c < cells.length - 1; c++) {
      widths[c] = Math.max(widths[c] ?? minWidth, [...cells[c]].length + padding);
    }
  }
  return lines
    .map((cells) =>
      cells
        .map((cell, c) => (c < cells.length - 1 ? cell + ' '.repeat(widths[c] - [...cell].length) : cell))
        .join(''),
    )
    .map((l) => l + '\n')
    .join('');
}
