/**
 * Building blocks for writing a configuration back as Prometheus' Go YAML encoder (yaml.v2) does:
 * struct fields in declaration order, `omitempty` as the caller decides, map keys in yaml.v2's
 * order, secrets as `<secret>`, durations as `model.Duration` prints them.
 */
import { isScalar, parseDocument, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { formatDuration } from '../model/time.js';

/** A YAML node of the output. */
export type YNode = Scalar | YAMLMap | YAMLSeq;

/** One struct field: its key and value, or `undefined` to leave it out (`omitempty`). */
export type Field = readonly [key: string, value: YNode | undefined];

/** What Prometheus prints instead of a secret's value. */
export const SECRET_TOKEN = '<secret>';

/** A mapping of the fields that have a value, in the given order. */
export function struct(fields: readonly Field[]): YAMLMap {
  const m = new YAMLMap();
  for (const [key, value] of fields) if (value !== undefined) m.add({ key: str(key), value });
  return m;
}

/**
 * A string scalar. yaml.v2 double-quotes a string that would read back as another type
 * (`"true"`, `""`, `"1"`) or holds control characters; other strings are plain, or
 * single-quoted when plain is impossible (`'a: b'`).
 */
export function str(s: string): Scalar {
  const node = new Scalar(s);
  if (readsAsNonString(s) || hasControlCharacter(s)) node.type = Scalar.QUOTE_DOUBLE;
  return node;
}

/** A control character other than a newline; a tab counts only outside multi-line text. */
function hasControlCharacter(s: string): boolean {
  const multiline = s.includes('\n');
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x0a || (c === 0x09 && multiline)) continue;
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

/** Whether `s`, written plain, would be a null, boolean, number or timestamp in YAML 1.1. */
function readsAsNonString(s: string): boolean {
  if (s === '' || /^[yYnN]$/.test(s)) return true; // yaml.v2 resolves y/n as booleans
  // Only these can start a null, boolean, number or timestamp: most strings skip the parse.
  if (!/^[-+.0-9~nNyYtTfFoO]/.test(s)) return false;
  const doc = parseDocument(s, { version: '1.1', logLevel: 'silent' });
  const n = doc.contents;
  if (doc.errors.length > 0 || !isScalar(n) || n.type !== Scalar.PLAIN) return false;
  // `#c` is a comment and `&a` an anchor: not values, so not a reason to double-quote.
  if (n.anchor !== undefined || n.tag !== undefined || n.range?.[1] !== s.length) return false;
  const v = n.value;
  return v === null || typeof v === 'boolean' || typeof v === 'number' || v instanceof Date;
}

/** `s`, or nothing when empty. */
export function strOmit(s: string): Scalar | undefined {
  return s === '' ? undefined : str(s);
}

/** A boolean. */
export function bool(b: boolean): Scalar {
  return new Scalar(b);
}

/** `true`, or nothing. */
export function boolOmit(b: boolean): Scalar | undefined {
  return b ? bool(true) : undefined;
}

/** A number (yaml.v2 prints floats with `%g`-like shortest form, as JavaScript does). */
export function num(n: number): Scalar {
  return new Scalar(n);
}

/** `n`, or nothing when zero. */
export function numOmit(n: number): Scalar | undefined {
  return n === 0 ? undefined : num(n);
}

/** A duration in milliseconds, as Prometheus' `model.Duration` prints it (`1h30m`, `0s`). */
export function dur(ms: number): Scalar {
  return new Scalar(formatDuration(ms));
}

/** A duration, or nothing when zero. */
export function durOmit(ms: number): Scalar | undefined {
  return ms === 0 ? undefined : dur(ms);
}

/**
 * A `Secret`: `<secret>` when set (its value with `show`, as Prometheus' `MarshalSecretValue`),
 * nothing when empty (every secret field is `omitempty`…).
 */
export function secretOmit(s: string, show: boolean): Scalar | undefined {
  return s === '' ? undefined : str(show ? s : SECRET_TOKEN);
}

/** …except OAuth2's `client_secret`, which prints `null` when empty. */
export function secretOrNull(s: string, show: boolean): Scalar {
  return s === '' ? new Scalar(null) : str(show ? s : SECRET_TOKEN);
}

/** A list of strings; `flow` for fields tagged `,flow` (`source_labels: [a, b]`). Empty: `[]`. */
export function strList(items: readonly string[], flow = false): YAMLSeq {
  const seq = new YAMLSeq();
  for (const s of items) seq.add(str(s));
  seq.flow = flow || items.length === 0;
  return seq;
}

/** A list, or nothing when empty. */
export function strListOmit(items: readonly string[], flow = false): YAMLSeq | undefined {
  return items.length === 0 ? undefined : strList(items, flow);
}

/** A list of nodes, or nothing when empty. */
export function listOmit<T>(items: readonly T[], item: (x: T) => YNode): YAMLSeq | undefined {
  if (items.length === 0) return undefined;
  const seq = new YAMLSeq();
  for (const x of items) seq.add(item(x));
  return seq;
}

/** A Go map: keys in yaml.v2's order; nothing when empty. */
export function mapOmit<V>(record: Readonly<Record<string, V>>, value: (v: V) => YNode): YAMLMap | undefined {
  const keys = goSortKeys(Object.keys(record));
  if (keys.length === 0) return undefined;
  const m = new YAMLMap();
  for (const k of keys) m.add({ key: str(k), value: value(record[k]) });
  return m;
}

/**
 * Map keys as yaml.v2 orders them. Its comparison is not transitive when digits meet letters
 * (`a10 < a1b < a2 < a10`); Go then prints such keys in an order that depends on map iteration,
 * so any order is as right.
 */
export function goSortKeys(keys: string[]): string[] {
  return keys.sort(goKeyCompare);
}

/** A `map[string]string`, or nothing when empty. */
export function stringMapOmit(record: Readonly<Record<string, string>>): YAMLMap | undefined {
  return mapOmit(record, str);
}

/**
 * A URL as Prometheus' `config.URL` prints it: a password in the user info becomes `xxxxx`
 * (unless `show`). Done on the text, so the URL is otherwise printed as written.
 */
export function redactedURL(url: string, show: boolean): Scalar {
  if (show) return str(url);
  return str(url.replace(/^([A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#@:]*):[^/?#@]*@/, '$1:xxxxx@'));
}

/**
 * yaml.v2's map key order (`keyList.Less`): rune by rune; a letter sorts after a non-letter; runs
 * of digits compare by numeric value, so `a2` comes before `a10`.
 */
export function goKeyCompare(a: string, b: string): number {
  if (a === b) return 0;
  return goKeyLess([...a], [...b]) ? -1 : 1;
}

function goKeyLess(ar: string[], br: string[]): boolean {
  for (let i = 0; i < ar.length && i < br.length; i++) {
    if (ar[i] === br[i]) continue;
    const al = isLetter(ar[i]);
    const bl = isLetter(br[i]);
    if (al && bl) return ar[i] < br[i];
    if (al || bl) return bl;
    let an = 0;
    let bn = 0;
    if (ar[i] === '0' || br[i] === '0') {
      // Inside a number with a nonzero lead, a zero digit compares as a digit, not as a value.
      for (let j = i - 1; j >= 0 && isDigit(ar[j]); j--) {
        if (ar[j] !== '0') {
          an = 1;
          bn = 1;
          break;
        }
      }
    }
    let ai = i;
    for (; ai < ar.length && isDigit(ar[ai]); ai++) an = an * 10 + Number(ar[ai]);
    let bi = i;
    for (; bi < br.length && isDigit(br[bi]); bi++) bn = bn * 10 + Number(br[bi]);
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return ar[i] < br[i];
  }
  return ar.length < br.length;
}

function isLetter(c: string): boolean {
  return /^\p{L}$/u.test(c);
}

function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}
