/**
 * Writer → parser round trip: random families written by `writeText` and `writeOpenMetrics` read
 * back through `TextParser` and `OpenMetricsParser` give the same metadata and samples. The seeds
 * are fixed, so a failure names the seed that reproduces it.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Labels } from '../src/model/labels.js';
import { isLegacyLabelName, isLegacyMetricName } from '../src/model/names.js';
import { Entry, OpenMetricsParser, TextParser } from '../src/exposition/index.js';
import type { ExpositionParser } from '../src/exposition/index.js';
import type { MetricFamily, MetricPoint, MetricType } from '../src/exposition/types.js';
import { writeText } from '../src/exposition/writer-text.js';
import { writeOpenMetrics } from '../src/exposition/writer-openmetrics.js';
import { formatOpenMetricsFloat } from '../src/exposition/writer-common.js';
import { mulberry32 } from './support/random.js';

const SEEDS = 3000;

/** Characters that stress escaping and the line grammar, and multi-byte UTF-8. */
const TRICKY = [
  '\\',
  '"',
  '\n',
  '{',
  '}',
  ',',
  '=',
  '#',
  ' ',
  '.',
  '\t',
  '\r',
  '\0',
  'é',
  '✓',
  '🚀',
  'e',
  '+',
  '-',
  '0',
  '_',
  ':',
];
const LEGACY_START = 'abcxyzABCXYZ_';
const LEGACY_REST = 'abcxyz_019';

