/**
 * Runs promqltest scripts against the engine over an in-memory storage and reports each eval's
 * outcome. Comparison follows Prometheus' test code (relative float tolerance 1e-6).
 */
import type { Labels } from '../../model/labels.js';
import { matchesAll } from '../../model/matcher.js';
import { STALE_NAN } from '../../model/value.js';
import { MemoryStorage } from '../../storage/memory.js';
import type { Expr } from '../ast.js';
import { Engine } from '../engine/index.js';
import type { QueryOutcome } from '../engine/index.js';
import { parseExpr } from '../parser.js';
import { compareOutcome } from './compare.js';
import { parseSeriesLabels, parseTestTime } from './test-values.js';
import type { Expectation, ScriptCommand } from './script.js';
import { parseScript } from './script.js';
import { expandSeriesValues } from './series-values.js';

/**
 * What an eval exercises: `native-histogram` when its expected results hold `{{…}}` samples or its
 * query selects a series loaded with native histogram samples (or converted to one by
 * `load_with_nhcb`); `float` otherwise. Vigil has no native histograms yet, so only float evals
 * are required to pass.
 */
export type EvalKind = 'float' | 'native-histogram';

/** The outcome of one eval. */
export interface EvalResult {
  line: number;
  text: string;
  kind: EvalKind;
  passed: boolean;
  /** For failures: what went wrong, with expected and got. */
  message?: string;
}

function selectors(e: Expr, out: Expr[] = []): Expr[] {
  switch (e.type) {
    case 'VectorSelector':
      out.push(e);
      break;
    case 'MatrixSelector':
      out.push(e.vectorSelector);
      break;
    case 'SubqueryExpr':
    case 'ParenExpr':
    case 'UnaryExpr':
      selectors(e.expr, out);
      break;
    case 'BinaryExpr':
      selectors(e.lhs, out);
      selectors(e.rhs, out);
      break;
    case 'AggregateExpr':
      selectors(e.expr, out);
      if (e.param !== null) selectors(e.param, out);
      break;
    case 'Call':
      for (const a of e.args) selectors(a, out);
      break;
    default:
      break;
  }
  return out;
}

/** Runs one script; never throws for a failing eval. */
export function runScript(text: string): EvalResult[] {
  const storage = new MemoryStorage();
  const engine = new Engine();
  const histogramSeries: Labels[] = [];
  const results: EvalResult[] = [];
  let commands: ScriptCommand[];
  try {
    commands = parseScript(text);
  } catch (e) {
    return [{ line: 0, text: 'script', kind: 'float', passed: false, message: (e as Error).message }];
  }
  for (const c of commands) {
    if (c.kind === 'clear') {
      storage.clear();
      histogramSeries.length = 0;
      continue;
    }
    if (c.kind === 'load') {
      const interval = parseTestTime(c.interval);
      for (const s of c.series) {
        let labels: Labels;
        try {
          labels = parseSeriesLabels(s.series);
        } catch (e) {
          results.push({
            line: s.line,
            text: s.series,
            kind: 'float',
            passed: false,
            message: `load: ${(e as Error).message}`,
          });
          continue;
        }
        if (c.nhcb && labels.metricName().endsWith('_bucket')) {
          const b = labels.builder();
          b.set('__name__', labels.metricName().slice(0, -'_bucket'.length)).del('le');
          histogramSeries.push(b.labels());
        }
        if (s.values.includes('{{')) {
          histogramSeries.push(labels);
          // Load the float samples before the first histogram, so the rest still works.
          const floats = s.values.slice(0, s.values.indexOf('{{'));
          loadValues(storage, labels, floats, interval);
          continue;
        }
        try {
          loadValues(storage, labels, s.values, interval);
        } catch (e) {
          results.push({
            line: s.line,
            text: s.series,
            kind: 'float',
            passed: false,
            message: `load: ${(e as Error).message}`,
          });
        }
      }
      continue;
    }
    results.push(runEval(engine, storage, c, histogramSeries));
  }
  return results;
}

