/**
 * Runs every promqltest script of the shared test data through the engine. In the main files every
 * float eval must pass; evals involving native histograms (not implemented yet) are held to
 * per-file floors so regressions still fail. Experimental files are held to floors only. Raise the
 * floors as the engine grows.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runScript } from '../src/promql/promqltest/index.js';
import type { EvalResult } from '../src/promql/promqltest/index.js';
import { SHARED_TESTDATA } from './support/paths.js';

const DIR = join(SHARED_TESTDATA, 'promqltest');

/** Per file: the least number of native-histogram evals that must pass. */
const NATIVE_HISTOGRAM_FLOORS: Record<string, number> = {
  'aggregators.test': 0,
  'collision.test': 0,
  'functions.test': 56,
  'histograms.test': 0,
  'literals.test': 0,
  'name_label_dropping.test': 0,
  'native_histograms.test': 0,
  'operators.test': 3,
  'selectors.test': 0,
  'staleness.test': 0,
};

/** Experimental files (`experimental/`): the least number of evals of any kind that must pass. */
const EXPERIMENTAL_FLOORS: Record<string, number> = {
  'duration_expression.test': 59,
  'extended_vectors.test': 120,
  'fill-modifier.test': 46,
  'info.test': 52,
  'start_timestamps.test': 2,
  'type_and_unit.test': 58,
};

interface Counts {
  floatPassed: number;
  floatFailed: EvalResult[];
  nhPassed: number;
  nhFailed: number;
}

function count(results: EvalResult[]): Counts {
  const c: Counts = { floatPassed: 0, floatFailed: [], nhPassed: 0, nhFailed: 0 };
  for (const r of results) {
    if (r.kind === 'float') {
      if (r.passed) c.floatPassed++;
      else c.floatFailed.push(r);
    } else if (r.passed) c.nhPassed++;
    else c.nhFailed++;
  }
  return c;
}

function describe(file: string, failures: EvalResult[]): string {
  return failures.map((r) => `${file}:${r.line}: ${r.text}\n  ${r.message ?? ''}`).join('\n');
}

for (const [file, floor] of Object.entries(NATIVE_HISTOGRAM_FLOORS)) {
  test(`promqltest ${file}: every float eval passes, native histograms ≥ ${floor}`, (t) => {
    const c = count(runScript(readFileSync(join(DIR, file), 'utf8')));
    t.diagnostic(
      `${file}: float ${c.floatPassed} passed, ${c.floatFailed.length} failed; native histogram ${c.nhPassed} passed, ${c.nhFailed} failed`,
    );
    assert.equal(c.floatFailed.length, 0, describe(file, c.floatFailed));
    assert.ok(c.nhPassed >= floor, `${file}: ${c.nhPassed} native-histogram evals passed, floor ${floor}`);
  });
}

for (const [file, floor] of Object.entries(EXPERIMENTAL_FLOORS)) {
  test(`promqltest experimental/${file}: at least ${floor} evals pass`, (t) => {
    const results = runScript(readFileSync(join(DIR, 'experimental', file), 'utf8'));
    const c = count(results);
    t.diagnostic(
      `experimental/${file}: float ${c.floatPassed} passed, ${c.floatFailed.length} failed; native histogram ${c.nhPassed} passed, ${c.nhFailed} failed`,
    );
    const passed = c.floatPassed + c.nhPassed;
    assert.ok(passed >= floor, `experimental/${file}: ${passed} passed, floor ${floor}`);
  });
}
