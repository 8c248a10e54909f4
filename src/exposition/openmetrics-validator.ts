/**
 * The semantic rules of OpenMetrics 1.0 that a line-by-line scanner cannot see: metric families are
 * contiguous and declared before their samples, metadata is not repeated, samples carry the
 * suffixes their type allows, counters and histogram parts are non-negative and consistent, and
 * exemplars appear only where the spec allows them.
 */
import type { Labels } from '../model/labels.js';
import type { EntryKind, Exemplar, MetricType } from './entry.js';
import { Entry } from './entry.js';
import { NUMBER_STATE, parseNumberString } from './number.js';

/** What the validator reads from the parser. */
export interface ValidatedParser {
  metricName(): string;
  type(): MetricType;
  unit(): string;
  labels(): Labels;
  value(): number;
  timestamp(): number | undefined;
  hasExemplarNow(): boolean;
  exemplar(): Exemplar | undefined;
  line(): number;
  failAt(reason: string, line?: number): never;
}

const SUFFIXES: Readonly<Record<MetricType, readonly string[]>> = {
  counter: ['_total', '_created'],
  summary: ['', '_count', '_sum', '_created'],
  histogram: ['_bucket', '_count', '_sum', '_created'],
  gaugehistogram: ['_bucket', '_gcount', '_gsum'],
  info: ['_info'],
  gauge: [''],
  stateset: [''],
  unknown: [''],
};

/** The longest combined length of an exemplar's label names and values, in code points. */
const MAX_EXEMPLAR_RUNES = 128;

interface Family {
  name: string;
  type: MetricType;
  unit: string;
  seen: Set<string>;
  hasSamples: boolean;
  groups: Set<string>;
  timestamps: Map<string, number | null>;
}

/** Bucket and sum/count bookkeeping for the current metric (labels minus `le`/`quantile`). */
interface Group {
  key: string;
  line: number;
  ts: number | null;
  buckets: number;
  lastLe: number;
  lastCount: number;
  infCount: number;
  hasInf: boolean;
  negative: boolean;
  sum: number | undefined;
  count: number | undefined;
}

/** Checks one OpenMetrics payload entry by entry; create one per parse. */
export class OpenMetricsValidator {
  readonly #families = new Set<string>();
  #family: Family | undefined;
  #group: Group | undefined;

  /** Checks the entry the parser is on; throws through `p.failAt` on a violation. */
  check(p: ValidatedParser, kind: EntryKind): void {
    switch (kind) {
      case Entry.Help:
      case Entry.Type:
      case Entry.Unit:
        this.#metadata(p, kind);
        return;
      case Entry.Series:
        this.#sample(p);
        return;
      case Entry.EOF:
        this.#finishFamily(p);
        return;
      default:
        return;
    }
  }

  #metadata(p: ValidatedParser, kind: EntryKind): void {
    const name = p.metricName();
    const what = kind === Entry.Help ? 'HELP' : kind === Entry.Type ? 'TYPE' : 'UNIT';
    let f = this.#family;
    if (f === undefined || f.name !== name) {
      this.#finishFamily(p);
      if (this.#families.has(name)) p.failAt(`metric family ${JSON.stringify(name)} is not grouped together`);
      f = this.#startFamily(name);
    }
    if (f.hasSamples) p.failAt(`${what} for ${JSON.stringify(name)} after its samples`);
    if (f.seen.has(what)) p.failAt(`second ${what} line for ${JSON.stringify(name)}`);
    f.seen.add(what);
    if (kind === Entry.Type) f.type = p.type();
    if (kind === Entry.Unit) {
      f.unit = p.unit();
      if (f.unit !== '' && !name.endsWith('_' + f.unit)) {
        p.failAt(`unit ${JSON.stringify(f.unit)} is not a suffix of metric name ${JSON.stringify(name)}`);
      }
    }
    if (f.unit !== '' && (f.type === 'info' || f.type === 'stateset'))
      p.failAt(`${f.type} metrics cannot have a unit`);
  }

