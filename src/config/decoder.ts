/**
 * Reading typed values out of a YAML document, with positions for every error. Each `struct` call
 * names the fields it accepts, so an unknown field is reported where it is, as Prometheus does.
 */
import { LineCounter, isAlias, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { Document, Node, Pair } from 'yaml';
import { DurationError, parseDuration, isValidLabelName, RegexSyntaxError } from '../model/index.js';
import type { NameValidationScheme } from '../model/index.js';
import { ConfigError } from './error.js';
import type { ConfigPosition } from './error.js';

/** A YAML node as the decoder sees it; aliases are resolved before use. */
export type YamlNode = Node | null | undefined;

/** Field name → handler of its value; handlers run in the order the fields appear. */
export type FieldHandlers = Readonly<Record<string, (value: YamlNode, key: YamlNode) => void>>;

const SIZE_UNITS: Readonly<Record<string, number>> = {
  B: 1,
  KB: 1024,
  MB: 1024 ** 2,
  GB: 1024 ** 3,
  TB: 1024 ** 4,
  PB: 1024 ** 5,
  EB: 1024 ** 6,
};

/** Decodes values from one YAML document, naming `file` in its errors. */
export class Decoder {
  readonly file: string;
  readonly #lines: LineCounter;
  readonly #doc: Document;
  /** Names checked against this scheme (Prometheus 3's default is `utf8`). */
  scheme: NameValidationScheme = 'utf8';

  constructor(file: string, doc: Document, lines: LineCounter) {
    this.file = file;
    this.#doc = doc;
    this.#lines = lines;
  }

  /**
   * Parses `text` (the contents of `file`) as YAML 1.1, as Go's yaml does, with duplicate keys
   * rejected; a syntax error is a `ConfigError` at its position.
   */
  static parse(text: string, file: string): Decoder {
    const lines = new LineCounter();
    const doc = parseDocument(text, {
      lineCounter: lines,
      prettyErrors: false,
      uniqueKeys: true,
      version: '1.1',
    });
    const first = doc.errors[0];
    if (first !== undefined) {
      const { line, col } = lines.linePos(first.pos[0]);
      const detail = first.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
      throw new ConfigError(detail, { file, line, col });
    }
    return new Decoder(file, doc, lines);
  }

  /** The document's root node. */
  get root(): YamlNode {
    return this.#doc.contents;
  }

  /** Where `node` starts (the start of the file when unknown). */
  position(node: YamlNode): ConfigPosition {
    const offset = node?.range?.[0] ?? 0;
    const { line, col } = this.#lines.linePos(offset);
    return { file: this.file, line, col };
  }

  /** A `ConfigError` at `node`. */
  error(node: YamlNode, message: string, cause?: unknown): ConfigError {
    return new ConfigError(message, this.position(node), cause === undefined ? undefined : { cause });
  }

  /** Follows aliases; a null scalar becomes undefined (an unset field). */
  resolve(node: YamlNode): Node | undefined {
    let n: unknown = node ?? undefined;
    for (let i = 0; i < 100 && isAlias(n); i++) n = n.resolve(this.#doc);
    if (n === undefined || n === null) return undefined;
    if (isScalar(n) && n.value === null) return undefined;
    return n as Node;
  }

  /** Whether the node holds a value (not absent or `null`). */
  isSet(node: YamlNode): boolean {
    return this.resolve(node) !== undefined;
  }

  /**
   * Reads a mapping, calling the handler of each key; an unknown key is an error naming
   * `typeName` (`field foo not found in type config.ScrapeConfig`). Absent or null: nothing.
   */
  struct(node: YamlNode, typeName: string, fields: FieldHandlers): void {
    const n = this.resolve(node);
    if (n === undefined) return;
    if (!isMap(n)) throw this.typeError(n, typeName);
    for (const pair of n.items as Pair<YamlNode, YamlNode>[]) {
      const keyNode = this.resolve(pair.key);
      const key = keyNode !== undefined && isScalar(keyNode) ? String(keyNode.value) : '';
      if (key === '<<') throw this.error(pair.key, 'merge keys are not supported');
      const handler = Object.hasOwn(fields, key) ? fields[key] : undefined;
      if (handler === undefined) throw this.error(pair.key, `field ${key} not found in type ${typeName}`);
      handler(pair.value, pair.key);
    }
  }

  /** The entries of a mapping in order, as key text and value node. */
  entries(node: YamlNode, what: string): { key: string; keyNode: YamlNode; value: YamlNode }[] {
    const n = this.resolve(node);
    if (n === undefined) return [];
    if (!isMap(n)) throw this.typeError(n, what);
    return (n.items as Pair<YamlNode, YamlNode>[]).map((p) => ({
      key: this.string(p.key),
      keyNode: p.key,
      value: p.value,
    }));
  }

  /** The items of a sequence, each passed to `item`. */
  list<T>(node: YamlNode, what: string, item: (n: YamlNode) => T): T[] {
    const n = this.resolve(node);
    if (n === undefined) return [];
    if (!isSeq(n)) throw this.typeError(n, what);
    return (n.items as YamlNode[]).map((i) => item(i));
  }

  /** A scalar as text (numbers and booleans as written, as Go's yaml does for strings). */
  string(node: YamlNode): string {
    const n = this.resolve(node);
    if (n === undefined) return '';
    if (!isScalar(n)) throw this.typeError(n, 'string');
    return typeof n.value === 'string' ? n.value : (n.source ?? String(n.value));
  }

  /** `true` or `false`. */
  bool(node: YamlNode): boolean {
    const n = this.resolve(node);
    if (n !== undefined && isScalar(n) && typeof n.value === 'boolean') return n.value;
    throw this.typeError(n ?? node, 'bool');
  }

  /** A non-negative integer. */
  uint(node: YamlNode): number {
    const n = this.resolve(node);
    if (
      n !== undefined &&
      isScalar(n) &&
      typeof n.value === 'number' &&
      Number.isSafeInteger(n.value) &&
      n.value >= 0
    ) {
      return n.value;
    }
    throw this.typeError(n ?? node, 'uint');
  }

  /** Any integer. */
  int(node: YamlNode): number {
    const n = this.resolve(node);
    if (n !== undefined && isScalar(n) && typeof n.value === 'number' && Number.isSafeInteger(n.value))
      return n.value;
    throw this.typeError(n ?? node, 'int');
  }

  /** A number. */
  float(node: YamlNode): number {
    const n = this.resolve(node);
    if (n !== undefined && isScalar(n) && typeof n.value === 'number') return n.value;
    throw this.typeError(n ?? node, 'float64');
  }

  /** A Prometheus duration (`1m30s`) in milliseconds. */
  duration(node: YamlNode): number {
    const text = this.string(node);
    try {
      return parseDuration(text);
    } catch (e) {
      if (e instanceof DurationError) throw this.error(node, e.message, e);
      throw e;
    }
  }

  /**
   * A byte size (`512MB`, `1KiB`, `0`, or compound as `units.Base2Bytes` prints it: `1MiB512KiB`)
   * in bytes, as Prometheus' `units.Base2Bytes`.
   */
  size(node: YamlNode): number {
    const text = this.string(node);
    if (/^\d+$/.test(text)) return Number(text);
    if (!/^(\d+(B|[KMGTPE]i?B))+$/.test(text)) throw this.error(node, `invalid size "${text}"`);
    let total = 0;
    for (const m of text.matchAll(/(\d+)(B|[KMGTPE]i?B)/g)) {
      total += Number(m[1]) * (SIZE_UNITS[m[2].replace('i', '')] ?? 1);
    }
    return total;
  }

  /** A list of strings. */
  strings(node: YamlNode, what = '[]string'): string[] {
    return this.list(node, what, (n) => this.string(n));
  }

  /** A mapping of strings to strings. */
  stringMap(node: YamlNode, what = 'map[string]string'): Record<string, string> {
    const out: Record<string, string> = {};
    for (const e of this.entries(node, what)) out[e.key] = this.string(e.value);
    return out;
  }

  /** A label name, checked against the scheme. */
  labelName(node: YamlNode): string {
    const name = this.string(node);
    if (!isValidLabelName(name, this.scheme)) throw this.error(node, `"${name}" is not a valid label name`);
    return name;
  }

  /** A list of label names. */
  labelNames(node: YamlNode): string[] {
    return this.list(node, 'model.LabelNames', (n) => this.labelName(n));
  }

  /** A label set (`name: value`), names validated. */
  labelSet(node: YamlNode): Record<string, string> {
    const out: Record<string, string> = {};
    for (const e of this.entries(node, 'model.LabelSet')) {
      out[this.labelName(e.keyNode)] = this.string(e.value);
    }
    return out;
  }

  /** One of `choices`, else an error using `message`. */
  oneOf<T extends string>(node: YamlNode, choices: readonly T[], message: (v: string) => string): T {
    const v = this.string(node);
    const found = choices.find((c) => c === v);
    if (found === undefined) throw this.error(node, message(v));
    return found;
  }

  /** Runs `fn`, turning a `RegexSyntaxError` into a positioned config error. */
  regex<T>(node: YamlNode, fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      if (e instanceof RegexSyntaxError) throw this.error(node, e.message, e);
      throw e;
    }
  }

  /** Go yaml's wording for a value of the wrong kind. */
  typeError(node: YamlNode, target: string): ConfigError {
    const n = this.resolve(node);
    let desc = '!!null';
    if (n !== undefined && isMap(n)) desc = '!!map';
    else if (n !== undefined && isSeq(n)) desc = '!!seq';
    else if (n !== undefined && isScalar(n)) {
      const kind =
        typeof n.value === 'boolean'
          ? '!!bool'
          : typeof n.value === 'number'
            ? Number.isInteger(n.value)
              ? '!!int'
              : '!!float'
            : '!!str';
      desc = `${kind} \`${n.source ?? String(n.value)}\``;
    }
    return this.error(node, `cannot unmarshal ${desc} into ${target}`);
  }
}
