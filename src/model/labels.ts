/**
 * Label sets: the identity of a series.
 *
 * A `Labels` is immutable and sorted by name. Its representation is hidden: callers read it through
 * `get`, `forEach` and friends, compare with `equals`, and use `key` (one canonical string) as a map
 * key and `hash()` for sharding and hash tables.
 */

/** The label that holds the metric name. */
export const METRIC_NAME = '__name__';

/** One name/value pair, as handed to callers that want objects. */
export interface Label {
  readonly name: string;
  readonly value: string;
}

export class Labels {
  /** The empty label set. */
  static get EMPTY(): Labels {
    // A lazy getter rather than a static field: TypeScript mis-compiles a static field that
    // constructs its own class when the class also has #private fields.
    return (emptyLabels ??= new Labels([]));
  }

  /** Names and values interleaved, sorted by name, names unique. Replaced only by `internStrings`. */
  #pairs: readonly string[];
  #key: string | undefined;
  #hash = -1;

  private constructor(sortedPairs: readonly string[]) {
    this.#pairs = sortedPairs;
  }

  /**
   * Builds a label set from a plain record. Empty values are dropped, as Prometheus treats an empty
   * label value as an absent label.
   */
  static from(record: Readonly<Record<string, string>>): Labels {
    const b = new LabelsBuilder();
    for (const name of Object.keys(record)) b.set(name, record[name]);
    return b.labels();
  }

  /** Builds a label set from interleaved `[name, value, name, value, …]` in any order. */
  static fromPairs(pairs: readonly string[]): Labels {
    // Pairs read from disk are sorted already: check that rather than sort again.
    let sorted = pairs.length % 2 === 0;
    for (let i = 0; sorted && i < pairs.length; i += 2)
      sorted = pairs[i + 1] !== '' && (i === 0 || compareStrings(pairs[i - 2], pairs[i]) < 0);
    if (sorted) return Labels.fromSortedPairs(pairs.slice());
    const b = new LabelsBuilder();
    for (let i = 0; i + 1 < pairs.length; i += 2) b.set(pairs[i], pairs[i + 1]);
    return b.labels();
  }

  /**
   * Wraps pairs that are already sorted by name, unique and free of empty values. The caller
   * guarantees that; it is the fast path for parsers and decoders that produce sorted output.
   */
  static fromSortedPairs(pairs: readonly string[]): Labels {
    return pairs.length === 0 ? Labels.EMPTY : new Labels(pairs);
  }

  /**
   * @internal Replaces each string with `intern(s)`, an equal string, in a new exactly sized array:
   * the label set is unchanged. A long-lived holder (the TSDB head) shares the object with its
   * builder (the scrape cache) this way, where a copy of its own cost ~270 bytes a series.
   */
  internStrings(intern: (s: string) => string): void {
    this.#pairs = this.#pairs.map((s) => intern(s));
  }

  /**
   * The same labels in a new object with caches of its own. A long-lived holder (the TSDB head)
   * hands these out, so that a caller computing `key` does not pin that string to it for good.
   */
  unshared(): Labels {
    return this.#pairs.length === 0 ? Labels.EMPTY : new Labels(this.#pairs);
  }

  /** Number of labels. */
  get size(): number {
    return this.#pairs.length >> 1;
  }

  isEmpty(): boolean {
    return this.#pairs.length === 0;
  }

  /** The value of `name`, or `''` when the label is absent (Prometheus' convention). */
  get(name: string): string {
    const i = this.#indexOf(name);
    return i < 0 ? '' : this.#pairs[i + 1];
  }

  has(name: string): boolean {
    return this.#indexOf(name) >= 0;
  }

  /** The metric name, or `''`. */
  metricName(): string {
    return this.get(METRIC_NAME);
  }

  /** Calls `fn` for each label in name order. */
  forEach(fn: (name: string, value: string) => void): void {
    const p = this.#pairs;
    for (let i = 0; i < p.length; i += 2) fn(p[i], p[i + 1]);
  }

  /** Name at position `i` (0-based, name order). */
  nameAt(i: number): string {
    return this.#pairs[i * 2];
  }

  /** Value at position `i` (0-based, name order). */
  valueAt(i: number): string {
    return this.#pairs[i * 2 + 1];
  }

