/**
 * Binary operators: scalar/scalar, vector/scalar and vector/vector with on/ignoring and
 * group_left/group_right matching, and the set operators and/or/unless.
 */
import { Labels, METRIC_NAME } from '../../model/labels.js';
import type { BinaryExpr, BinaryOp, VectorMatching } from '../ast.js';
import { QueryError } from './errors.js';
import type { Sample, StepValue, Vector } from './value.js';
import { applyArithmetic } from '../arithmetic.js';
import { withoutMetadata } from './evaluator.js';

const COMPARISON = new Set<BinaryOp>(['==', '!=', '>', '<', '>=', '<=']);

/** Whether `op` is a comparison operator. */
export function isComparison(op: BinaryOp): boolean {
  return COMPARISON.has(op);
}

/** Applies an arithmetic or comparison operator; comparisons return 1/0. */
export function scalarOp(op: BinaryOp, l: number, r: number): number {
  switch (op) {
    case '+':
    case '-':
    case '*':
    case '/':
    case '%':
    case '^':
      return applyArithmetic(op, l, r);
    case 'atan2':
      return Math.atan2(l, r);
    case '==':
      return l === r ? 1 : 0;
    case '!=':
      return l !== r ? 1 : 0;
    case '>':
      return l > r ? 1 : 0;
    case '<':
      return l < r ? 1 : 0;
    case '>=':
      return l >= r ? 1 : 0;
    case '<=':
      return l <= r ? 1 : 0;
    case '</':
      return Math.min(l, r);
    case '>/':
      return Math.max(l, r);
    default:
      throw new QueryError(`operator "${op}" not allowed for scalar operations`);
  }
}

/** Evaluates a binary expression given its evaluated operands. */
export function evalBinary(e: BinaryExpr, lhs: StepValue, rhs: StepValue): StepValue {
  if (lhs.type === 'scalar' && rhs.type === 'scalar')
    return { type: 'scalar', v: scalarOp(e.op, lhs.v, rhs.v) };
  if (lhs.type === 'vector' && rhs.type === 'scalar')
    return { type: 'vector', samples: vectorScalar(e, lhs.samples, rhs.v, false) };
  if (lhs.type === 'scalar' && rhs.type === 'vector')
    return { type: 'vector', samples: vectorScalar(e, rhs.samples, lhs.v, true) };
  if (lhs.type === 'vector' && rhs.type === 'vector') {
    const m = e.matching ?? ONE_TO_ONE;
    switch (e.op) {
      case 'and':
        return { type: 'vector', samples: andOp(lhs.samples, rhs.samples, m) };
      case 'or':
        return { type: 'vector', samples: orOp(lhs.samples, rhs.samples, m) };
      case 'unless':
        return { type: 'vector', samples: unlessOp(lhs.samples, rhs.samples, m) };
      default:
        return { type: 'vector', samples: vectorVector(e, lhs.samples, rhs.samples, m) };
    }
  }
  throw new QueryError('invalid operand types for binary expression');
}

/** The matching of a vector/vector operation written without one (shared, so memos by matching hit). */
const ONE_TO_ONE: VectorMatching = { card: 'one-to-one', on: false, labels: [], include: [] };

function vectorScalar(e: BinaryExpr, vec: Vector, s: number, swap: boolean): Vector {
  const cmp = isComparison(e.op);
  const drop = !cmp || e.returnBool;
  const out: Vector = [];
  for (const x of vec) {
    const l = swap ? s : x.v;
    const r = swap ? x.v : s;
    let v = scalarOp(e.op, l, r);
    if (cmp) {
      if (!e.returnBool) {
        if (v === 0) continue;
        v = x.v;
      }
    }
    out.push({ labels: x.labels, v, dropName: drop || x.dropName === true });
  }
  return out;
}

/** The memo under `key` in a memo of memos, made on first use. */
function innerMap<K extends object, K2 extends object, V>(
  outer: WeakMap<K, WeakMap<K2, V>>,
  key: K,
): WeakMap<K2, V> {
  let inner = outer.get(key);
  if (inner === undefined) {
    inner = new WeakMap();
    outer.set(key, inner);
  }
  return inner;
}

const SIGNATURES = new WeakMap<VectorMatching, WeakMap<Labels, string>>();

/**
 * The matching signature of a series: the on() labels, or all but ignoring() and the name. Series
 * keep their `Labels` object from step to step, so it is memoised per matching and series.
 */
export function signature(l: Labels, m: VectorMatching): string {
  const memo = innerMap(SIGNATURES, m);
  let sig = memo.get(l);
  if (sig === undefined) {
    sig = matchGroupLabels(l, m).key;
    memo.set(l, sig);
  }
  return sig;
}

function andOp(lhs: Vector, rhs: Vector, m: VectorMatching): Vector {
  const sigs = new Set(rhs.map((s) => signature(s.labels, m)));
  return lhs.filter((s) => sigs.has(signature(s.labels, m)));
}

