/**
 * A range query's answer straight from the columns of its root (`x`, `rate(x[5m])`, see
 * `step-columns.ts`): one result series per row, where the step path would build an instant vector
 * per step and gather its points by label key. The step path's checks are kept: the max-samples
 * limit at each step, and no two series with the same labels at one step once the metric name is
 * dropped; rows that only meet at different steps become one series, as there.
 */
import { Labels } from '../../model/labels.js';
import { QueryError, TooManySamplesError } from './errors.js';
import { stripMetadata } from './evaluator.js';
import type { StepColumns } from './step-columns.js';
import type { ResultSeries } from './value.js';

/**
 * The result series of columns `c` evaluated over the whole query, sorted by labels. Pauses after
 * the checks and every 256 series, so the async entry points can give the event loop a turn.
 */
export function* matrixFromColumns(c: StepColumns, maxSamples: number): Generator<void, ResultSeries[]> {
  const { start, step, steps } = c.grid;
  const rows = c.labels.length;
  const present = new Int32Array(rows);
  const perStep = new Int32Array(steps);
  for (let k = 0; k < steps; k++) {
    const base = k * rows;
    for (let r = 0; r < rows; r++) {
      if (c.has[base + r] === 0) continue;
      present[r]++;
      perStep[k]++;
    }
  }
  const groups = resultGroups(c, present);
  failAtFirstBadStep(c, perStep, groups, maxSamples);
  yield;
  // One buffer for all the points, each series a view of it: a typed array of its own per series
  // cost more than filling it on small answers.
  let total = 0;
  for (let r = 0; r < rows; r++) total += present[r];
  const allTs = new Float64Array(total);
  const allVs = new Float64Array(total);
  let i = 0;
  const out: ResultSeries[] = [];
  for (const { labels, rows: members } of groups) {
    if (out.length % 256 === 255) yield;
    const from = i;
    for (let k = 0; k < steps; k++) {
      for (const r of members) {
        if (c.has[k * rows + r] === 0) continue;
        allTs[i] = start + k * step;
        allVs[i++] = c.values[k * rows + r];
      }
    }
    out.push({ labels, ts: allTs.subarray(from, i), vs: allVs.subarray(from, i) });
  }
  return out;
}

/** Rows that make one result series, and its labels. */
interface ResultGroup {
  readonly labels: Labels;
  readonly rows: number[];
}

/**
 * The rows with points grouped by the labels of their result series, sorted by those labels: one
 * row each unless dropping the name merges some. Rows come sorted by their own labels, so when the
 * result labels are still strictly increasing (one metric name, or the name kept) each row is its
 * own group with no label key built; otherwise rows are grouped by key and the groups sorted.
 */
function resultGroups(c: StepColumns, present: Int32Array): ResultGroup[] {
  const groups: ResultGroup[] = [];
  let ordered = true;
  for (let r = 0; r < c.labels.length; r++) {
    if (present[r] === 0) continue;
    const labels = c.dropName ? stripMetadata(c.labels[r]) : c.labels[r];
    const last = groups[groups.length - 1];
    if (last !== undefined && Labels.compare(last.labels, labels) >= 0) ordered = false;
    groups.push({ labels, rows: [r] });
  }
  if (ordered) return groups;
  const byKey = new Map<string, ResultGroup>();
  for (const g of groups) {
    const same = byKey.get(g.labels.key);
    if (same === undefined) byKey.set(g.labels.key, g);
    else same.rows.push(...g.rows);
  }
  return [...byKey.values()].sort((a, b) => Labels.compare(a.labels, b.labels));
}

/**
 * Throws the step path's error at the first step that has one: too many samples (the points so
 * far plus the step's selected samples), else two rows with the same result labels.
 */
function failAtFirstBadStep(
  c: StepColumns,
  perStep: Int32Array,
  groups: readonly ResultGroup[],
  maxSamples: number,
): void {
  const rows = c.labels.length;
  let dup = Infinity;
  for (const { rows: members } of groups) {
    if (members.length < 2) continue;
    for (let k = 0; k < Math.min(dup, c.grid.steps); k++) {
      let n = 0;
      for (const r of members) n += c.has[k * rows + r];
      if (n > 1) dup = k;
    }
  }
  let held = 0;
  for (let k = 0; k < c.grid.steps; k++) {
    if (held + c.samples[k] > maxSamples) throw new TooManySamplesError();
    if (k === dup) throw new QueryError('vector cannot contain metrics with the same labelset');
    held += perStep[k];
  }
}
