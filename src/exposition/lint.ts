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
  /** Families without samples are not reported, as promtool drops them. */
  hasSamples: boolean;
  labelNames: Set<string>;
}

/** The sample-name suffixes each type adds to its family name, per format. */
const TEXT_SUFFIXES: Readonly<Partial<Record<MetricType, readonly string[]>>> = {
  histogram: ['_bucket', '_sum', '_count'],
  summary: ['_sum', '_count'],
};
const OPENMETRICS_SUFFIXES: Readonly<Partial<Record<MetricType, readonly string[]>>> = {
  counter: ['_total', '_created'],
  histogram: ['_bucket', '_sum', '_count', '_created'],
  gaugehistogram: ['_bucket', '_gsum', '_gcount'],
  summary: ['_sum', '_count', '_created'],
  info: ['_info'],
};

const ALL_SUFFIXES = ['_total', '_created', '_bucket', '_sum', '_count', '_gsum', '_gcount', '_info'];

/** Type names promlint looks for inside metric names. */
const TYPE_WORDS = ['counter', 'gauge', 'summary', 'histogram', 'gauge_histogram'];

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
      const f = this.#familyOfSample(p.metricName());
      f.hasSamples = true;
      p.labels().forEach((n) => {
        if (n !== '__name__') f.labelNames.add(n);
      });
    }
  }

  /** The family a sample name belongs to: the exact name, or a declared family plus its type's suffix. */
  #familyOfSample(name: string): FamilyInfo {
    const exact = this.#families.get(name);
    if (exact !== undefined) return exact;
    const table = this.#openMetrics ? OPENMETRICS_SUFFIXES : TEXT_SUFFIXES;
    for (const suffix of ALL_SUFFIXES) {
      if (!name.endsWith(suffix)) continue;
      const f = this.#families.get(name.slice(0, -suffix.length));
      if (f?.type !== undefined && table[f.type]?.includes(suffix)) return f;
    }
    return this.#family(name);
  }

  #family(name: string): FamilyInfo {
    let f = this.#families.get(name);
    if (f === undefined) {
      f = { type: undefined, help: false, hasSamples: false, labelNames: new Set() };
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
      if (!f.hasSamples) continue;
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
      for (const t of TYPE_WORDS) {
        if (name.toLowerCase().includes(`_${t}_`) || name.toLowerCase().endsWith(`_${t}`)) {
          add(`metric name should not include type '${t}'`);
        }
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
    // promtool orders by metric name, then by text.
    return out.sort((a, b) =>
      a.metric === b.metric ? compare(a.text, b.text) : compare(a.metric, b.metric),
    );
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
