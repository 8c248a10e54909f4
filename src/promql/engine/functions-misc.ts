/** time(), vector(), scalar(), absent*, sort*, timestamp(), date functions, histogram_quantile. */
import { Labels, METRIC_NAME } from '../../model/labels.js';
import type { Expr } from '../ast.js';
import type { FunctionImpl } from './functions.js';
import { matrixArg, scalarArg, stringArg, vectorArg } from './function-args.js';
import { histogramFraction, histogramQuantile, histogramQuantiles } from './histogram-quantile.js';
import type { Sample, Vector } from './value.js';

function unwrap(e: Expr): Expr {
  return e.type === 'ParenExpr' ? unwrap(e.expr) : e;
}

/** The labels `absent` gives: the selector's equality matchers, minus names matched twice. */
function absentLabels(e: Expr | undefined): Labels {
  if (e === undefined) return Labels.EMPTY;
  let u = unwrap(e);
  if (u.type === 'MatrixSelector') u = u.vectorSelector;
  if (u.type !== 'VectorSelector') return Labels.EMPTY;
  const b = Labels.EMPTY.builder();
  const repeated = new Set<string>();
  for (const m of u.matchers) {
    if (m.name === METRIC_NAME) continue;
    if (m.type === '=' && !b.has(m.name)) b.set(m.name, m.value);
    else if (b.has(m.name)) repeated.add(m.name);
  }
  for (const n of repeated) b.del(n);
  return b.labels();
}

function byValue(desc: boolean): (a: Sample, b: Sample) => number {
  return (a, b) => {
    if (Number.isNaN(a.v)) return Number.isNaN(b.v) ? 0 : 1;
    if (Number.isNaN(b.v)) return -1;
    return desc ? b.v - a.v : a.v - b.v;
  };
}

function sortByLabel(desc: boolean): FunctionImpl {
  return ({ args }) => {
    const names = args.slice(1).map(stringArg);
    const sorted = [...vectorArg(args[0])].sort((a, b) => {
      for (const n of names) {
        const c = a.labels.get(n).localeCompare(b.labels.get(n), undefined, { numeric: true });
        if (c !== 0) return desc ? -c : c;
      }
      const c = Labels.compare(a.labels, b.labels);
      return desc ? -c : c;
    });
    return { type: 'vector', samples: sorted };
  };
}

/**
 * Go's `time.Unix(int64(v), 0)` as Prometheus' date functions call it: the seconds truncate toward
 * zero, and NaN, ±Inf and values beyond int64 convert (on amd64) to math.MinInt64, whose date Go
 * computes as 292277026596-12-04 15:30:08 UTC, a Sunday. `saturated` is that date's answer.
 */
function dateFn(f: (d: Date) => number, saturated: number): FunctionImpl {
  const at = (v: number): number => {
    if (!(Math.abs(v) < 2 ** 63)) return saturated;
    return f(new Date(Math.trunc(v) * 1000));
  };
  return ({ args, t }) => {
    const input: Vector = args.length === 0 ? [{ labels: Labels.EMPTY, v: t / 1000 }] : vectorArg(args[0]);
    return {
      type: 'vector',
      samples: input.map((s) => ({ labels: s.labels, v: at(s.v), dropName: true })),
    };
  };
}

/**
 * histogram_count/sum/avg/stddev/stdvar read native histogram samples only and ignore floats, as
 * in Prometheus. Vigil's storage holds no histogram samples yet, so their result is empty.
 */
const histogramOnly: FunctionImpl = ({ args }) => {
  vectorArg(args[0]);
  return { type: 'vector', samples: [] };
};

/** The remaining functions by name. */
export const MISC_FUNCTIONS: [string, FunctionImpl][] = [
  ['time', ({ t }) => ({ type: 'scalar', v: t / 1000 })],
  ['pi', () => ({ type: 'scalar', v: Math.PI })],
  ['vector', ({ args }) => ({ type: 'vector', samples: [{ labels: Labels.EMPTY, v: scalarArg(args[0]) }] })],
  [
    'scalar',
    ({ args }) => {
      const v = vectorArg(args[0]);
      return { type: 'scalar', v: v.length === 1 ? v[0].v : NaN };
    },
  ],
  [
    'absent',
    ({ args, call }) =>
      vectorArg(args[0]).length > 0
        ? { type: 'vector', samples: [] }
        : { type: 'vector', samples: [{ labels: absentLabels(call.args[0]), v: 1 }] },
  ],
  [
    'absent_over_time',
    ({ args, call }) =>
      matrixArg(args[0]).series.length > 0
        ? { type: 'vector', samples: [] }
        : { type: 'vector', samples: [{ labels: absentLabels(call.args[0]), v: 1 }] },
  ],
  ['sort', ({ args }) => ({ type: 'vector', samples: [...vectorArg(args[0])].sort(byValue(false)) })],
  ['sort_desc', ({ args }) => ({ type: 'vector', samples: [...vectorArg(args[0])].sort(byValue(true)) })],
  ['sort_by_label', sortByLabel(false)],
  ['sort_by_label_desc', sortByLabel(true)],
  [
    'timestamp',
    ({ args, t }) => ({
      type: 'vector',
      samples: vectorArg(args[0]).map((s) => ({
        labels: s.labels,
        dropName: true,
        v: (s.t ?? t) / 1000,
      })),
    }),
  ],
  ['histogram_quantile', histogramQuantile],
  ...['histogram_avg', 'histogram_count', 'histogram_stddev', 'histogram_stdvar', 'histogram_sum'].map(
    (n): [string, FunctionImpl] => [n, histogramOnly],
  ),
  ['histogram_fraction', histogramFraction],
  ['histogram_quantiles', histogramQuantiles],
  ['step', ({ ev }) => ({ type: 'scalar', v: ev.queryStep() / 1000 })],
  ['range', ({ ev }) => ({ type: 'scalar', v: (ev.settings.end - ev.settings.start) / 1000 })],
  ['start', ({ ev }) => ({ type: 'scalar', v: ev.settings.start / 1000 })],
  ['end', ({ ev }) => ({ type: 'scalar', v: ev.settings.end / 1000 })],
  ['min_of', ({ args }) => ({ type: 'scalar', v: Math.min(...args.map(scalarArg)) })],
  ['max_of', ({ args }) => ({ type: 'scalar', v: Math.max(...args.map(scalarArg)) })],
  ['minute', dateFn((d) => d.getUTCMinutes(), 30)],
  ['hour', dateFn((d) => d.getUTCHours(), 15)],
  ['day_of_week', dateFn((d) => d.getUTCDay(), 0)],
  ['day_of_month', dateFn((d) => d.getUTCDate(), 4)],
  [
    'day_of_year',
    dateFn((d) => Math.floor((d.getTime() - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86400000) + 1, 339),
  ],
  [
    'days_in_month',
    dateFn((d) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate(), 31),
  ],
  ['month', dateFn((d) => d.getUTCMonth() + 1, 12)],
  ['year', dateFn((d) => d.getUTCFullYear(), 292277026596)],
];
