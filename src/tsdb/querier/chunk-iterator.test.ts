import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ValueType } from '../../storage/interface.js';
import { XorChunk } from '../chunkenc/xor.js';
import { mulberry32 } from '../../../test/support/random.js';
import type { ChunkHandle, Interval } from './chunk-iterator.js';
import { ChunkSeriesIterator } from './chunk-iterator.js';

/** Chunks of 1–150 samples, 10–20 ms apart, from t = 0. */
function chunks(rnd: () => number, count: number): ChunkHandle[] {
  const out: ChunkHandle[] = [];
  let t = 0;
  for (let c = 0; c < count; c++) {
    const chunk = new XorChunk();
    const app = chunk.appender();
    const mint = t;
    const n = 1 + Math.floor(rnd() * 150);
    for (let i = 0; i < n; i++, t += 10 + Math.floor(rnd() * 10)) app.append(t, Math.floor(rnd() * 1000) / 8);
    const bytes = chunk.bytes().slice();
    out.push({ mint, maxt: t - 1, data: () => bytes });
  }
  return out;
}

/** The samples by seek and next (the reference), then by readRange. */
function both(
  cs: ChunkHandle[],
  [mint, maxt]: [number, number],
  deleted: Interval[],
  [lo, hi]: [number, number],
) {
  const want: string[] = [];
  const it = new ChunkSeriesIterator(cs, mint, maxt, deleted);
  for (let k = it.seek(lo); k === ValueType.Float && it.t() <= hi; k = it.next())
    want.push(`${it.t()}=${it.v()}`);
  const got: string[] = [];
  const bulk = new ChunkSeriesIterator(cs, mint, maxt, deleted);
  bulk.readRange(lo, hi, {
    push(ts, vs, from, to) {
      for (let i = from; i < to; i++) got.push(`${ts[i]}=${vs[i]}`);
    },
  });
  return { want, got, errs: [it.err(), bulk.err()] };
}

test('readRange hands over the samples seek and next give, within both ranges, around deletions', () => {
  const rnd = mulberry32(3);
  for (let round = 0; round < 200; round++) {
    const cs = chunks(rnd, 1 + Math.floor(rnd() * 6));
    const end = cs[cs.length - 1].maxt;
    const r = (): number => Math.floor(rnd() * (end + 40)) - 20;
    const [a, b, c, d] = [r(), r(), r(), r()];
    const deleted = round % 3 === 0 ? [{ mint: Math.min(c, d), maxt: Math.max(c, d) }] : [];
    const { want, got } = both(cs, [Math.min(a, b), Math.max(a, b)], deleted, [r(), r() + end / 2]);
    assert.deepEqual(got, want, `round ${round}`);
  }
});

test('readRange stops at a damaged chunk with its error, after the samples before the damage', () => {
  const cs = chunks(mulberry32(5), 3);
  const good = cs[1].data();
  const cut = good.subarray(0, good.length - 4);
  const damaged = [cs[0], { ...cs[1], data: () => cut }, cs[2]];
  const { want, got, errs } = both(damaged, [0, 1e9], [], [0, 1e9]);
  assert.deepEqual(got, want);
  assert.ok(errs[0] !== undefined && errs[1] !== undefined);
  assert.equal(errs[1]?.message, errs[0]?.message);
});
