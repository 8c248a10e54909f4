/** histogram_quantile over classic (le-labelled) buckets. */
import { formatOpenMetricsFloat } from '../../exposition/writer-common.js';
import type { Labels } from '../../model/labels.js';
import type { PositionRange } from '../ast.js';
import type { Evaluator } from './evaluator.js';
import type { FunctionImpl } from './functions.js';
import { scalarArg, stringArg, vectorArg } from './function-args.js';
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
    // A bucket of infinite width is not interpolated into: a bound inside it sits at its finite end.
    const interp = (v: number): number =>
      lb === -Infinity ? b.count : rank + ((b.count - rank) * (v - lb)) / (ub - lb);
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

/** One classic histogram of the input: its labels without `le` (name kept) and its buckets. */
interface ClassicHistogram {
  labels: Labels;
  buckets: Bucket[];
}

/** A bucket series' histogram identity: its labels without `le`, and its upper bound. */
interface BucketIdentity {
  readonly histogram: Labels;
  readonly ub: number;
}

/**
 * `BucketIdentity` by labels: the buckets of a range query keep their `Labels` objects from step to
 * step (an aggregation shares equal group labels), so `le` is parsed and removed once per series
 * instead of once per series and step (it was a quarter of a dashboard's allocations).
 */
const BUCKET_IDENTITY = new WeakMap<Labels, BucketIdentity>();

function bucketIdentity(l: Labels): BucketIdentity {
  let id = BUCKET_IDENTITY.get(l);
  if (id === undefined) {
    id = { histogram: l.without('le'), ub: parseLe(l.get('le')) };
    BUCKET_IDENTITY.set(l, id);
  }
  return id;
}

/**
 * Groups `le`-labelled samples into classic histograms by their labels without `le`, as
 * Prometheus' resetHistograms does with delayed name removal: the name stays part of the
 * identity (two histograms differing only in name are two results, which then collide once their
 * names are dropped). A missing or malformed `le` is a warning at `pos`.
 */
function classicHistograms(ev: Evaluator, vec: Vector, pos: PositionRange): ClassicHistogram[] {
  const groups = new Map<string, ClassicHistogram>();
  for (const s of vec) {
    const { histogram: labels, ub } = bucketIdentity(s.labels);
    if (Number.isNaN(ub)) {
      ev.annotate(
        'warning',
        `bucket label "le" is missing or has a malformed value of ${JSON.stringify(s.labels.get('le'))} for metric name ${JSON.stringify(s.labels.metricName())}`,
        pos,
      );
      continue;
    }
    let g = groups.get(labels.key);
    if (g === undefined) {
      g = { labels, buckets: [] };
      groups.set(labels.key, g);
    }
    g.buckets.push({ ub, count: s.v });
  }
  return [...groups.values()];
}

/** The quantile of one histogram, reporting forced monotonicity as Prometheus' info at `pos`. */
function quantileOf(ev: Evaluator, q: number, h: ClassicHistogram, pos: PositionRange): number {
  return bucketQuantile(q, h.buckets.slice(), () =>
    ev.annotate(
      'info',
      `input to histogram_quantile needed to be fixed for monotonicity (see https://prometheus.io/docs/prometheus/latest/querying/functions/#histogram_quantile) for metric name ${JSON.stringify(h.labels.metricName())}`,
      pos,
    ),
  );
}

/** `histogram_fraction(lower, upper, buckets)` for float buckets. */
export const histogramFraction: FunctionImpl = ({ args, call, ev }) => {
  const lower = scalarArg(args[0]);
  const upper = scalarArg(args[1]);
  const out: Vector = classicHistograms(ev, vectorArg(args[2]), call.args[2].pos).map((h) => ({
    labels: h.labels,
    v: bucketFraction(lower, upper, h.buckets),
    dropName: true,
  }));
  return { type: 'vector', samples: out };
};

/** `histogram_quantile(φ, buckets)` for float buckets. */
export const histogramQuantile: FunctionImpl = ({ args, call, ev }) => {
  const q = scalarArg(args[0]);
  ev.validateQuantile(q, call.args[0].pos);
  const out: Vector = classicHistograms(ev, vectorArg(args[1]), call.args[1].pos).map((h) => ({
    labels: h.labels,
    v: quantileOf(ev, q, h, call.args[1].pos),
    dropName: true,
  }));
  return { type: 'vector', samples: out };
};

/**
 * `histogram_quantiles(buckets, "label", φ1, …)`: one result per histogram and φ, labelled with
 * φ in OpenMetrics' float form (`0.5`, `1.0`). Quantile-major order, as Prometheus. Annotations
 * about the input point at the vector argument, as Prometheus reports them.
 */
export const histogramQuantiles: FunctionImpl = ({ args, call, ev }) => {
  const label = stringArg(args[1]);
  const qs = args.slice(2).map(scalarArg);
  qs.forEach((q, i) => ev.validateQuantile(q, call.args[i + 2].pos));
  const hs = classicHistograms(ev, vectorArg(args[0]), call.args[0].pos);
  const out: Vector = [];
  for (const q of qs) {
    const qText = formatOpenMetricsFloat(q);
    for (const h of hs)
      out.push({
        labels: h.labels.builder().set(label, qText).labels(),
        v: quantileOf(ev, q, h, call.args[0].pos),
        dropName: true,
      });
  }
  return { type: 'vector', samples: out };
};
