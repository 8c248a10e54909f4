/**
 * Aggregations whose input has columns (`sum by (job) (rate(x[5m]))`, see `step-columns.ts`): each
 * series' group is found once per query, and a step reads the input's column straight into
 * per-group scratch arrays, where the step path would build a sample per series and look its group
 * up by labels. Groups, values and their order are those of the step path (`evalAggregate`).
 */
import type { Labels } from '../../model/labels.js';
import { METRIC_NAME } from '../../model/labels.js';
import type { AggregateExpr } from '../ast.js';
import { REDUCERS, best, groupLabels, reduce, scalarParam } from './aggregations.js';
import { QueryError } from './errors.js';
import type { Evaluator } from './evaluator.js';
import type { StepColumns } from './step-columns.js';
import type { StepValue, Vector } from './value.js';

/** The series of some columns sorted into an aggregation's groups, with scratch space per group. */
interface RowGroups {
  /** Group index of each series (row). */
  readonly groupOf: Int32Array;
  readonly labels: Labels[];
  /** Per group: values and rows of the members present at the current step. */
  readonly values: Float64Array[];
  readonly rows: Int32Array[];
  readonly count: Int32Array;
}

const ROW_GROUPS = new WeakMap<StepColumns, RowGroups>();

function rowGroups(e: AggregateExpr, c: StepColumns): RowGroups {
  let rg = ROW_GROUPS.get(c);
  if (rg !== undefined) return rg;
  const index = new Map<Labels, number>();
  const labels: Labels[] = [];
  const groupOf = new Int32Array(c.labels.length);
  const sizes: number[] = [];
  c.labels.forEach((l, r) => {
    const gl = groupLabels(l, e);
    let g = index.get(gl);
    if (g === undefined) {
      g = labels.length;
      index.set(gl, g);
      labels.push(gl);
      sizes.push(0);
    }
    groupOf[r] = g;
    sizes[g]++;
  });
  rg = {
    groupOf,
    labels,
    values: sizes.map((n) => new Float64Array(n)),
    rows: sizes.map((n) => new Int32Array(n)),
    count: new Int32Array(labels.length),
  };
  // Columns belong to one call, which has one parent: the aggregation is always `e`.
  ROW_GROUPS.set(c, rg);
  return rg;
}

/** Whether `aggregateColumns` evaluates `e`. */
export function aggregatesColumns(e: AggregateExpr): boolean {
  return REDUCERS.has(e.op) || e.op === 'topk' || e.op === 'bottomk' || e.op === 'limitk';
}

/** Evaluates aggregation `e` (one `aggregatesColumns` accepts) at step `k` of its input's columns. */
export function aggregateColumns(
  e: AggregateExpr,
  c: StepColumns,
  k: number,
  param: StepValue | null,
  ev: Evaluator,
): StepValue {
  const rg = rowGroups(e, c);
  const { groupOf, values, rows, count } = rg;
  const n = c.labels.length;
  const base = k * n;
  count.fill(0);
  // Groups in the order their first member appears, as the step path forms them.
  const order: number[] = [];
  for (let r = 0; r < n; r++) {
    if (c.has[base + r] === 0) continue;
    const g = groupOf[r];
    const i = count[g]++;
    if (i === 0) order.push(g);
    values[g][i] = c.values[base + r];
    rows[g][i] = r;
  }
  const out: Vector = [];
  if (!REDUCERS.has(e.op)) {
    const kParam = scalarParam(param, e.op);
    if (Number.isNaN(kParam)) throw new QueryError(`Parameter value is NaN`);
    let present = 0;
    for (const g of order) present += count[g];
    const kk = Math.min(Math.max(Math.trunc(kParam), 0), present);
    if (kk < 1) return { type: 'vector', samples: [] };
    for (const g of order) {
      const picked =
        e.op === 'limitk'
          ? Array.from({ length: Math.min(kk, count[g]) }, (_, i) => i)
          : best(values[g], count[g], kk, e.op === 'topk');
      for (const i of picked) {
        const r = rows[g][i];
        // The chosen samples themselves, as the step path returns them (with a selector's times).
        out.push({ labels: c.labels[r], v: values[g][i], t: c.times?.[base + r], dropName: c.dropName });
      }
    }
    return { type: 'vector', samples: out };
  }
  const q = e.op === 'quantile' ? scalarParam(param, 'quantile') : 0;
  if (e.op === 'quantile' && e.param !== null) ev.validateQuantile(q, e.param.pos);
  const dropName = !e.without && e.grouping.includes(METRIC_NAME) && c.dropName;
  for (const g of order)
    out.push({ labels: rg.labels[g], v: reduce(e.op, values[g], count[g], q), dropName });
  return { type: 'vector', samples: out };
}