function loadValues(storage: MemoryStorage, labels: Labels, text: string, interval: number): void {
  const vals = expandSeriesValues(text);
  for (let i = 0; i < vals.length; i++) {
    const v = vals[i];
    if (v === undefined) continue;
    storage.add(labels, i * interval, v === 'stale' ? STALE_NAN : v);
  }
}

type EvalCommand = Extract<ScriptCommand, { kind: 'eval' }>;

/** Classifies an eval (see `EvalKind`). */
function evalKind(c: EvalCommand, hist: readonly Labels[]): EvalKind {
  if (c.results.some((r) => r.values.includes('{{'))) return 'native-histogram';
  let expr: Expr;
  try {
    expr = parseExpr(c.query);
  } catch {
    return 'float';
  }
  for (const s of selectors(expr)) {
    if (s.type === 'VectorSelector' && hist.some((h) => matchesAll(h, s.matchers))) return 'native-histogram';
  }
  return 'float';
}

function runEval(engine: Engine, storage: MemoryStorage, c: EvalCommand, hist: Labels[]): EvalResult {
  const kind = evalKind(c, hist);
  const base = { line: c.line, text: c.text, kind };
  const fail = (message: string): EvalResult => ({
    ...base,
    passed: false,
    message: kind === 'float' ? message : `[native histogram] ${message}`,
  });
  if (c.results.some((r) => r.values.includes('{{')))
    return fail('native histogram results are not supported yet');
  let outcome: QueryOutcome | undefined;
  let error: Error | undefined;
  try {
    outcome = c.instant
      ? engine.instantQuery(storage, c.query, parseTestTime(c.at))
      : engine.rangeQuery(storage, c.query, parseTestTime(c.at), parseTestTime(c.end), parseTestTime(c.step));
  } catch (e) {
    error = e as Error;
  }
  const failExp = c.expects.find((x) => x.kind === 'fail');
  if (error !== undefined) {
    if ((error as { code?: string }).code === 'ERR_UNSUPPORTED') return fail(`unsupported: ${error.message}`);
    if (failExp === undefined) return fail(`unexpected error: ${error.message}`);
    for (const f of c.expects.filter((x) => x.kind === 'fail')) {
      if (f.match === 'msg' && f.text !== error.message)
        return fail(`expected error ${JSON.stringify(f.text)}, got ${JSON.stringify(error.message)}`);
      if (f.match === 'regex' && !new RegExp(f.text ?? '').test(error.message))
        return fail(
          `expected error matching ${JSON.stringify(f.text)}, got ${JSON.stringify(error.message)}`,
        );
    }
    return { ...base, passed: true };
  }
  if (failExp !== undefined || outcome === undefined) return fail('expected an error, got none');
  const annotationProblem =
    checkAnnotations(c, 'warn', outcome.warnings) ?? checkAnnotations(c, 'info', outcome.infos);
  if (annotationProblem !== undefined) return fail(annotationProblem);
  let problem: string | undefined;
  try {
    problem = compareOutcome(c, outcome);
  } catch (e) {
    problem = `bad expected result: ${(e as Error).message}`;
  }
  return problem === undefined ? { ...base, passed: true } : fail(problem);
}

function annotationMatches(x: Expectation, a: string): boolean {
  if (x.match === 'msg') return x.text === a;
  if (x.match === 'regex') return new RegExp(x.text ?? '').test(a);
  return true;
}

/** Checks annotations of one kind against the eval's expect lines, as the README describes. */
function checkAnnotations(c: EvalCommand, kind: 'warn' | 'info', got: string[]): string | undefined {
  const expects = c.expects.filter((x) => x.kind === kind);
  if (c.expects.some((x) => x.kind === `no_${kind}`) && got.length > 0)
    return `expected no ${kind} annotations, got: ${got.join('; ')}`;
  for (const x of expects) {
    if (!got.some((a) => annotationMatches(x, a)))
      return `expected a ${kind} annotation${x.text === undefined ? '' : ` ${x.match ?? ''} ${JSON.stringify(x.text)}`}, got: ${got.length === 0 ? 'none' : got.join('; ')}`;
  }
  if (expects.length > 0) {
    for (const a of got)
      if (!expects.some((x) => annotationMatches(x, a))) return `unexpected ${kind} annotation: ${a}`;
  }
  return undefined;
}
