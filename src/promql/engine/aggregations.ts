/** Aggregation operators with by/without grouping. */
import type { Labels } from '../../model/labels.js';
import { METRIC_NAME } from '../../model/labels.js';
import type { AggregateExpr } from '../ast.js';
import { formatFloat } from '../printer-float.js';
import { QueryError } from './errors.js';
import type { Evaluator } from './evaluator.js';
import { kahanInc } from './kahan.js';
import { quantile } from './quantile.js';
import type { Sample, StepValue, Vector } from './value.js';

interface Group {
  labels: Labels;
  members: Sample[];
}

/** One aggregation's group labels: by series, and the distinct ones by key. */
interface GroupMemo {
  readonly bySeries: WeakMap<Labels, Labels>;
  readonly byKey: Map<string, Labels>;
}

const GROUP_MEMOS = new WeakMap<AggregateExpr, GroupMemo>();

/**
 * The labels of the group `l` falls in. A series keeps its `Labels` object from step to step, so
 * the projection is computed once per series and query, not at every step; equal groups share
 * one object, so downstream memos keyed by labels hit too.
 */
export function groupLabels(l: Labels, e: AggregateExpr): Labels {
  let memo = GROUP_MEMOS.get(e);
  if (memo === undefined) {
    memo = { bySeries: new WeakMap(), byKey: new Map() };
    GROUP_MEMOS.set(e, memo);
  }
  let g = memo.bySeries.get(l);
  if (g === undefined) {
    g = e.without ? l.without(METRIC_NAME, ...e.grouping) : l.keep(...e.grouping);
    const shared = memo.byKey.get(g.key);
    if (shared === undefined) memo.byKey.set(g.key, g);
    else g = shared;
    memo.bySeries.set(l, g);
  }
  return g;
}

function groups(e: AggregateExpr, vec: Vector): Group[] {
  // Group labels are shared objects (see groupLabels): grouped by identity.
  const m = new Map<Labels, Group>();
  const out: Group[] = [];
  for (const s of vec) {
    const gl = groupLabels(s.labels, e);
    let g = m.get(gl);
    if (g === undefined) {
      g = { labels: gl, members: [] };
      m.set(gl, g);
      out.push(g);
    }
    g.members.push(s);
  }
  return out;
}

export function scalarParam(param: StepValue | null, what: string): number {
  if (param === null || param.type !== 'scalar') throw new QueryError(`${what} parameter must be a scalar`);
  return param.v;
}

function sum(vs: ArrayLike<number>, n: number): number {
  let s = 0;
  let c = 0;
  for (let i = 0; i < n; i++) [s, c] = kahanInc(vs[i], s, c);
  return Number.isFinite(s) ? s + c : s;
}

/**
 * The mean of the first `n` values, with Kahan summation, switching to an incremental mean if the
 * sum overflows.
 */
export function mean(vs: ArrayLike<number>, count = vs.length): number {
  if (count === 1) return vs[0];
  let sum = 0;
  let c = 0;
  let m = 0;
  let incremental = false;
  for (let i = 0; i < count; i++) {
    const n = i + 1;
    if (!incremental) {
      const [ns, nc] = kahanInc(vs[i], sum, c);
      if (Number.isFinite(ns) || !Number.isFinite(vs[i])) {
        sum = ns;
        c = nc;
        continue;
      }
      incremental = true;
      m = sum / (n - 1);
      c /= n - 1;
    }
    const q = (n - 1) / n;
    [m, c] = kahanInc(vs[i] / n, q * m, q * c);
  }
  return incremental ? m + c : (sum + c) / count;
}

function variance(vs: ArrayLike<number>, n: number): number {
  let count = 0;
  let m = 0;
  let m2 = 0;
  for (let i = 0; i < n; i++) {
    count++;
    const d = vs[i] - m;
    m += d / count;
    m2 += d * (vs[i] - m);
  }
  return m2 / count;
}

/** The aggregations that reduce each group to one value; see `reduce`. */
export const REDUCERS = new Set([
  'sum',
  'avg',
  'count',
  'group',
  'min',
  'max',
  'stdvar',
  'stddev',
  'quantile',
]);

/**
 * The value of a reducing aggregation over the first `n` of one group's values, in vector order
 * (`quantile` may reorder them). A length rather than a view: no allocation per group and step.
 */
