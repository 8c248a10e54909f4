/**
 * The experimental `info(v, {data-label-selector})`: adds the data labels of matching info
 * series (by default `target_info`, joined on `instance` and `job`) to each series of `v`.
 * See functions.md ("info()") for the rules; the comments below say where Prometheus' code
 * decides a detail the documentation leaves open.
 */
import type { Labels } from '../../model/labels.js';
import { METRIC_NAME } from '../../model/labels.js';
import { Matcher } from '../../model/matcher.js';
import type { Call, Expr, VectorSelector } from '../ast.js';
import { QueryError } from './errors.js';
import type { Evaluator } from './evaluator.js';
import type { FunctionImpl } from './functions.js';
import { vectorArg } from './function-args.js';
import { instantVector } from './selectors.js';
import type { Sample, Vector } from './value.js';

/** The labels that join a series to its info series. */
const IDENTIFYING_LABELS = ['instance', 'job'];

/** What one `info` call selects, worked out once per query. */
interface InfoPlan {
  /** The `__name__` matchers: which series are info series (all must match). */
  nameMatchers: Matcher[];
  /** The other matchers of the selector, by label name: which data labels to add. */
  dataMatchers: Map<string, Matcher[]>;
  /** The selector that loads the info series: name and data matchers together. */
  selector: VectorSelector;
}

const PLANS = new WeakMap<Call, InfoPlan>();

function plan(call: Call): InfoPlan {
  let p = PLANS.get(call);
  if (p !== undefined) return p;
  const given = call.args[1]?.type === 'VectorSelector' ? call.args[1] : undefined;
  const matchers = given?.matchers ?? [];
  let nameMatchers = matchers.filter((m) => m.name === METRIC_NAME);
  if (nameMatchers.length === 0) nameMatchers = [new Matcher('=', METRIC_NAME, 'target_info')];
  else if (nameMatchers.every((m) => m.type === '!=' || m.type === '!~'))
    // Negated matchers alone name no info metric: they filter all `*_info` metrics.
    nameMatchers = [new Matcher('=~', METRIC_NAME, '.+_info'), ...nameMatchers];
  const dataMatchers = new Map<string, Matcher[]>();
  for (const m of matchers) {
    if (m.name === METRIC_NAME) continue;
    dataMatchers.set(m.name, [...(dataMatchers.get(m.name) ?? []), m]);
  }
  const selector: VectorSelector = {
    type: 'VectorSelector',
    name: '',
    matchers: [...nameMatchers, ...matchers.filter((m) => m.name !== METRIC_NAME)],
    offset: 0,
    originalOffset: 0,
    at: null,
    pos: given?.pos ?? call.pos,
  };
  p = { nameMatchers, dataMatchers, selector };
  PLANS.set(call, p);
  return p;
}

/**
 * The time the info series are read at: that of the first selector in `e`, with the `@` and
 * `offset` of the selector and of any subquery around it, so enrichment matches the samples.
 * Undefined when `e` selects nothing.
 */
function selectorTime(ev: Evaluator, e: Expr, t: number): number | undefined {
  switch (e.type) {
    case 'VectorSelector':
      return ev.refTime(t, e.at, ev.duration(e.offsetExpr, e.offset));
    case 'MatrixSelector':
      return selectorTime(ev, e.vectorSelector, t);
    case 'SubqueryExpr':
      return selectorTime(ev, e.expr, ev.refTime(t, e.at, ev.duration(e.offsetExpr, e.offset)));
    case 'ParenExpr':
    case 'UnaryExpr':
      return selectorTime(ev, e.expr, t);
    case 'AggregateExpr':
      return selectorTime(ev, e.expr, t);
    case 'BinaryExpr':
      return selectorTime(ev, e.lhs, t) ?? selectorTime(ev, e.rhs, t);
    case 'Call':
      for (const a of e.args) {
        const at = selectorTime(ev, a, t);
        if (at !== undefined) return at;
      }
      return undefined;
    default:
      return undefined;
  }
}

/** The join key of a series for one info metric: its identifying label values. */
function signature(l: Labels): string {
  return IDENTIFYING_LABELS.map((n) => l.get(n)).join('\xff');
}

/** Per info metric name and signature, the newest info sample; equal timestamps conflict. */
function newestInfo(infos: Vector): Map<string, Map<string, Sample>> {
  const byName = new Map<string, Map<string, Sample>>();
  for (const s of infos) {
    const name = s.labels.metricName();
    let bySig = byName.get(name);
    if (bySig === undefined) byName.set(name, (bySig = new Map<string, Sample>()));
    const sig = signature(s.labels);
    const prev = bySig.get(sig);
    const t = s.t ?? 0;
    const prevT = prev?.t ?? 0;
    if (prev !== undefined && prevT === t)
      throw new QueryError(
        `found duplicate series for info metric: existing ${prev.labels.toString()} @ ${prevT}, new ${s.labels.toString()} @ ${t}`,
      );
    if (prev === undefined || t > prevT) bySig.set(sig, s);
  }
  return byName;
}

/** `info(v, {…})`. */
export const info: FunctionImpl = ({ args, call, ev, t }) => {
  const { nameMatchers, dataMatchers, selector } = plan(call);
  const base = vectorArg(args[0]);
  const isInfo = (l: Labels): boolean => nameMatchers.every((m) => m.matches(l.metricName()));
  const at = selectorTime(ev, call.args[0], t) ?? t;
  const infos = instantVector(ev.series(selector), at, ev.settings.lookbackDelta);
  ev.addSamples(infos.length);
  const newest = newestInfo(infos);
  const names = [...newest.keys()].sort();
  const requireMatch = [...dataMatchers.values()].some((ms) => ms.some((m) => !m.matchesEmpty()));
  const out: Vector = [];
  for (const s of base) {
    // Info series in `v` are returned as they are.
    if (isInfo(s.labels)) {
      out.push(s);
      continue;
    }
    const sig = signature(s.labels);
    const added = new Map<string, string>();
    let matched = false;
    for (const name of names) {
      const is = newest.get(name)?.get(sig);
      if (is === undefined) continue;
      matched = true;
      is.labels.forEach((n, v) => {
        if (n === METRIC_NAME || (dataMatchers.size > 0 && !dataMatchers.has(n))) return;
        const prev = added.get(n);
        if (prev !== undefined && prev !== v) throw new QueryError(`conflicting label: ${n}`);
        if (!s.labels.has(n)) added.set(n, v);
      });
    }
    // Without an info series, a series is kept only if every data matcher accepts "".
    if (!matched && requireMatch) continue;
    if (added.size === 0) {
      out.push(s);
      continue;
    }
    const b = s.labels.builder();
    for (const [n, v] of added) b.set(n, v);
    out.push({ labels: b.labels(), v: s.v, dropName: s.dropName });
  }
  return { type: 'vector', samples: out };
};