  /** The label names in order. */
  names(): string[] {
    const out: string[] = [];
    for (let i = 0; i < this.#pairs.length; i += 2) out.push(this.#pairs[i]);
    return out;
  }

  /** A copy of the interleaved, sorted pairs. */
  toPairs(): string[] {
    return this.#pairs.slice();
  }

  toArray(): Label[] {
    const out: Label[] = [];
    this.forEach((name, value) => out.push({ name, value }));
    return out;
  }

  toRecord(): Record<string, string> {
    const out: Record<string, string> = {};
    this.forEach((name, value) => (out[name] = value));
    return out;
  }

  /**
   * One canonical string per label set: equal sets have equal keys and different sets different
   * keys. Each part is length-prefixed, so no choice of separator can make two sets collide.
   */
  get key(): string {
    if (this.#key === undefined) {
      let k = '';
      for (const s of this.#pairs) k += s.length.toString(36) + ':' + s;
      this.#key = k;
    }
    return this.#key;
  }

  /** A stable 53-bit hash of the label set (the same in every process and version). */
  hash(): number {
    // Without a key at hand, hash the same characters straight from the pairs: building the key
    // only to hash it would make a ~150-byte string of garbage a series at start-up.
    if (this.#hash < 0) this.#hash = this.#key !== undefined ? hashString(this.#key) : hashKeyOf(this.#pairs);
    return this.#hash;
  }

  equals(other: Labels): boolean {
    if (this === other) return true;
    const a = this.#pairs;
    const b = other.#pairs;
    if (a.length !== b.length) return false;
    for (let i = a.length - 1; i >= 0; i--) if (a[i] !== b[i]) return false;
    return true;
  }

  /**
   * Orders label sets as Prometheus does: label by label, name then value, in UTF-8 byte order
   * (`compareStrings`), shorter first. The API's series order and the block index use this order.
   */
  static compare(a: Labels, b: Labels): number {
    const p = a.#pairs;
    const q = b.#pairs;
    const n = Math.min(p.length, q.length);
    for (let i = 0; i < n; i++) {
      if (p[i] !== q[i]) return compareStrings(p[i], q[i]);
    }
    return p.length - q.length;
  }

  /** A copy without the labels in `names`. */
  without(...names: string[]): Labels {
    return this.#filter((n) => !names.includes(n));
  }

  /** A copy with only the labels in `names`. */
  keep(...names: string[]): Labels {
    return this.#filter((n) => names.includes(n));
  }

  /** A copy without the metric name. */
  withoutMetricName(): Labels {
    return this.#indexOf(METRIC_NAME) < 0 ? this : this.without(METRIC_NAME);
  }

  /** A builder seeded with this set, for edits. */
  builder(): LabelsBuilder {
    return new LabelsBuilder(this);
  }

  /**
   * Prometheus' text form: `{__name__="up", job="x"}`. Values are escaped as Go's %q does for the
   * characters that occur in practice (backslash, quote, newline).
   */
  toString(): string {
    const parts: string[] = [];
    this.forEach((name, value) => parts.push(`${name}=${quoteString(value)}`));
    return '{' + parts.join(', ') + '}';
  }

  #filter(keepName: (name: string) => boolean): Labels {
    const out: string[] = [];
    const p = this.#pairs;
    for (let i = 0; i < p.length; i += 2) if (keepName(p[i])) out.push(p[i], p[i + 1]);
    return out.length === p.length ? this : Labels.fromSortedPairs(out);
  }

  #indexOf(name: string): number {
    // Label sets are small; a linear scan beats binary search below a few dozen labels.
    const p = this.#pairs;
    for (let i = 0; i < p.length; i += 2) if (p[i] === name) return i;
    return -1;
  }
}

let emptyLabels: Labels | undefined;

/** Accumulates label edits and produces a sorted `Labels`. Setting a value to `''` deletes it. */
export class LabelsBuilder {
  readonly #values = new Map<string, string>();

