/**
 * Random float series for the XOR chunk tests: times with steady, jittered, repeated, negative and
 * huge steps (every delta-of-delta width), values with NaN payloads, staleness markers, ±Inf, −0,
 * gauges, counters and repeats.
 */
import { STALE_NAN } from '../../src/model/value.js';
import { XorChunk } from '../../src/tsdb/chunkenc/xor.js';

const scratch = new DataView(new ArrayBuffer(8));
function fromBits(hi: number, lo: number): number {
  scratch.setUint32(0, hi);
  scratch.setUint32(4, lo);
  return scratch.getFloat64(0);
}

const specials = [NaN, STALE_NAN, Infinity, -Infinity, -0, 0, Number.MIN_VALUE, -Number.MAX_VALUE, 1, 1e-300];

/**
 * A series as two typed arrays: V8 canonicalises NaN payloads in ordinary double arrays, so the
 * values must live in a `Float64Array` for the staleness marker and other payloads to survive.
 */
export interface Series {
  ts: Float64Array;
  vs: Float64Array;
}

export function randomSeries(rnd: () => number, n: number): Series {
  const ts = new Float64Array(n);
  const vs = new Float64Array(n);
  let t = Math.floor((rnd() - 0.5) * 2 ** 45);
  let v = 0;
  for (let i = 0; i < n; i++) {
    const r = rnd();
    if (r < 0.5) t += 15000 + Math.floor((rnd() - 0.5) * 200);
    else if (r < 0.6)
      t += Math.floor(rnd() * 2 ** 40); // large jump
    else if (r < 0.7)
      t -= Math.floor(rnd() * 100000); // negative delta
    else if (r < 0.8) t += 0;
    else t += Math.floor(rnd() * 1e6);
    const k = rnd();
    if (k < 0.15) v = specials[Math.floor(rnd() * specials.length)]!;
    else if (k < 0.3)
      v = fromBits(Math.floor(rnd() * 2 ** 32), Math.floor(rnd() * 2 ** 32)); // any bits, NaN payloads too
    else if (k < 0.5)
      v = Math.round(rnd() * 1000) / 10; // gauge, few digits
    else if (k < 0.7 && v === v) v += Math.floor(rnd() * 100); // counter
    // else: repeat the previous value
    ts[i] = t;
    vs[i] = v;
  }
  return { ts, vs };
}

export function buildSeries(s: Series, from = 0, to = s.ts.length, chunk = new XorChunk()): XorChunk {
  const app = chunk.appender();
  for (let i = from; i < to; i++) app.append(s.ts[i], s.vs[i]);
  return chunk;
}