  #startFamily(name: string): Family {
    this.#families.add(name);
    const f: Family = {
      name,
      type: 'unknown',
      unit: '',
      seen: new Set(),
      hasSamples: false,
      groups: new Set(),
      timestamps: new Map(),
    };
    this.#family = f;
    return f;
  }

  #sample(p: ValidatedParser): void {
    const name = p.metricName();
    let f = this.#family;
    let suffix = f === undefined ? undefined : suffixOf(f, name);
    if (f === undefined || suffix === undefined) {
      this.#finishFamily(p);
      if (this.#families.has(name)) p.failAt(`metric family ${JSON.stringify(name)} is not grouped together`);
      f = this.#startFamily(name);
      suffix = '';
    }
    f.hasSamples = true;
    const labels = p.labels();
    const v = p.value();
    const t = f.type;
    const bucket = suffix === '_bucket';
    const quantile = t === 'summary' && suffix === '';

    // The metric this sample belongs to, and its place in the family.
    let special = '';
    if (bucket) special = 'le';
    else if (quantile) special = 'quantile';
    else if (t === 'stateset') special = f.name;
    const key = groupKey(labels, special);
    const ts = p.timestamp() ?? null;
    let g = this.#group;
    if (g === undefined || g.key !== key) {
      this.#finishGroup(p);
      if (f.groups.has(key))
        p.failAt(`metric ${labels.toString()} is not grouped together with its family's other samples`);
      f.groups.add(key);
      g = this.#group = newGroup(key, p.line(), ts);
    } else if (g.ts !== ts) {
      this.#finishGroup(p);
      g = this.#group = newGroup(key, p.line(), ts);
    }

    const seriesKey = labels.key;
    const prev = f.timestamps.get(seriesKey);
    if (prev !== undefined) {
      if ((prev === null) !== (ts === null))
        p.failAt(`series ${labels.toString()} mixes samples with and without timestamps`);
      if (prev === null) p.failAt(`duplicate sample for series ${labels.toString()}`);
      if (ts !== null && ts < prev) p.failAt(`timestamps of series ${labels.toString()} go backwards`);
    }
    f.timestamps.set(seriesKey, ts);

    if (p.hasExemplarNow()) this.#exemplar(p, t, suffix);
    this.#value(p, f, suffix, labels, v, g);
  }

  #exemplar(p: ValidatedParser, t: MetricType, suffix: string): void {
    const ok =
      (t === 'counter' && suffix === '_total') ||
      ((t === 'histogram' || t === 'gaugehistogram') && suffix === '_bucket');
    if (!ok) p.failAt(`exemplars are not allowed on this sample (only counter _total and histogram _bucket)`);
    const ex = p.exemplar()!;
    let runes = 0;
    ex.labels.forEach((n, val) => (runes += codePoints(n) + codePoints(val)));
    if (runes > MAX_EXEMPLAR_RUNES)
      p.failAt(`exemplar labels have ${runes} characters, more than ${MAX_EXEMPLAR_RUNES}`);
  }

  #value(p: ValidatedParser, f: Family, suffix: string, labels: Labels, v: number, g: Group): void {
    const t = f.type;
    const nonNegative = (what: string): void => {
      if (Number.isNaN(v) || v < 0) p.failAt(`${what} must be a non-negative number, got ${v}`);
    };
    switch (t) {
      case 'counter':
        if (suffix === '_total') nonNegative('counter value');
        return;
      case 'info':
        if (v !== 1) p.failAt(`info metric value must be 1, got ${v}`);
        return;
      case 'stateset':
        if (!labels.has(f.name)) p.failAt(`stateset sample needs a label named ${JSON.stringify(f.name)}`);
        if (v !== 0 && v !== 1) p.failAt(`stateset value must be 0 or 1, got ${v}`);
        return;
      case 'summary':
        if (suffix === '') {
          const q = parseNumberString(labels.get('quantile'), false);
          if (!labels.has('quantile') || !NUMBER_STATE.ok || !(q >= 0 && q <= 1)) {
            p.failAt(
              `summary sample needs a quantile label between 0 and 1, got ${JSON.stringify(labels.get('quantile'))}`,
            );
          }
          if (v < 0) p.failAt(`summary quantile value must not be negative, got ${v}`);
        } else if (suffix === '_sum' || suffix === '_count') nonNegative(`summary ${suffix}`);
        return;
      case 'histogram':
      case 'gaugehistogram':
        this.#histogram(p, t, suffix, labels, v, g, nonNegative);
        return;
      default:
        return;
    }
  }

  #histogram(
    p: ValidatedParser,
    t: MetricType,
    suffix: string,
    labels: Labels,
    v: number,
    g: Group,
    nonNegative: (what: string) => void,
  ): void {
    if (suffix === '_bucket') {
      nonNegative('bucket count');
      const raw = labels.get('le');
      if (!labels.has('le')) p.failAt('histogram bucket without an le label');
      const le = raw === '+Inf' ? Infinity : parseNumberString(raw, false);
      if (raw !== '+Inf' && !NUMBER_STATE.ok) p.failAt(`invalid le label value ${JSON.stringify(raw)}`);
      if (g.buckets > 0 && !(le > g.lastLe))
        p.failAt(`histogram buckets out of order: le=${JSON.stringify(raw)}`);
      if (g.buckets > 0 && v < g.lastCount)
        p.failAt(`histogram bucket counts decrease at le=${JSON.stringify(raw)}`);
      if (le < 0) g.negative = true;
      if (le === Infinity) {
        g.hasInf = true;
        g.infCount = v;
      }
      g.buckets++;
      g.lastLe = le;
      g.lastCount = v;
      return;
    }
    const countSuffix = t === 'histogram' ? '_count' : '_gcount';
    const sumSuffix = t === 'histogram' ? '_sum' : '_gsum';
    if (suffix === countSuffix) {
      nonNegative(`histogram ${suffix}`);
      g.count = v;
    } else if (suffix === sumSuffix) {
      if (Number.isNaN(v)) p.failAt(`histogram ${suffix} must not be NaN`);
      g.sum = v;
    }
  }

  #finishGroup(p: ValidatedParser): void {
    const g = this.#group;
    const f = this.#family;
    this.#group = undefined;
    if (g === undefined || f === undefined) return;
    if (f.type !== 'histogram' && f.type !== 'gaugehistogram') return;
    const sumName = f.type === 'histogram' ? '_sum' : '_gsum';
    const countName = f.type === 'histogram' ? '_count' : '_gcount';
    if (g.buckets === 0) p.failAt(`histogram ${f.name} has no buckets`, g.line);
    if (!g.hasInf) p.failAt(`histogram ${f.name} has no +Inf bucket`, g.line);
    if ((g.sum === undefined) !== (g.count === undefined)) {
      p.failAt(`histogram ${f.name} must have both ${sumName} and ${countName} or neither`, g.line);
    }
    if (g.count !== undefined && g.count !== g.infCount) {
      p.failAt(
        `histogram ${f.name}${countName} ${g.count} differs from its +Inf bucket ${g.infCount}`,
        g.line,
      );
    }
    if (g.sum !== undefined) {
      if (f.type === 'histogram' && g.negative)
        p.failAt(`histogram ${f.name} has negative buckets, so it must not have _sum`, g.line);
      if (g.sum < 0 && !g.negative)
        p.failAt(`histogram ${f.name}${sumName} is negative without negative buckets`, g.line);
    }
  }

  #finishFamily(p: ValidatedParser): void {
    this.#finishGroup(p);
    this.#family = undefined;
  }
}

