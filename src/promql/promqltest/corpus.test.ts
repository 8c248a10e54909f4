import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { SHARED_TESTDATA } from '../../../test/support/paths.js';
import { formatExpr, parseExpr } from '../index.js';
import { extractEvalQueries } from './queries.js';

/** Prometheus' engine test scripts (`../shared/testdata/promqltest`). */
const DIR = path.join(SHARED_TESTDATA, 'promqltest') + path.sep;

test('extractEvalQueries: eval forms and expect fail', () => {
  const script = [
    'load 5m',
    '  x 1 2',
    'eval instant at 10m sum(x)',
    '  {} 3',
    'eval range from 0 to 10m step 5m rate(x[5m])',
    '  expect fail',
    'eval_fail instant at 0 foo(',
    'eval_ordered instant at 1m topk(1, x)',
  ].join('\n');
  assert.deepEqual(extractEvalQueries(script), [
    { line: 3, query: 'sum(x)', expectFail: false },
    { line: 5, query: 'rate(x[5m])', expectFail: true },
    { line: 7, query: 'foo(', expectFail: true },
    { line: 8, query: 'topk(1, x)', expectFail: false },
  ]);
});

/** Parses every `eval` query of the scripts in `dir` not marked to fail; returns counts and problems. */
function parseScripts(dir: string): { parsed: number; expectedFailures: number; problems: string[] } {
  let parsed = 0;
  let expectedFailures = 0;
  const problems: string[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.test'))) {
    for (const q of extractEvalQueries(readFileSync(dir + file, 'utf8'))) {
      if (q.expectFail) {
        expectedFailures++;
        continue;
      }
      try {
        const printed = formatExpr(parseExpr(q.query));
        const again = formatExpr(parseExpr(printed));
        if (again !== printed) problems.push(`${file}:${q.line}: reprint ${printed} became ${again}`);
        parsed++;
      } catch (e) {
        problems.push(`${file}:${q.line}: ${q.query}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }
  return { parsed, expectedFailures, problems };
}

test('every eval query of testdata/promqltest/*.test parses and reprints stably', (t) => {
  const { parsed, expectedFailures, problems } = parseScripts(DIR);
  t.diagnostic(
    `${parsed} queries parsed and reprinted; ${expectedFailures} marked to fail were not required to`,
  );
  assert.deepEqual(problems, []);
  assert.ok(parsed > 1500, `only ${parsed} queries found`);
});

test('every eval query of testdata/promqltest/experimental/*.test parses and reprints stably', (t) => {
  const dir = DIR + 'experimental/';
  const { parsed, expectedFailures, problems } = parseScripts(dir);
  t.diagnostic(`experimental: ${parsed} parsed and reprinted; ${expectedFailures} marked to fail`);
  assert.deepEqual(problems, []);
});
