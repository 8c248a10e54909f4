/** Compares a query outcome with an eval's expected results, as Prometheus' test code does. */
import { Labels } from '../../model/labels.js';
import type { QueryOutcome, ResultSeries } from '../engine/index.js';
import type { ScriptCommand } from './script.js';
import { expandSeriesValues } from './series-values.js';
import { parseSeriesLabels, parseTestTime } from './test-values.js';

type EvalCommand = Extract<ScriptCommand, { kind: 'eval' }>;

const EPSILON = 1e-6;
const MIN_NORMAL = 2.2250738585072014e-308;

/** Float equality with a relative tolerance; NaN equals NaN (Prometheus' `almost.Equal`). */
export function almostEqual(a: number, b: number, epsilon = EPSILON): boolean {
  if (Number.isNaN(a) && Number.isNaN(b)) return true;
  if (a === b) return true;
  const absSum = Math.abs(a) + Math.abs(b);
  const diff = Math.abs(a - b);
  if (a === 0 || b === 0 || absSum < MIN_NORMAL) return diff < epsilon * MIN_NORMAL;
  return diff / Math.min(absSum, Number.MAX_VALUE) < epsilon;
}

interface Points {
  labels: Labels;
  ts: number[];
  vs: number[];
}

function fmt(p: Points): string {
  const pts = p.ts.map((t, i) => `${p.vs[i]} @${t / 1000}`).join(', ');
  return `${p.labels.toString()} => [${pts}]`;
}

function expectedPoints(c: EvalCommand, start: number, step: number): Points[] {
  return c.results.map((r) => {
    const labels = r.series === '' ? Labels.EMPTY : parseSeriesLabels(r.series);
    const vals = expandSeriesValues(r.values);
    const ts: number[] = [];
    const vs: number[] = [];
    vals.forEach((v, i) => {
      if (v === undefined) return;
      ts.push(start + i * step);
      vs.push(v === 'stale' ? NaN : v);
    });
    return { labels, ts, vs };
  });
}

function comparePoints(exp: Points[], got: Points[], ordered: boolean): string | undefined {
  const dump = (): string =>
    `\n  expected:\n    ${exp.map(fmt).join('\n    ')}\n  got:\n    ${got.map(fmt).join('\n    ')}`;
  if (exp.length !== got.length) return `expected ${exp.length} series, got ${got.length}${dump()}`;
  const byKey = new Map(got.map((g, i) => [g.labels.key, i]));
  for (let i = 0; i < exp.length; i++) {
    const e = exp[i];
    const gi = byKey.get(e.labels.key);
    if (gi === undefined) return `missing series ${e.labels.toString()}${dump()}`;
    if (ordered && gi !== i) return `series ${e.labels.toString()} at position ${gi}, expected ${i}${dump()}`;
    const g = got[gi];
    if (g.ts.length !== e.ts.length) return `series ${e.labels.toString()}: point count differs${dump()}`;
    for (let j = 0; j < e.ts.length; j++) {
      if (g.ts[j] !== e.ts[j] || !almostEqual(e.vs[j], g.vs[j]))
        return `series ${e.labels.toString()}: values differ${dump()}`;
    }
  }
  return undefined;
}

function fromResult(s: ResultSeries): Points {
  return { labels: s.labels, ts: Array.from(s.ts), vs: Array.from(s.vs) };
}

/** Returns a description of the mismatch, or undefined when the outcome is as expected. */
export function compareOutcome(c: EvalCommand, o: QueryOutcome): string | undefined {
  const r = o.result;
  const ordered = c.expects.some((x) => x.kind === 'ordered');
  const str = c.expects.find((x) => x.kind === 'string');
  if (str !== undefined) {
    if (r.type !== 'string') return `expected string ${JSON.stringify(str.text)}, got a ${r.type}`;
    return r.s === str.text
      ? undefined
      : `expected string ${JSON.stringify(str.text)}, got ${JSON.stringify(r.s)}`;
  }
  if (!c.instant) {
    if (r.type !== 'matrix') return `expected a matrix, got a ${r.type}`;
    const start = parseTestTime(c.at);
    const step = parseTestTime(c.step);
    return comparePoints(expectedPoints(c, start, step), r.series.map(fromResult), false);
  }
  switch (r.type) {
    case 'string':
      return `unexpected string result ${JSON.stringify(r.s)}`;
    case 'scalar': {
      if (c.results.length !== 1 || c.results[0].series !== '') return `expected a vector, got scalar ${r.v}`;
      const v = expandSeriesValues(c.results[0].values)[0];
      const want = typeof v === 'number' ? v : NaN;
      return almostEqual(want, r.v) ? undefined : `expected scalar ${want}, got ${r.v}`;
    }
    case 'vector': {
      if (c.results.length === 1 && c.results[0].series === '') return `expected a scalar, got a vector`;
      const exp = expectedPoints(c, r.t, 0).map((p) => ({
        ...p,
        ts: p.ts.slice(0, 1),
        vs: p.vs.slice(0, 1),
      }));
      const got = r.samples.map((s) => ({ labels: s.labels, ts: [r.t], vs: [s.v] }));
      return comparePoints(exp, got, ordered);
    }
    case 'matrix': {
      const rv = c.expects.find((x) => x.kind === 'range');
      if (rv === undefined) return 'got a range vector but the eval has no "expect range vector" line';
      const [from, , step] = (rv.text ?? '').split(' ').map(parseTestTime);
      return comparePoints(expectedPoints(c, from, step), r.series.map(fromResult), false);
    }
  }
}