class Gen {
  readonly #r: () => number;
  constructor(seed: number) {
    this.#r = mulberry32(seed);
  }
  int(n: number): number {
    return Math.floor(this.#r() * n);
  }
  chance(p: number): boolean {
    return this.#r() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)];
  }
  legacyName(): string {
    let s = this.pick([...LEGACY_START]);
    const n = this.int(8);
    for (let i = 0; i < n; i++) s += this.pick([...LEGACY_REST]);
    return s;
  }
  /** Any non-empty string, tricky characters likely. */
  text(min = 1): string {
    const n = min + this.int(10);
    let s = '';
    for (let i = 0; i < n; i++) s += this.chance(0.5) ? this.pick(TRICKY) : this.pick([...LEGACY_REST]);
    return s;
  }
  metricName(): string {
    return this.chance(0.7) ? this.legacyName() : this.legacyName() + '.' + this.text();
  }
  labelName(): string {
    if (this.chance(0.7)) return this.legacyName();
    const s = this.text();
    return s === '__name__' ? 'x' : s;
  }
  labels(max: number): Labels {
    const rec: Record<string, string> = {};
    const n = this.int(max + 1);
    for (let i = 0; i < n; i++) rec[this.labelName()] = this.text();
    return Labels.from(rec);
  }
  value(): number {
    switch (this.int(10)) {
      case 0:
        return this.pick([
          NaN,
          Infinity,
          -Infinity,
          0,
          -0,
          Number.MAX_VALUE,
          Number.MIN_VALUE,
          -Number.MIN_VALUE,
        ]);
      case 1:
        return this.int(1e6);
      case 2:
        return (this.#r() - 0.5) * 10 ** (this.int(600) - 300);
      case 3:
        return this.int(2 ** 53) * (this.chance(0.5) ? -1 : 1);
      default:
        return (this.#r() - 0.5) * 10 ** (this.int(40) - 20);
    }
  }
  timestamp(): number | undefined {
    if (this.chance(0.5)) return undefined;
    return this.chance(0.2) ? -this.int(1e12) : this.int(1e13);
  }
}

/** Families the text format can carry: its four types plus untyped, counters named `_total`. */
function textFamilies(g: Gen): MetricFamily[] {
  const fams: MetricFamily[] = [];
  const n = 1 + g.int(4);
  for (let i = 0; i < n; i++) {
    const type = g.pick<MetricType>(['counter', 'gauge', 'unknown']);
    const name = type === 'counter' ? g.metricName() + '_total' : g.metricName();
    const metrics: MetricPoint[] = [];
    const m = g.int(5);
    for (let j = 0; j < m; j++) {
      const ts = g.timestamp();
      const labels = g.labels(3);
      metrics.push(
        ts === undefined
          ? { name, labels, value: g.value() }
          : { name, labels, value: g.value(), timestamp: ts },
      );
    }
    // The text format cannot carry leading blanks in HELP: parsers skip them after the name.
    const help = g.text().replace(/^[ \t]+/, '');
    fams.push(help !== '' && g.chance(0.7) ? { name, type, help, metrics } : { name, type, metrics });
  }
  return fams;
}

/** Families for OpenMetrics: counters named without `_total`, units, exemplars on counters. */
function openMetricsFamilies(g: Gen): MetricFamily[] {
  const fams: MetricFamily[] = [];
  const n = 1 + g.int(4);
  for (let i = 0; i < n; i++) {
    const type = g.pick<MetricType>(['counter', 'gauge', 'unknown']);
    const name = g.metricName() + '_' + i;
    const metrics: MetricPoint[] = [];
    const m = g.int(5);
    for (let j = 0; j < m; j++) {
      const ts = g.timestamp();
      const p: MetricPoint = {
        name: type === 'counter' ? name + '_total' : name,
        labels: g.labels(3),
        value: g.value(),
        ...(ts === undefined ? {} : { timestamp: ts }),
      };
      if (type === 'counter' && g.chance(0.3)) {
        const ets = g.timestamp();
        metrics.push({
          ...p,
          exemplar: {
            labels: g.labels(2),
            value: g.value(),
            ...(ets === undefined ? {} : { timestamp: ets }),
          },
        });
      } else metrics.push(p);
    }
    const f: MetricFamily = { name, type, metrics };
    fams.push({
      ...f,
      ...(g.chance(0.7) ? { help: g.text() } : {}),
      ...(type !== 'counter' && g.chance(0.3) ? { unit: 'seconds' } : {}),
    });
  }
  return fams;
}

/** Bucket bounds or quantiles as OpenMetrics writes them: canonical floats, ascending. */
function bounds(g: Gen, n: number, max: number): number[] {
  const set = new Set<number>();
  for (let i = 0; i < n; i++) set.add(Math.round(g.int(max * 1000)) / 1000);
  return [...set].sort((a, b) => a - b);
}

/** Well-formed families of every type, as the OpenMetrics validator demands them. */
function validFamilies(g: Gen): MetricFamily[] {
  const fams: MetricFamily[] = [];
  const n = 1 + g.int(5);
  for (let i = 0; i < n; i++) {
    const type = g.pick<MetricType>([
      'counter',
      'gauge',
      'histogram',
      'gaugehistogram',
      'summary',
      'stateset',
      'info',
      'unknown',
    ]);
    const name = g.metricName() + '_' + i;
    const metrics: MetricPoint[] = [];
    const series = g.int(4);
    for (let j = 0; j < series; j++) {
      const base = g.labels(2).builder().set('inst', String(j));
      const labels = base.labels();
      const pos = (): number => Math.abs(g.value()) || 0;
      const add = (sfx: string, value: number, ls: Labels = labels): void => {
        metrics.push({ name: name + sfx, labels: ls, value });
      };
      switch (type) {
        case 'counter': {
          const ex = g.chance(0.3) ? { exemplar: { labels: g.labels(2), value: g.value() } } : {};
          metrics.push({ name: name + '_total', labels, value: pos(), ...ex });
          if (g.chance(0.5)) add('_created', g.int(2e9) + g.int(1000) / 1000);
          break;
        }
        case 'histogram':
        case 'gaugehistogram': {
          let count = 0;
          for (const le of [...bounds(g, g.int(5), 100), Infinity]) {
            count += g.int(1000);
            const ls = labels.builder().set('le', formatOpenMetricsFloat(le)).labels();
            const ex = g.chance(0.2)
              ? { exemplar: { labels: g.labels(1), value: g.value(), timestamp: g.int(1e13) } }
              : {};
            metrics.push({ name: name + '_bucket', labels: ls, value: count, ...ex });
          }
          const gh = type === 'gaugehistogram';
          add(gh ? '_gcount' : '_count', count);
          add(gh ? '_gsum' : '_sum', g.int(1e6) / 8);
          if (!gh && g.chance(0.5)) add('_created', g.int(2e9));
          break;
        }
        case 'summary':
          for (const q of bounds(g, g.int(4), 1))
            add('', pos(), labels.builder().set('quantile', formatOpenMetricsFloat(q)).labels());
          add('_sum', pos());
          add('_count', g.int(1e9));
          break;
        case 'stateset':
          add('', g.int(2), labels.builder().set(name, g.text()).labels());
          break;
        case 'info':
          add('_info', 1);
          break;
        default:
          add('', g.value());
      }
    }
    fams.push(g.chance(0.6) ? { name, type, help: g.text(), metrics } : { name, type, metrics });
  }
  return fams;
}

type Item = unknown[];

/** What a reader sees in families: metadata lines and samples, in order. */
function expected(fams: readonly MetricFamily[], om: boolean): Item[] {
  const out: Item[] = [];
  for (const f of fams) {
    out.push(['type', f.name, f.type]);
    if (om && f.unit !== undefined) out.push(['unit', f.name, f.unit]);
    if (f.help !== undefined) out.push(['help', f.name, f.help]);
    for (const p of f.metrics) {
      const e = om ? p.exemplar : undefined;
      out.push([
        'sample',
        p.name,
        p.labels.toRecord(),
        p.value,
        p.timestamp,
        e === undefined ? undefined : [e.labels.toRecord(), e.value, e.timestamp],
      ]);
    }
  }
  return out;
}

/** Reads a payload back into the same shape as `expected`. */
function read(p: ExpositionParser): Item[] {
  const out: Item[] = [];
  const meta: Item[] = [];
  for (let k = p.next(); k !== Entry.EOF; k = p.next()) {
    if (k === Entry.Series) {
      out.push(...meta.splice(0).sort(metaOrder));
      const labels = p.labels();
      const e = p.exemplar();
      out.push([
        'sample',
        labels.metricName(),
        labels.withoutMetricName().toRecord(),
        p.value(),
        p.timestamp(),
        e === undefined ? undefined : [e.labels.toRecord(), e.value, e.timestamp],
      ]);
      continue;
    }
    const name = p.metricName();
    // Metadata of a family without samples ends where the next family's begins.
    if (meta.length > 0 && meta[0][1] !== name) out.push(...meta.splice(0).sort(metaOrder));
    if (k === Entry.Type) meta.push(['type', name, p.type()]);
    else if (k === Entry.Unit) meta.push(['unit', name, p.unit()]);
    else if (k === Entry.Help) meta.push(['help', name, p.help()]);
  }
  out.push(...meta.sort(metaOrder));
  return out;
}

/** Metadata in the order `expected` lists it (the text writer puts HELP before TYPE). */
function metaOrder(a: Item, b: Item): number {
  const rank = (x: Item): number => ['type', 'unit', 'help'].indexOf(x[0] as string);
  return rank(a) - rank(b);
}

/** Compares what the parser read with what the families say, naming the seed on failure. */
function check(seed: number, fams: MetricFamily[], payload: string, got: () => Item[], om: boolean): void {
  let items: Item[];
  try {
    items = got();
  } catch (e) {
    assert.fail(`seed ${seed}: ${String(e)}\n${payload}`);
  }
  assert.deepEqual(items, expected(fams, om), `seed ${seed}:\n${payload}`);
}

void describe('exposition round trip', () => {
  void it(`text format: ${SEEDS} random payloads read back unchanged`, () => {
    for (let seed = 1; seed <= SEEDS; seed++) {
      const fams = textFamilies(new Gen(seed));
      const payload = writeText(fams);
      check(seed, fams, payload, () => read(new TextParser(Buffer.from(payload))), false);
    }
  });

  void it(`OpenMetrics: ${SEEDS} random payloads read back unchanged`, () => {
    for (let seed = 1; seed <= SEEDS; seed++) {
      const fams = openMetricsFamilies(new Gen(seed));
      const payload = writeOpenMetrics(fams);
      check(
        seed,
        fams,
        payload,
        () => read(new OpenMetricsParser(Buffer.from(payload), { validate: false })),
        true,
      );
    }
  });

  void it(`OpenMetrics: ${SEEDS} random families of every type pass validation and read back`, () => {
    const typesWithSamples = new Set<MetricType>();
    for (let seed = 1; seed <= SEEDS; seed++) {
      const fams = validFamilies(new Gen(seed));
      for (const f of fams) if (f.metrics.length > 0) typesWithSamples.add(f.type);
      const payload = writeOpenMetrics(fams);
      check(seed, fams, payload, () => read(new OpenMetricsParser(Buffer.from(payload))), true);
    }
    assert.equal(typesWithSamples.size, 8, 'the generator covers every type');
  });

  void it(`text format: ${SEEDS} random families of every type read back as their text types`, () => {
    // What the text format makes of OpenMetrics families: counters and infos described by their
    // sample names, OpenMetrics-only types mapped, units and exemplars dropped.
    const textType: Record<MetricType, MetricType> = {
      counter: 'counter',
      gauge: 'gauge',
      histogram: 'histogram',
      summary: 'summary',
      unknown: 'unknown',
      info: 'gauge',
      stateset: 'gauge',
      gaugehistogram: 'unknown',
    };
    for (let seed = 1; seed <= SEEDS; seed++) {
      const fams = validFamilies(new Gen(seed)).map((f): MetricFamily => {
        const { help, ...rest } = f;
        const trimmed = help?.replace(/^[ \t]+/, '');
        return trimmed === undefined || trimmed === '' ? rest : { ...rest, help: trimmed };
      });
      const payload = writeText(fams);
      const want = fams.map((f): MetricFamily => {
        const first = f.metrics[0]?.name;
        const sfx = f.type === 'counter' ? '_total' : f.type === 'info' ? '_info' : '';
        const name = sfx !== '' && first === f.name + sfx ? first : f.name;
        return { ...f, name, type: textType[f.type] };
      });
      check(seed, want, payload, () => read(new TextParser(Buffer.from(payload))), false);
    }
  });

  void it('escaped names stay legacy and grouped with their metadata under every scheme', () => {
    for (const escaping of ['underscores', 'dots', 'values'] as const) {
      let collisions = 0;
      for (let seed = 1; seed <= SEEDS / 3; seed++) {
        const fams = validFamilies(new Gen(seed));
        for (const om of [true, false]) {
          const payload = om ? writeOpenMetrics(fams, { escaping }) : writeText(fams, { escaping });
          let items: Item[];
          try {
            // The OpenMetrics validator rejects samples outside the family their TYPE names.
            const buf = Buffer.from(payload);
            items = read(om ? new OpenMetricsParser(buf) : new TextParser(buf));
          } catch (e) {
            // `underscores` and `dots` are lossy: two label names may escape to the same one
            // (Prometheus has the same limit). `values` is exact, so it must never collide. A
            // stateset's label is named after its family, but `:` may stand in a metric name and
            // not in a label name, so such a family and its label escape differently.
            const msg = String(e);
            if (
              (escaping !== 'values' && msg.includes('duplicate label name')) ||
              msg.includes('stateset sample needs')
            ) {
              collisions++;
              continue;
            }
            assert.fail(`${escaping} seed ${seed}: ${String(e)}\n${payload}`);
          }
          const where = `${escaping} ${om ? 'openmetrics' : 'text'} seed ${seed}`;
          assert.equal(items.length, expected(fams, om).length, where);
          for (const it of items) {
            assert.ok(isLegacyMetricName(it[1] as string), `${where}: ${String(it[1])}`);
            if (it[0] === 'sample') {
              for (const n of Object.keys(it[2] as object)) assert.ok(isLegacyLabelName(n), `${where}: ${n}`);
            }
          }
        }
      }
      assert.ok(collisions < SEEDS / 15, `${escaping}: ${collisions} payloads collided`);
    }
  });
});
