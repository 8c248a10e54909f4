/** histogram_quantile over classic (le-labelled) buckets. */
import type { Labels } from '../../model/labels.js';
import { METRIC_NAME } from '../../model/labels.js';
import { formatValue } from './aggregations.js';
import type { FunctionImpl } from './functions.js';
import { scalarArg, vectorArg } from './function-args.js';
import type { Vector } from './value.js';

interface Bucket {
  ub: number;
  count: number;
}

function parseLe(s: string): number {
  if (s === '+Inf' || s === 'Inf' || s === '+inf' || s === 'inf') return Infinity;
  if (
    s.trim() === '' ||
    !/^[+-]?(?:\d+\.?\d*(?:e[+-]?\d+)?|\.\d+(?:e[+-]?\d+)?|inf|nan|0x[0-9a-f]+)$/i.test(s)
  )
    return NaN;
  if (/^[+-]?inf$/i.test(s)) return s.startsWith('-') ? -Infinity : Infinity;
  return Number(s);
}

/**
 * The q-quantile of classic buckets, as Prometheus' bucketQuantile. `onFix` is called when the
 * bucket counts had to be made monotonic.
 */
export function bucketQuantile(q: number, buckets: Bucket[], onFix?: () => void): number {
  if (Number.isNaN(q)) return NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  const bs = prepare(buckets, onFix);
  if (bs === undefined || bs.length < 2) return NaN;
  const observations = bs[bs.length - 1].count;
  if (observations === 0) return NaN;
  let rank = q * observations;
  let i = 0;
  while (i < bs.length && !(bs[i].count >= rank)) i++;
  if (i === bs.length - 1) return bs[bs.length - 2].ub;
  if (i === 0 && bs[0].ub <= 0) return bs[0].ub;
  let start = 0;
  const end = bs[i].ub;
  let count = bs[i].count;
  if (i > 0) {
    start = bs[i - 1].ub;
    count -= bs[i - 1].count;
    rank -= bs[i - 1].count;
  }
  return start + (end - start) * (rank / count);
}

/** Sorted, coalesced, monotonic buckets; undefined when the +Inf bucket is missing. */
function prepare(buckets: Bucket[], onFix?: () => void): Bucket[] | undefined {
  buckets.sort((a, b) => a.ub - b.ub);
  if (buckets.length === 0 || buckets[buckets.length - 1].ub !== Infinity) return undefined;
  const bs: Bucket[] = [];
  for (const b of buckets) {
    const last = bs[bs.length - 1];
    if (last !== undefined && last.ub === b.ub) last.count += b.count;
    else bs.push({ ub: b.ub, count: b.count });
  }
  let max = -Infinity;
  let fixed = false;
  for (const b of bs) {
    if (b.count >= max) max = b.count;
    else {
      b.count = max;
      fixed = true;
    }
  }
  if (fixed) onFix?.();
  return bs;
}

/** The fraction of observations between lower and upper, as Prometheus' bucketFraction. */
export function bucketFraction(lower: number, upper: number, buckets: Bucket[]): number {
  const bs = prepare(buckets);
  if (bs === undefined) return NaN;
  const count = bs[bs.length - 1].count;
  if (count === 0 || Number.isNaN(lower) || Number.isNaN(upper)) return NaN;
  if (lower >= upper) return 0;
  let rank = 0;
  let lowerRank = 0;
  let upperRank = 0;
  let lowerSet = false;
  let upperSet = false;
  for (let i = 0; i < bs.length; i++) {
    const b = bs[i];
    const lb = i > 0 ? bs[i - 1].ub : b.ub > 0 ? 0 : -Infinity;
    const ub = b.ub;
    const interp = (v: number): number => rank + ((b.count - rank) * (v - lb)) / (ub - lb);
    if (!lowerSet && lb >= lower) {
      lowerRank = rank;
      lowerSet = true;
    }
    if (!upperSet && lb >= upper) {
      upperRank = rank;
      upperSet = true;
    }
    if (lowerSet && upperSet) break;
    if (!lowerSet && lb < lower && ub > lower) {
      lowerRank = interp(lower);
      lowerSet = true;
    }
    if (!upperSet && lb < upper && ub > upper) {
      upperRank = interp(upper);
      upperSet = true;
    }
    if (lowerSet && upperSet) break;
    rank = b.count;
  }
  if (!lowerSet || lowerRank > count) lowerRank = count;
  if (!upperSet || upperRank > count) upperRank = count;
  return (upperRank - lowerRank) / count;
}

/** `histogram_fraction(lower, upper, buckets)` for float buckets. */
export const histogramFraction: FunctionImpl = ({ args }) => {
  const lower = scalarArg(args[0]);
  const upper = scalarArg(args[1]);
  const groups = new Map<string, { labels: Labels; buckets: Bucket[] }>();
  for (const s of vectorArg(args[2])) {
    const ub = parseLe(s.labels.get('le'));
    if (Number.isNaN(ub)) continue;
    const labels = s.labels.without(METRIC_NAME, 'le');
    let g = groups.get(labels.key);
    if (g === undefined) {
      g = { labels, buckets: [] };
      groups.set(labels.key, g);
    }
    g.buckets.push({ ub, count: s.v });
  }
  const out: Vector = [];
  for (const g of groups.values()) out.push({ labels: g.labels, v: bucketFraction(lower, upper, g.buckets) });
  return { type: 'vector', samples: out };
};

/** `histogram_quantile(φ, buckets)` for float buckets. */
export const histogramQuantile: FunctionImpl = ({ args, call, ev }) => {
  const q = scalarArg(args[0]);
  if (!(q >= 0 && q <= 1))
    ev.annotate(
      'warning',
      `quantile value should be between 0 and 1, got ${formatValue(q)}`,
      call.args[0].pos,
    );
  const groups = new Map<string, { labels: Labels; buckets: Bucket[] }>();
  const order: string[] = [];
  for (const s of vectorArg(args[1])) {
    const ub = parseLe(s.labels.get('le'));
    if (Number.isNaN(ub)) {
      ev.annotate(
        'warning',
        `bucket label "le" is missing or has a malformed value of ${JSON.stringify(s.labels.get('le'))} for metric name ${JSON.stringify(s.labels.metricName())}`,
        call.args[1].pos,
      );
      continue;
    }
    const labels = s.labels.without(METRIC_NAME, 'le');
    let g = groups.get(labels.key);
    if (g === undefined) {
      g = { labels, buckets: [] };
      groups.set(labels.key, g);
      order.push(labels.key);
    }
    g.buckets.push({ ub, count: s.v });
  }
  const out: Vector = [];
  for (const k of order) {
    const g = groups.get(k);
    if (g === undefined) continue;
    const name =
      vectorArg(args[1])
        .find((s) => s.labels.without(METRIC_NAME, 'le').key === k)
        ?.labels.metricName() ?? '';
    const v = bucketQuantile(q, g.buckets, () =>
      ev.annotate(
        'info',
        `input to histogram_quantile needed to be fixed for monotonicity (see https://prometheus.io/docs/prometheus/latest/querying/functions/#histogram_quantile) for metric name ${JSON.stringify(name)}`,
        call.args[1].pos,
      ),
    );
    out.push({ labels: g.labels, v });
  }
  return { type: 'vector', samples: out };
};