export function reduce(op: string, vs: Float64Array, n: number, q: number): number {
  switch (op) {
    case 'sum':
      return sum(vs, n);
    case 'avg':
      return mean(vs, n);
    case 'count':
      return n;
    case 'group':
      return 1;
    case 'min':
    case 'max': {
      const max = op === 'max';
      let v = vs[0];
      for (let i = 0; i < n; i++) if ((max ? vs[i] > v : vs[i] < v) || Number.isNaN(v)) v = vs[i];
      return v;
    }
    case 'stdvar':
      return variance(vs, n);
    case 'stddev':
      return Math.sqrt(variance(vs, n));
    case 'quantile':
      return quantile(q, vs.subarray(0, n));
    default:
      throw new QueryError(`unsupported aggregation ${op}`);
  }
}

/** `lessThan` for topk/bottomk: NaN sorts as the smallest for topk and largest for bottomk. */
function better(a: number, b: number, top: boolean): boolean {
  if (Number.isNaN(b)) return !Number.isNaN(a);
  if (Number.isNaN(a)) return false;
  return top ? a > b : a < b;
}

/**
 * The indices of the first `k` of `vs[0…n)` stably sorted by `better`, without sorting them all:
 * each index is inserted into a list of at most k, after the ones it does not beat.
 */
export function best(vs: ArrayLike<number>, n: number, k: number, top: boolean): number[] {
  const out: number[] = [];
  // Insertion costs up to k moves per value: for a large k a full sort is cheaper.
  if (k > 64) {
    for (let i = 0; i < n; i++) out.push(i);
    out.sort((a, b) => (better(vs[a], vs[b], top) ? -1 : better(vs[b], vs[a], top) ? 1 : 0));
    return out.slice(0, k);
  }
  for (let i = 0; i < n; i++) {
    const v = vs[i];
    if (out.length === k && !better(v, vs[out[k - 1]], top)) continue;
    let j = out.length;
    while (j > 0 && better(v, vs[out[j - 1]], top)) j--;
    out.splice(j, 0, i);
    if (out.length > k) out.pop();
  }
  return out;
}

/** Evaluates an aggregation at one step. */
export function evalAggregate(
  e: AggregateExpr,
  vec: Vector,
  param: StepValue | null,
  ev: Evaluator,
): StepValue {
  const out: Vector = [];
  switch (e.op) {
    case 'topk':
    case 'bottomk':
    case 'limitk': {
      const k = scalarParam(param, e.op);
      if (Number.isNaN(k)) throw new QueryError(`Parameter value is NaN`);
      const kk = Math.min(Math.max(Math.trunc(k), 0), vec.length);
      if (kk < 1) return { type: 'vector', samples: [] };
      for (const g of groups(e, vec)) {
        if (e.op === 'limitk') {
          out.push(...g.members.slice(0, kk));
          continue;
        }
        const xs = g.members;
        for (const i of best(
          xs.map((x) => x.v),
          xs.length,
          kk,
          e.op === 'topk',
        ))
          out.push(xs[i]);
      }
      return { type: 'vector', samples: out };
    }
    case 'limit_ratio': {
      const r = scalarParam(param, e.op);
      if (Number.isNaN(r)) throw new QueryError('Ratio value is NaN');
      const ratio = Math.min(Math.max(r, -1), 1);
      for (const s of vec) {
        const off = (s.labels.hash() % 2 ** 32) / 2 ** 32;
        if (ratio >= 0 ? off < ratio : off >= 1 + ratio) out.push(s);
      }
      return { type: 'vector', samples: out };
    }
    case 'count_values': {
      if (param === null || param.type !== 'string')
        throw new QueryError('count_values parameter must be a string');
      const name = param.s;
      const m = new Map<string, Sample>();
      for (const s of vec) {
        const b = groupLabels(s.labels, e).builder();
        // Go's strconv.FormatFloat(v, 'f', -1, 64), as Prometheus labels the values.
        b.set(name, formatFloat(s.v));
        const l = b.labels();
        const prev = m.get(l.key);
        if (prev === undefined) {
          const x = { labels: l, v: 1 };
          m.set(l.key, x);
          out.push(x);
        } else prev.v++;
      }
      return { type: 'vector', samples: out };
    }
    default:
      break;
  }
  const q = e.op === 'quantile' ? scalarParam(param, 'quantile') : 0;
  if (e.op === 'quantile' && e.param !== null) ev.validateQuantile(q, e.param.pos);
  for (const g of groups(e, vec)) {
    const xs = g.members;
    const v = reduce(
      e.op,
      Float64Array.from(xs, (x) => x.v),
      xs.length,
      q,
    );
    const dropName = !e.without && e.grouping.includes(METRIC_NAME) && xs.some((x) => x.dropName === true);
    out.push({ labels: g.labels, v, dropName });
  }
  return { type: 'vector', samples: out };
}