function newGroup(key: string, line: number, ts: number | null): Group {
  return {
    key,
    line,
    ts,
    buckets: 0,
    lastLe: -Infinity,
    lastCount: 0,
    infCount: 0,
    hasInf: false,
    negative: false,
    sum: undefined,
    count: undefined,
  };
}

/** The suffix `name` has as a sample of family `f`, or `undefined` when it is not one. */
function suffixOf(f: Family, name: string): string | undefined {
  if (!name.startsWith(f.name)) return undefined;
  const rest = name.slice(f.name.length);
  return SUFFIXES[f.type].includes(rest) ? rest : undefined;
}

/** The number of Unicode code points in `s` (a surrogate pair counts once). */
function codePoints(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xdc00 || c > 0xdfff) n++;
  }
  return n;
}

/** The identity of the metric a sample belongs to: its labels without the name and `special`. */
function groupKey(labels: Labels, special: string): string {
  let k = '';
  for (let i = 0; i < labels.size; i++) {
    const n = labels.nameAt(i);
    if (n === '__name__' || n === special) continue;
    const v = labels.valueAt(i);
    // Length prefixes keep the key unambiguous whatever the names and values hold.
    k += n.length.toString(36) + ':' + n + v.length.toString(36) + ':' + v;
  }
  return k;
}
