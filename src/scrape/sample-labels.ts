/**
 * The labels a scraped sample is stored with: the exposed labels merged with the target's
 * (`honor_labels`, or `exported_` prefixes on conflict), then `metric_relabel_configs`; and the
 * label limits checked on each new series.
 */
import { Labels, LabelsBuilder } from '../model/labels.js';
import type { RelabelConfig } from '../relabel/config.js';
import { relabel } from '../relabel/relabel.js';

/** The prefix given to an exposed label that conflicts with a target label. */
export const EXPORTED_LABEL_PREFIX = 'exported_';

/**
 * Merges a sample's exposed labels with the target's public labels, as Prometheus'
 * `mutateSampleLabels`, and applies metric relabeling. Undefined when relabeling drops the series.
 */
export function sampleLabels(
  exposed: Labels,
  target: Labels,
  honorLabels: boolean,
  metricRelabel: readonly RelabelConfig[],
): Labels | undefined {
  const merged = mergeSorted(exposed, target, honorLabels);
  if (merged !== undefined) return relabel(merged, metricRelabel);
  const b = new LabelsBuilder(exposed);
  if (honorLabels) {
    target.forEach((n, v) => {
      if (!exposed.has(n)) b.set(n, v);
    });
  } else {
    let conflicts: [string, string][] | undefined;
    target.forEach((n, v) => {
      const existing = exposed.get(n);
      if (existing !== '') (conflicts ??= []).push([n, existing]);
      b.set(n, v);
    });
    if (conflicts !== undefined) {
      // Shorter names first, so `exported_exported_x` cannot shadow a later `exported_x`.
      conflicts.sort((a, c) => a[0].length - c[0].length);
      for (const [n, v] of conflicts) {
        let name = n;
        for (;;) {
          name = EXPORTED_LABEL_PREFIX + name;
          if (b.get(name) === '') {
            b.set(name, v);
            break;
          }
        }
      }
    }
  }
  return relabel(b.labels(), metricRelabel);
}

/**
 * The common case without a builder: both sets are sorted, so one merge gives the result. On a
 * name in both, honor_labels keeps the exposed value; otherwise undefined (the caller resolves
 * the conflict with `exported_` names).
 */
function mergeSorted(exposed: Labels, target: Labels, honorLabels: boolean): Labels | undefined {
  const out: string[] = [];
  const n = exposed.size;
  const m = target.size;
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    const a = i < n ? exposed.nameAt(i) : undefined;
    const b = j < m ? target.nameAt(j) : undefined;
    if (b === undefined || (a !== undefined && a < b)) {
      out.push(a!, exposed.valueAt(i++));
    } else if (a === undefined || b < a) {
      out.push(b, target.valueAt(j++));
    } else {
      if (!honorLabels) return undefined;
      out.push(a, exposed.valueAt(i++));
      j++;
    }
  }
  return Labels.fromSortedPairs(out);
}

/**
 * The labels of a synthetic series (`up`, …): the target's labels win, and a clashing
 * `exported_` label is removed, as Prometheus' `mutateReportSampleLabels`.
 */
export function reportLabels(name: string, target: Labels): Labels {
  const b = new LabelsBuilder().set('__name__', name);
  target.forEach((n, v) => {
    b.set(EXPORTED_LABEL_PREFIX + n, '');
    b.set(n, v);
  });
  return b.labels();
}

/** `label_limit`, `label_name_length_limit`, `label_value_length_limit`; 0 means no limit. */
export interface LabelLimits {
  labelLimit: number;
  labelNameLengthLimit: number;
  labelValueLengthLimit: number;
}

/** Prometheus' `%.50s`: at most 50 characters. */
function trunc(s: string): string {
  return s.length > 50 ? s.slice(0, 50) : s;
}

/** The error for a series over a label limit, with Prometheus' text, or undefined. */
export function checkLabelLimits(ls: Labels, limits: LabelLimits): Error | undefined {
  const metric = ls.metricName();
  if (limits.labelLimit > 0 && ls.size > limits.labelLimit) {
    return new Error(
      `label_limit exceeded (metric: ${trunc(metric)}, number of labels: ${ls.size}, limit: ${limits.labelLimit})`,
    );
  }
  if (limits.labelNameLengthLimit === 0 && limits.labelValueLengthLimit === 0) return undefined;
  for (let i = 0; i < ls.size; i++) {
    const n = ls.nameAt(i);
    const v = ls.valueAt(i);
    // Lengths in bytes, as Go's len().
    const nl = Buffer.byteLength(n);
    if (limits.labelNameLengthLimit > 0 && nl > limits.labelNameLengthLimit) {
      return new Error(
        `label_name_length_limit exceeded (metric: ${trunc(metric)}, label name: ${trunc(n)}, length: ${nl}, limit: ${limits.labelNameLengthLimit})`,
      );
    }
    const vl = Buffer.byteLength(v);
    if (limits.labelValueLengthLimit > 0 && vl > limits.labelValueLengthLimit) {
      return new Error(
        `label_value_length_limit exceeded (metric: ${trunc(metric)}, label name: ${trunc(n)}, value: ${JSON.stringify(trunc(v))}, length: ${vl}, limit: ${limits.labelValueLengthLimit})`,
      );
    }
  }
  return undefined;
}