  constructor(base?: Labels) {
    base?.forEach((n, v) => this.#values.set(n, v));
  }

  set(name: string, value: string): this {
    if (value === '') this.#values.delete(name);
    else this.#values.set(name, value);
    return this;
  }

  del(...names: string[]): this {
    for (const n of names) this.#values.delete(n);
    return this;
  }

  get(name: string): string {
    return this.#values.get(name) ?? '';
  }

  has(name: string): boolean {
    return this.#values.has(name);
  }

  /** Calls `fn` for each label currently set, in no particular order. */
  forEach(fn: (name: string, value: string) => void): void {
    this.#values.forEach((v, n) => fn(n, v));
  }

  /** Keeps only the labels for which `keep(name, value)` is true. */
  retain(keep: (name: string, value: string) => boolean): this {
    for (const [n, v] of this.#values) if (!keep(n, v)) this.#values.delete(n);
    return this;
  }

  labels(): Labels {
    if (this.#values.size === 0) return Labels.EMPTY;
    const names = [...this.#values.keys()].sort(compareStrings);
    const pairs: string[] = new Array<string>(names.length * 2);
    for (let i = 0; i < names.length; i++) {
      pairs[i * 2] = names[i]!;
      pairs[i * 2 + 1] = this.#values.get(names[i])!;
    }
    return Labels.fromSortedPairs(pairs);
  }
}

/**
 * Compares strings in UTF-8 byte (code point) order, as Go and so Prometheus do. JavaScript's `<`
 * compares UTF-16 code units, which disagrees when a surrogate pair (a code point ≥ U+10000, such
 * as an emoji) meets a character in U+E000–U+FFFF (such as fullwidth letters).
 */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // Below the surrogates code unit order is code point order; only the rest needs a look.
    if (x < 0xd800 && y < 0xd800) return x < y ? -1 : 1;
    const sx = x >= 0xd800 && x < 0xe000;
    const sy = y >= 0xd800 && y < 0xe000;
    // A surrogate (part of a code point ≥ U+10000) sorts after U+E000–U+FFFF in UTF-8.
    if (sx !== sy && (x >= 0xe000 || y >= 0xe000)) return sx ? 1 : -1;
    return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

/**
 * Deduplicates strings so that a label value repeated across many series is held once. The head
 * owns one; it is a plain map because V8 strings are already immutable and hash-cached.
 */
export class StringInterner {
  readonly #strings = new Map<string, string>();
  /** Interned ASCII strings by an FNV-1a hash of their bytes (see `internUtf8`), built on demand. */
  #byBytesHash: Map<number, string | string[]> | undefined;

  intern(s: string): string {
    const found = this.#strings.get(s);
    if (found !== undefined) return found;
    this.#strings.set(s, s);
    return s;
  }

  /**
   * The interned string of the UTF-8 bytes `bytes[start, end)`. A string met before is found by
   * the hash of its bytes, never decoded again: restoring a million series from disk repeats
   * `job`, `instance`, `cpu`… millions of times, and a decoder call per string was most of the
   * cost. Only ASCII strings are indexed so; others are decoded and interned as strings.
   * `releaseBytesIndex` frees the index once the bulk load is over.
   */
  internUtf8(bytes: Uint8Array, start: number, end: number): string {
    let h = 0x811c9dc5;
    let high = 0;
    for (let i = start; i < end; i++) {
      const b = bytes[i];
      high |= b;
      h = Math.imul(h ^ b, 0x01000193);
    }
    if (high >= 0x80) return this.intern(utf8.decode(bytes.subarray(start, end)));
    const index = (this.#byBytesHash ??= new Map<number, string | string[]>());
    const found = index.get(h);
    if (found === undefined) {
      const s = this.intern(utf8.decode(bytes.subarray(start, end)));
      index.set(h, s);
      return s;
    }
    if (typeof found === 'string') {
      if (asciiEquals(found, bytes, start, end)) return found;
      const s = this.intern(utf8.decode(bytes.subarray(start, end)));
      index.set(h, [found, s]);
      return s;
    }
    for (const c of found) if (asciiEquals(c, bytes, start, end)) return c;
    const s = this.intern(utf8.decode(bytes.subarray(start, end)));
    found.push(s);
    return s;
  }

  /** Drops the index `internUtf8` builds (the interned strings stay). */
  releaseBytesIndex(): void {
    this.#byBytesHash = undefined;
  }

  get size(): number {
    return this.#strings.size;
  }

  clear(): void {
    this.#strings.clear();
    this.#byBytesHash = undefined;
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

/** Whether ASCII bytes `bytes[start, end)` spell `s`. */
function asciiEquals(s: string, bytes: Uint8Array, start: number, end: number): boolean {
  if (s.length !== end - start) return false;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) !== bytes[start + i]) return false;
  return true;
}

/**
 * cyrb53: a fast, well-distributed 53-bit string hash. Two 32-bit lanes with Math.imul keep it in
 * small integers, so V8 never boxes; 53 bits makes collisions rare even at millions of series.
 */
export function hashString(s: string, seed = 0): number {
  const h = new Cyrb53(seed);
  h.update(s);
  return h.digest();
}

/** `hashString(key)` for the label set with these pairs, without building its key. */
function hashKeyOf(pairs: readonly string[]): number {
  const h = new Cyrb53(0);
  for (const s of pairs) {
    h.updateBase36(s.length);
    h.updateChar(0x3a); // ':'
    h.update(s);
  }
  return h.digest();
}

/** The state of a cyrb53 hash fed in parts. */
class Cyrb53 {
  #h1: number;
  #h2: number;

  constructor(seed: number) {
    this.#h1 = 0xdeadbeef ^ seed;
    this.#h2 = 0x41c6ce57 ^ seed;
  }

  update(s: string): void {
    for (let i = 0; i < s.length; i++) this.updateChar(s.charCodeAt(i));
  }

  updateChar(c: number): void {
    this.#h1 = Math.imul(this.#h1 ^ c, 2654435761);
    this.#h2 = Math.imul(this.#h2 ^ c, 1597334677);
  }

  /** `update(n.toString(36))` for a non-negative integer, without making the string. */
  updateBase36(n: number): void {
    if (n >= 36) this.updateBase36(Math.floor(n / 36));
    const d = n % 36;
    this.updateChar(d < 10 ? 0x30 + d : 0x57 + d);
  }

  digest(): number {
    let h1 = this.#h1;
    let h2 = this.#h2;
    h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
    h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
    return 4294967296 * (2097151 & h2) + (h1 >>> 0);
  }
}

/** Quotes a string as Go's strconv.Quote does for printable text: `"a\"b\\c\n"`. */
export function quoteString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    switch (c) {
      case '"':
        out += '\\"';
        break;
      case '\\':
        out += '\\\\';
        break;
      case '\n':
        out += '\\n';
        break;
      case '\r':
        out += '\\r';
        break;
      case '\t':
        out += '\\t';
        break;
      default:
        out += c;
    }
  }
  return out + '"';
}
