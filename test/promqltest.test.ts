/**
 * Runs every promqltest script of the shared test data through the engine and pins the number of
 * passing evals per file as a floor, so regressions fail. Raise the floors as the engine grows.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runScript } from '../src/promql/promqltest/index.js';

const DIR = '/work/shared/testdata/promqltest';

const FLOORS: Record<string, number> = {
  'aggregators.test': 125,
  'collision.test': 2,
  'functions.test': 320,
  'histograms.test': 78,
  'literals.test': 25,
  'name_label_dropping.test': 30,
  'native_histograms.test': 3,
  'operators.test': 142,
  'selectors.test': 31,
  'staleness.test': 17,
};

for (const [file, floor] of Object.entries(FLOORS)) {
  test(`promqltest ${file}: at least ${floor} evals pass`, () => {
    const results = runScript(readFileSync(join(DIR, file), 'utf8'));
    const passed = results.filter((r) => r.passed).length;
    assert.ok(passed >= floor, `${file}: ${passed} passed, floor ${floor}`);
  });
}
