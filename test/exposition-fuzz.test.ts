/**
 * Random byte mutations of valid payloads: the parsers must either parse or throw `ParseError` —
 * never another error, never loop forever (each parse is bounded by the entries it may yield).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { Entry, OpenMetricsParser, ParseError, TextParser } from '../src/exposition/index.js';
import type { ExpositionParser } from '../src/exposition/index.js';
import { SHARED_TESTDATA } from './support/paths.js';
import { mulberry32 } from './support/random.js';

const INTERESTING = Buffer.from('{}",=\\# \n\t.e+-0123456789aZ_:\x00\xff');

function mutate(input: Buffer, rand: () => number): Buffer {
  const bytes = [...input];
  const n = 1 + Math.floor(rand() * 4);
  for (let i = 0; i < n; i++) {
    const at = Math.floor(rand() * (bytes.length + 1));
    const byte =
      rand() < 0.7 ? INTERESTING[Math.floor(rand() * INTERESTING.length)] : Math.floor(rand() * 256);
    const op = rand();
    if (op < 0.4) bytes[at] = byte;
    else if (op < 0.7) bytes.splice(at, 0, byte);
    else bytes.splice(at, 1 + Math.floor(rand() * 3));
  }
  return Buffer.from(bytes);
}

/** Parses everything the parser offers; returns how many entries it yielded. */
function drain(p: ExpositionParser, limit: number): number {
  let n = 0;
  for (let k = p.next(); k !== Entry.EOF; k = p.next()) {
    if (++n > limit) throw new Error('parser does not terminate');
    if (k === Entry.Series) {
      p.labels();
      p.exemplar();
      p.seriesKey();
      p.timestamp();
    } else if (k === Entry.Help) p.help();
  }
  return n;
}

const seeds: Buffer[] = [];
const dir = path.join(SHARED_TESTDATA, 'openmetrics');
for (const d of readdirSync(dir).sort()) {
  const f = path.join(dir, d, 'metrics');
  if (existsSync(f) && d.startsWith('bad_') === false) seeds.push(readFileSync(f));
}
seeds.push(
  Buffer.from(
    '# HELP node_cpu_seconds_total Seconds.\n# TYPE node_cpu_seconds_total counter\n' +
      'node_cpu_seconds_total{cpu="0",mode="idle"} 1234.5 1700000000000\n{"my.metric", "x.y"="z"} 1\n' +
      '# TYPE lat histogram\nlat_bucket{le="0.1"} 1\nlat_bucket{le="+Inf"} 2\nlat_sum 0.3\nlat_count 2\n',
  ),
);

void describe('exposition parsers under random mutation', () => {
  for (const [format, make] of [
    ['text', (b: Buffer) => new TextParser(b)],
    ['openmetrics', (b: Buffer) => new OpenMetricsParser(b)],
    ['openmetrics unvalidated', (b: Buffer) => new OpenMetricsParser(b, { validate: false })],
  ] as const) {
    void it(`${format}: only ParseError, always terminates`, () => {
      const rand = mulberry32(format.length);
      let rejected = 0;
      for (let i = 0; i < 3000; i++) {
        const input = mutate(seeds[i % seeds.length], rand);
        try {
          drain(make(input), input.length + 2);
        } catch (e) {
          if (!(e instanceof ParseError)) {
            assert.fail(`iteration ${i}: ${String(e)} on input ${JSON.stringify(input.toString('latin1'))}`);
          }
          assert.ok(e.line >= 1 && e.column >= 1, e.message);
          rejected++;
        }
      }
      assert.ok(rejected > 0, 'mutations should break some inputs');
    });
  }
});
