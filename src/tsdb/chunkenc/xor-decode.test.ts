import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ValueType } from '../../storage/interface.js';
import { float64Bits } from '../../model/value.js';
import { CorruptionError } from '../encoding/errors.js';
import { XorChunk, XorIterator } from './xor.js';
import { XorDecoder } from './xor-decode.js';
import { mulberry32 } from '../../../test/support/random.js';
import { buildSeries, randomSeries } from '../../../test/support/xor-series.js';

/** A sample as text, the value by its bits (NaN payloads compared too). */
const sample = (t: number, v: number): string => `${t} ${float64Bits(v).join(',')}`;

/** The cursor's samples and error: the reference the decoder must agree with. */
function cursor(bytes: Uint8Array): { samples: string[]; err: Error | undefined } {
  const it = new XorIterator(bytes);
  const samples: string[] = [];
  while (it.next() === ValueType.Float) samples.push(sample(it.t(), it.v()));
  return { samples, err: it.err() };
}

function decoded(d: XorDecoder, bytes: Uint8Array): string[] {
  const n = d.decode(bytes);
  return Array.from({ length: n }, (_, i) => sample(d.ts[i], d.vs[i]));
}

test('XorDecoder: random chunks decode as the cursor reads them, bit-exactly', () => {
  const rnd = mulberry32(7);
  const d = new XorDecoder();
  for (let round = 0; round < 400; round++) {
    const c = buildSeries(randomSeries(rnd, Math.floor(rnd() * 300)));
    const want = cursor(c.bytes());
    assert.deepEqual(decoded(d, c.bytes()), want.samples, `round ${round}`);
    assert.equal(d.err, undefined);
  }
});

test('XorDecoder: truncated and damaged chunks give the same samples as the cursor, then an error', () => {
  const rnd = mulberry32(11);
  const d = new XorDecoder();
  let errors = 0;
  for (let round = 0; round < 400; round++) {
    const bytes = buildSeries(randomSeries(rnd, 2 + Math.floor(rnd() * 200)))
      .bytes()
      .slice();
    let input: Uint8Array;
    if (round % 2 === 0) input = bytes.subarray(0, Math.floor(rnd() * bytes.length));
    else {
      input = bytes;
      input[2 + Math.floor(rnd() * (bytes.length - 2))] ^= 1 << Math.floor(rnd() * 8);
    }
    const want = cursor(input);
    const got = decoded(d, input);
    // On a bad significant-bit count the cursor still yields that sample before it stops.
    const same = want.samples.slice(0, got.length);
    assert.deepEqual(got, same, `round ${round}`);
    assert.ok(got.length >= want.samples.length - 1, `round ${round}`);
    assert.equal(d.err !== undefined, want.err !== undefined, `round ${round}`);
    if (d.err !== undefined) errors++;
  }
  assert.ok(errors > 100, 'most damage is detected');
  assert.ok(d.decode(new Uint8Array(1)) === 0 && d.err instanceof CorruptionError);
});

test('XorDecoder: a chunk of more samples than its arrays hold grows them', () => {
  const c = new XorChunk();
  const app = c.appender();
  for (let i = 0; i < 1000; i++) app.append(i * 1000, i);
  const d = new XorDecoder();
  assert.equal(d.decode(c.bytes()), 1000);
  assert.equal(d.ts[999], 999_000);
  assert.equal(d.vs[999], 999);
});
