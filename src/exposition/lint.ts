/**
 * Consistency checks on exposed metrics, the ones `promtool check metrics` makes (Prometheus'
 * promlint): missing HELP, counter suffixes, reserved suffixes, non-base units, camelCase names.
 */
import type { EntryKind, ExpositionParser, MetricType } from './entry.js';
import { Entry } from './entry.js';

/** One lint finding about a metric family. */
export interface LintProblem {
  readonly metric: string;
  readonly text: string;
}

/** Non-base units and the base unit Prometheus recommends instead. */
const NON_BASE_UNITS: Readonly<Record<string, string>> = {
  nanoseconds: 'seconds',
  microseconds: 'seconds',
  milliseconds: 'seconds',
  minutes: 'seconds',
  hours: 'seconds',
  days: 'seconds',
  weeks: 'seconds',
  kilobytes: 'bytes',
  megabytes: 'bytes',
  gigabytes: 'bytes',
  terabytes: 'bytes',
  kibibytes: 'bytes',
  mebibytes: 'bytes',
  gibibytes: 'bytes',
  tebibytes: 'bytes',
  bits: 'bytes',
  kilograms: 'grams',
  milligrams: 'grams',
  kilometers: 'meters',
  centimeters: 'meters',
  millimeters: 'meters',
  millivolts: 'volts',
  milliamperes: 'amperes',
  kilojoules: 'joules',
  fahrenheit: 'celsius',
  percent: 'ratio',
};

interface FamilyInfo {
  type: MetricType | undefined;
  help: boolean;
  labelNames: Set<string>;
}

/**
 * Collects what the lint rules need while a payload is parsed: feed it every entry with `observe`,
 * then read `problems()`. Label names are taken only when `labels()` was already decoded.
 */
export class MetricsLinter {
  readonly #families = new Map<string, FamilyInfo>();
  readonly #openMetrics: boolean;

  constructor(openMetrics: boolean) {
    this.#openMetrics = openMetrics;
  }

  /** Records the entry the parser is on. */
  observe(p: ExpositionParser, kind: EntryKind): void {
    if (kind === Entry.Help || kind === Entry.Type) {
      const f = this.#family(p.metricName());
      if (kind === Entry.Help) f.help = true;
      else f.type = p.type();
    } else if (kind === Entry.Series) {
      const name = p.metricName();
      const f = this.#families.get(name) ?? this.#families.get(stripSuffix(name)) ?? this.#family(name);
      p.labels().forEach((n) => {
        if (n !== '__name__') f.labelNames.add(n);
      });
    }
  }

  #family(name: string): FamilyInfo {
    let f = this.#families.get(name);
    if (f === undefined) {
      f = { type: undefined, help: false, labelNames: new Set() };
      this.#families.set(name, f);
    }
    return f;
  }

  /** The findings, sorted by metric name as promtool prints them. */
  problems(): LintProblem[] {
    const out: LintProblem[] = [];
    const names = [...this.#families.keys()].sort();
    for (const name of names) {
      const f = this.#families.get(name)!;
      const add = (text: string): void => void out.push({ metric: name, text });
      if (!f.help) add('no help text');
      if (f.type === 'counter' && !this.#openMetrics && !name.endsWith('_total'))
        add('counter metrics should have "_total" suffix');
      if (f.type !== undefined && f.type !== 'counter' && name.endsWith('_total'))
        add('non-counter metrics should not have "_total" suffix');
      if (f.type !== 'histogram' && f.type !== 'summary' && f.type !== undefined) {
        for (const sfx of ['_count', '_sum', '_bucket']) {
          if (name.endsWith(sfx))
            add(`non-histogram and non-summary metrics should not have "${sfx}" suffix`);
        }
      }
      for (const word of name.split('_')) {
        const base = NON_BASE_UNITS[word];
        if (base !== undefined) add(`use base unit "${base}" instead of "${word}"`);
      }
      if (f.type !== undefined && f.type !== 'unknown' && name.split('_').includes(f.type)) {
        add(`metric name should not include type '${f.type}'`);
      }
      if (name.includes(':')) add(`metric names should not contain ':'`);
      if (/[a-z][A-Z]/.test(name)) add(`metric names should be written in 'snake_case' not 'camelCase'`);
      for (const l of f.labelNames) {
        if (/[a-z][A-Z]/.test(l)) {
          add(`label names should be written in 'snake_case' not 'camelCase'`);
          break;
        }
      }
    }
    return out;
  }
}

/** A sample name without the suffix its family adds (`_total`, `_bucket`, …). */
function stripSuffix(name: string): string {
  for (const sfx of ['_total', '_created', '_bucket', '_count', '_sum', '_gcount', '_gsum', '_info']) {
    if (name.endsWith(sfx)) return name.slice(0, -sfx.length);
  }
  return name;
}
