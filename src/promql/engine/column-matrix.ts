/**
 * A range query's answer straight from the columns of its root (`x`, `rate(x[5m])`, see
 * `step-columns.ts`): one result series per row, where the step path would build an instant vector
 * per step and gather its points by label key. The step path's checks are kept: the max-samples
 * limit at each step, and no two series with the same labels at one step once the metric name is
 * dropped; rows that only meet at different steps become one series, as there.
 */
import { Labels } from '../../model/labels.js';
import { QueryError, TooManySamplesError } from './errors.js';
import { withoutMetadata } from './evaluator.js';
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
  // Rows by the labels of their result series; one row each unless dropping the name merges some.
  const groups = new Map<string, { labels: Labels; rows: number[] }>();
  for (let r = 0; r < rows; r++) {
    if (present[r] === 0) continue;
    const labels = c.dropName ? withoutMetadata(c.labels[r]) : c.labels[r];
    const g = groups.get(labels.key);
    if (g === undefined) groups.set(labels.key, { labels, rows: [r] });
    else g.rows.push(r);
  }
  failAtFirstBadStep(c, perStep, groups, maxSamples);
  yield;
  const out: ResultSeries[] = [];
  for (const { labels, rows: members } of groups.values()) {
    if (out.length % 256 === 255) yield;
    let n = 0;
    for (const r of members) n += present[r];
    const ts = new Float64Array(n);
    const vs = new Float64Array(n);
    let i = 0;
    for (let k = 0; k < steps; k++) {
      for (const r of members) {
        if (c.has[k * rows + r] === 0) continue;
        ts[i] = start + k * step;
        vs[i++] = c.values[k * rows + r];
      }
    }
    out.push({ labels, ts, vs });
  }
  return out.sort((a, b) => Labels.compare(a.labels, b.labels));
}

/**
 * Throws the step path's error at the first step that has one: too many samples (the points so
 * far plus the step's selected samples), else two rows with the same result labels.
 */
function failAtFirstBadStep(
  c: StepColumns,
  perStep: Int32Array,
  groups: Map<string, { rows: number[] }>,
  maxSamples: number,
): void {
  const rows = c.labels.length;
  let dup = Infinity;
  for (const { rows: members } of groups.values()) {
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