function unlessOp(lhs: Vector, rhs: Vector, m: VectorMatching): Vector {
  const sigs = new Set(rhs.map((s) => signature(s.labels, m)));
  return lhs.filter((s) => !sigs.has(signature(s.labels, m)));
}

function orOp(lhs: Vector, rhs: Vector, m: VectorMatching): Vector {
  const sigs = new Set(lhs.map((s) => signature(s.labels, m)));
  return [...lhs, ...rhs.filter((s) => !sigs.has(signature(s.labels, m)))];
}

function describe(v: Vector): string {
  return v.map((s) => s.labels.toString()).join(', ');
}

/**
 * The labels a filled-in series gets (experimental `fill` modifiers): the matching labels of the
 * series it stands in for, as the match group names them.
 */
function matchGroupLabels(l: Labels, m: VectorMatching): Labels {
  return m.on ? l.keep(...m.labels) : l.without(METRIC_NAME, ...m.labels);
}

function vectorVector(e: BinaryExpr, lhs: Vector, rhs: Vector, m: VectorMatching): Vector {
  const cmp = isComparison(e.op);
  const drop = !cmp || e.returnBool;
  const manySide = m.card === 'one-to-many';
  const [many, one] = manySide ? [rhs, lhs] : [lhs, rhs];
  // Prometheus swaps the operands of group_right before matching and applies fill_left and
  // fill_right to the swapped sides: fill_left fills the "many" side, fill_right the "one" side.
  const fillMany = m.fill?.lhs ?? null;
  const fillOne = m.fill?.rhs ?? null;
  // The "one" side must have unique signatures.
  const oneBySig = new Map<string, Sample>();
  for (const s of one) {
    const sig = signature(s.labels, m);
    const prev = oneBySig.get(sig);
    if (prev !== undefined) {
      const side = manySide ? 'left' : 'right';
      // Prometheus 3 names the two duplicates in label order, whatever order they came in.
      throw new QueryError(
        `found duplicate series for the match group ${s.labels.keep(...(m.on ? m.labels : s.labels.names().filter((n) => n !== METRIC_NAME && !m.labels.includes(n)))).toString()} on the ${side} hand-side of the operation: [${describe(Labels.compare(prev.labels, s.labels) <= 0 ? [prev, s] : [s, prev])}];many-to-many matching not allowed: matching labels must be unique on one side`,
      );
    }
    oneBySig.set(sig, s);
  }
  const out: Vector = [];
  const seenSig = new Set<string>();
  const seenResult = new Set<string>();
  const emit = (s: Sample, o: Sample): void => {
    const [l, r] = manySide ? [o, s] : [s, o];
    let v = scalarOp(e.op, l.v, r.v);
    if (cmp && !e.returnBool) {
      if (v === 0) return;
      v = l.v;
    }
    const labels = resultLabels(s.labels, o.labels, m);
    const dropName = drop || (l.dropName ?? false);
    if (m.card !== 'one-to-one') {
      const key = dropName ? withoutMetadata(labels).key : labels.key;
      if (seenResult.has(key))
        throw new QueryError('multiple matches for labels: grouping labels must ensure unique matches');
      seenResult.add(key);
    }
    out.push({ labels, v, dropName });
  };
  const matched = new Set<string>();
  for (const s of many) {
    const sig = signature(s.labels, m);
    let o = oneBySig.get(sig);
    if (o === undefined) {
      if (fillOne === null) continue;
      o = { labels: matchGroupLabels(s.labels, m), v: fillOne };
    } else matched.add(sig);
    if (m.card === 'one-to-one') {
      if (seenSig.has(sig))
        throw new QueryError(
          'multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)',
        );
      seenSig.add(sig);
    }
    emit(s, o);
  }
  if (fillMany !== null) {
    for (const [sig, o] of oneBySig) {
      if (!matched.has(sig)) emit({ labels: matchGroupLabels(o.labels, m), v: fillMany }, o);
    }
  }
  return out;
}

const RESULT_LABELS = new WeakMap<VectorMatching, WeakMap<Labels, WeakMap<Labels, Labels>>>();

/** The labels of a matched pair's result, memoised per matching and pair (see `signature`). */
function resultLabels(many: Labels, one: Labels, m: VectorMatching): Labels {
  const byMany = innerMap(innerMap(RESULT_LABELS, m), many);
  let l = byMany.get(one);
  if (l === undefined) {
    l = computeResultLabels(many, one, m);
    byMany.set(one, l);
  }
  return l;
}

function computeResultLabels(many: Labels, one: Labels, m: VectorMatching): Labels {
  const b = many.builder();
  if (m.card === 'one-to-one') {
    if (m.on) b.retain((n) => m.labels.includes(n));
    else b.del(...m.labels);
  }
  for (const n of m.include) {
    const v = one.get(n);
    if (v !== '') b.set(n, v);
    else b.del(n);
  }
  return b.labels();
}
