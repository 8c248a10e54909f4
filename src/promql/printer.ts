/**
 * Prints an AST as canonical PromQL, the way Prometheus' `String()` methods do: one space around
 * binary operators, `by (…)` before the aggregation's argument, durations in `model.Duration`
 * form, strings double-quoted, selector matchers sorted.
 */
import {
  formatDuration,
  formatLabelName,
  isLegacyMetricName,
  quoteString,
  METRIC_NAME,
} from '../model/index.js';
import type { AtModifier, DurationExpr, Expr, VectorMatching, VectorSelector } from './ast.js';
import { formatDurationExpr } from './duration-expr.js';
import { formatFloat } from './printer-float.js';

function formatSignedDuration(ms: number): string {
  return ms < 0 ? `-${formatDuration(-ms)}` : formatDuration(ms);
}

function formatAt(at: AtModifier): string {
  if (at === null) return '';
  if (at === 'start' || at === 'end') return ` @ ${at}()`;
  return ` @ ${(at / 1000).toFixed(3)}`;
}

function formatOffset(offset: number, expr?: DurationExpr): string {
  if (expr !== undefined) return ` offset ${formatDurationExpr(expr)}`;
  if (offset > 0) return ` offset ${formatDuration(offset)}`;
  if (offset < 0) return ` offset -${formatDuration(-offset)}`;
  return '';
}

function joinLabels(labels: readonly string[]): string {
  return labels.map(formatLabelName).join(', ');
}

function formatSelector(vs: VectorSelector, withModifiers: boolean): string {
  const parts: string[] = [];
  for (const m of vs.matchers) {
    if (m.name === METRIC_NAME && m.type === '=' && m.value === vs.name && m.value !== '') continue;
    parts.push(m.toString());
  }
  parts.sort();
  const mods = withModifiers
    ? formatAt(vs.at) + extendedRange(vs) + formatOffset(vs.originalOffset, vs.offsetExpr)
    : '';
  let name = vs.name;
  if (name !== '' && !isLegacyMetricName(name)) {
    parts.unshift(quoteString(name));
    name = '';
  }
  if (parts.length === 0) return `${name}${mods}`;
  return `${name}{${parts.join(',')}}${mods}`;
}

function formatMatching(vm: VectorMatching | null): string {
  if (vm === null) return '';
  const grouped = vm.card === 'many-to-one' || vm.card === 'one-to-many';
  let s = '';
  if (vm.labels.length > 0 || vm.on || grouped)
    s += ` ${vm.on ? 'on' : 'ignoring'} (${joinLabels(vm.labels)})`;
  if (grouped) s += ` group_${vm.card === 'many-to-one' ? 'left' : 'right'} (${joinLabels(vm.include)})`;
  const fill = vm.fill;
  if (fill !== undefined) {
    if (fill.lhs !== null && fill.lhs === fill.rhs) s += ` fill (${formatFloat(fill.lhs)})`;
    else {
      if (fill.lhs !== null) s += ` fill_left (${formatFloat(fill.lhs)})`;
      if (fill.rhs !== null) s += ` fill_right (${formatFloat(fill.rhs)})`;
    }
  }
  return s;
}

function extendedRange(vs: VectorSelector): string {
  return vs.anchored ? ' anchored' : vs.smoothed ? ' smoothed' : '';
}

/** The canonical PromQL text of an expression. */
export function formatExpr(e: Expr): string {
  switch (e.type) {
    case 'NumberLiteral':
      return e.duration === true ? formatSignedDuration(Math.round(e.val * 1000)) : formatFloat(e.val);
    case 'StringLiteral':
      return quoteString(e.val);
    case 'VectorSelector':
      return formatSelector(e, true);
    case 'MatrixSelector': {
      const vs = e.vectorSelector;
      const range = e.rangeExpr ? formatDurationExpr(e.rangeExpr) : formatDuration(e.range);
      return `${formatSelector(vs, false)}[${range}]${extendedRange(vs)}${formatAt(vs.at)}${formatOffset(vs.originalOffset, vs.offsetExpr)}`;
    }
    case 'SubqueryExpr': {
      const range = e.rangeExpr ? formatDurationExpr(e.rangeExpr) : formatDuration(e.range);
      const step = e.stepExpr ? formatDurationExpr(e.stepExpr) : e.step === 0 ? '' : formatDuration(e.step);
      return `${formatExpr(e.expr)}[${range}:${step}]${formatAt(e.at)}${formatOffset(e.originalOffset, e.offsetExpr)}`;
    }
    case 'ParenExpr':
      return `(${formatExpr(e.expr)})`;
    case 'UnaryExpr':
      return `${e.op}${formatExpr(e.expr)}`;
    case 'BinaryExpr':
      return `${formatExpr(e.lhs)} ${e.op}${e.returnBool ? ' bool' : ''}${formatMatching(e.matching)} ${formatExpr(e.rhs)}`;
    case 'AggregateExpr': {
      let s: string = e.op;
      if (e.without) s += ` without (${joinLabels(e.grouping)}) `;
      else if (e.grouping.length > 0) s += ` by (${joinLabels(e.grouping)}) `;
      s += '(';
      if (e.param !== null) s += `${formatExpr(e.param)}, `;
      return `${s}${formatExpr(e.expr)})`;
    }
    case 'Call':
      return `${e.func}(${e.args.map(formatExpr).join(', ')})`;
  }
}
