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

/**
 * Per file: how many evals are float ones (all must pass; the count guards the classification,
 * so a float eval cannot slip into the native-histogram kind unnoticed) and the least number of
 * native-histogram evals that must pass.
 */
const FLOORS: Record<string, { float: number; nativeHistogram: number }> = {
  'aggregators.test': { float: 125, nativeHistogram: 0 },
  'collision.test': { float: 2, nativeHistogram: 0 },
  'functions.test': { float: 323, nativeHistogram: 56 },
  'histograms.test': { float: 93, nativeHistogram: 0 },
  'literals.test': { float: 25, nativeHistogram: 0 },
  'name_label_dropping.test': { float: 30, nativeHistogram: 0 },
  'native_histograms.test': { float: 3, nativeHistogram: 0 },
  'operators.test': { float: 142, nativeHistogram: 3 },
  'selectors.test': { float: 31, nativeHistogram: 0 },
  'staleness.test': { float: 17, nativeHistogram: 0 },
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

for (const [file, floor] of Object.entries(FLOORS)) {
  test(`promqltest ${file}: all ${floor.float} float evals pass, native histograms ≥ ${floor.nativeHistogram}`, (t) => {
    const c = count(runScript(readFileSync(join(DIR, file), 'utf8')));
    t.diagnostic(
      `${file}: float ${c.floatPassed} passed, ${c.floatFailed.length} failed; native histogram ${c.nhPassed} passed, ${c.nhFailed} failed`,
    );
    assert.equal(c.floatFailed.length, 0, describe(file, c.floatFailed));
    assert.ok(
      c.floatPassed >= floor.float,
      `${file}: only ${c.floatPassed} float evals, expected ${floor.float}`,
    );
    assert.ok(
      c.nhPassed >= floor.nativeHistogram,
      `${file}: ${c.nhPassed} native-histogram evals passed, floor ${floor.nativeHistogram}`,
    );
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
