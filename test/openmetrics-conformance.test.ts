/**
 * The OpenMetrics conformance suite (`../shared/testdata/openmetrics`): every case must parse or be
 * rejected as its `test.json` says, and a rejection must name a line of the input.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { OpenMetricsParser, ParseError, Entry } from '../src/exposition/index.js';
import { SHARED_TESTDATA } from './support/paths.js';

interface Case {
  type: string;
  file: string;
  shouldParse: boolean;
}

const DIR = path.join(SHARED_TESTDATA, 'openmetrics');
const cases = readdirSync(DIR)
  .filter((d) => existsSync(path.join(DIR, d, 'test.json')))
  .sort();

function parseFully(input: Buffer): void {
  const p = new OpenMetricsParser(input);
  for (let k = p.next(); k !== Entry.EOF; k = p.next()) {
    if (k === Entry.Series) {
      p.labels();
      p.exemplar();
    }
  }
}

void describe('OpenMetrics conformance', () => {
  void it('finds the suite', () => {
    assert.ok(cases.length > 100, `only ${cases.length} cases in ${DIR}`);
  });
  for (const name of cases) {
    const c = JSON.parse(readFileSync(path.join(DIR, name, 'test.json'), 'utf8')) as Case;
    const input = readFileSync(path.join(DIR, name, c.file));
    void it(`${name} ${c.shouldParse ? 'parses' : 'is rejected'}`, () => {
      if (c.shouldParse) {
        parseFully(input);
        return;
      }
      assert.throws(
        () => parseFully(input),
        (e: unknown) => {
          assert.ok(e instanceof ParseError, `not a ParseError: ${String(e)}`);
          const lines = input.toString('utf8').split('\n').length;
          assert.ok(e.line >= 1 && e.line <= lines, `line ${e.line} outside 1..${lines}`);
          assert.match(e.message, /^\d+:\d+: \S/);
          return true;
        },
      );
    });
  }
});
