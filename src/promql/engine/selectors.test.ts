import assert from 'node:assert/strict';
import { test } from 'node:test';
import { STALE_NAN, isStaleNaN } from '../../model/value.js';
import type { SampleIterator, SampleSink } from '../../storage/interface.js';
import { ValueType } from '../../storage/interface.js';
import { SampleBuffer } from './selectors.js';

/** An iterator with only the bulk read: runs of three samples, a staleness marker and a NaN among them. */
function bulk(n: number): SampleIterator {
  const ts = Float64Array.from({ length: n }, (_, i) => i * 10);
  const vs = Float64Array.from({ length: n }, (_, i) => (i === 5 ? STALE_NAN : i === 6 ? NaN : i));
  return {
    next: () => ValueType.None,
    seek: () => ValueType.None,
    t: () => 0,
    v: () => 0,
    err: () => undefined,
    readRange(mint: number, maxt: number, sink: SampleSink) {
      let lo = 0;
      while (lo < n && ts[lo] < mint) lo++;
      let hi = lo;
      while (hi < n && ts[hi] <= maxt) hi++;
      for (let from = lo; from < hi; from += 3) sink.push(ts, vs, from, Math.min(hi, from + 3));
    },
  };
}

test('SampleBuffer reads bulk runs, growing past its first size, staleness markers dropped only when asked', () => {
  const buf = new SampleBuffer();
  const all = buf.read(bulk(200), 0, 1e9);
  assert.equal(all, 200);
  assert.ok(isStaleNaN(buf.vs[5]));
  const kept = buf.read(bulk(200), 20, 1000, true);
  assert.equal(kept, 99 - 1); // t = 20 … 1000, less the marker at t = 50
  assert.deepEqual(Array.from(buf.ts.subarray(0, 4)), [20, 30, 40, 60]);
  assert.ok(Number.isNaN(buf.vs[3]) && !isStaleNaN(buf.vs[3]), 'a plain NaN stays');
});
