/**
 * XOR chunk encode and decode throughput, and bytes per sample, on node-exporter-like data:
 * counters with jittered increments, gauges with few significant digits, a 15 s scrape interval
 * with a little timestamp jitter, 120 samples per chunk (Prometheus' target for 30 min chunks).
 *
 * Run: `npm run bench:tsdb-chunk` (builds first). Figures go in docs/benchmarks.md.
 *
 * Throughput is measured in process CPU time (user + system), which shared, loaded machines
 * disturb less than wall-clock time; the wall-clock figure is printed beside it.
 */

import { ValueType } from '../src/storage/interface.js';
import { XorChunk, XorIterator } from '../src/tsdb/chunkenc/index.js';
import { mulberry32 } from '../test/support/random.js';

const SERIES = 2000;
const SAMPLES = 120;
const INTERVAL = 15000;
const ROUNDS = 7;

/** Builds `SERIES` series of `SAMPLES` samples as flat typed arrays (series-major). */
function fixture(): { ts: Float64Array; vs: Float64Array } {
  const rnd = mulberry32(1);
  const ts = new Float64Array(SERIES * SAMPLES);
  const vs = new Float64Array(SERIES * SAMPLES);
  const start = 1_700_000_000_000;
  for (let s = 0; s < SERIES; s++) {
    const kind = s % 5;
    let v = kind === 0 ? Math.floor(rnd() * 1e6) / 100 : Math.floor(rnd() * 1e9);
    for (let i = 0; i < SAMPLES; i++) {
      const k = s * SAMPLES + i;
      // Most scrapes land on the interval exactly; some are a few milliseconds late.
      ts[k] = start + i * INTERVAL + (rnd() < 0.2 ? Math.floor(rnd() * 5) : 0);
      switch (kind) {
        case 0: // CPU seconds counter: ~15 s per 15 s with jitter, two decimals
          v = Math.round((v + 14.5 + rnd()) * 100) / 100;
          break;
        case 1: // bytes counter: jittered increments
          v += Math.floor(rnd() * 50000);
          break;
        case 2: // memory gauge, in 4 KiB pages
          v = Math.max(0, v + Math.floor((rnd() - 0.5) * 64) * 4096);
          break;
        case 3: // load average / temperature gauge: two significant decimals
          v = Math.round(rnd() * 400) / 100;
          break;
        default: // a counter that rarely moves (errors, restarts)
          if (rnd() < 0.05) v += 1;
      }
      vs[k] = v;
    }
  }
  return { ts, vs };
}

function encodeAll(ts: Float64Array, vs: Float64Array): XorChunk[] {
  const chunks: XorChunk[] = [];
  for (let s = 0; s < SERIES; s++) {
    const c = new XorChunk();
    const app = c.appender();
    const base = s * SAMPLES;
    for (let i = 0; i < SAMPLES; i++) app.append(ts[base + i], vs[base + i]);
    chunks.push(c);
  }
  return chunks;
}

function decodeAll(chunks: XorChunk[], it: XorIterator): number {
  let sum = 0;
  for (const c of chunks) {
    c.iterator(it);
    while (it.next() === ValueType.Float) sum += it.t() + it.v();
  }
  return sum;
}

/** Process CPU time in seconds. */
function cpuNow(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

function main(): void {
  const { ts, vs } = fixture();
  const total = SERIES * SAMPLES;
  const enc: number[] = [];
  const dec: number[] = [];
  let chunks: XorChunk[] = [];
  const it = new XorIterator();
  let sink = 0;
  const encWall: number[] = [];
  const decWall: number[] = [];
  for (let r = 0; r < ROUNDS + 2; r++) {
    let c0 = cpuNow();
    let w0 = performance.now();
    chunks = encodeAll(ts, vs);
    if (r >= 2) {
      enc.push(cpuNow() - c0);
      encWall.push((performance.now() - w0) / 1000);
    }
    c0 = cpuNow();
    w0 = performance.now();
    sink += decodeAll(chunks, it);
    if (r >= 2) {
      dec.push(cpuNow() - c0);
      decWall.push((performance.now() - w0) / 1000);
    }
  }
  let bytes = 0;
  const byKind = [0, 0, 0, 0, 0];
  chunks.forEach((c, s) => {
    bytes += c.bytes().length;
    byKind[s % 5] += c.bytes().length;
  });
  const fmt = (n: number): string => `${(n / 1e6).toFixed(1)} M samples/s`;
  console.log(
    `series=${SERIES} samples/chunk=${SAMPLES} interval=${INTERVAL / 1000}s rounds=${ROUNDS} (median)`,
  );
  console.log(`encode: ${fmt(total / median(enc))} CPU time (${fmt(total / median(encWall))} wall)`);
  console.log(`decode: ${fmt(total / median(dec))} CPU time (${fmt(total / median(decWall))} wall)`);
  console.log(`size:   ${(bytes / total).toFixed(3)} bytes/sample (${bytes} bytes, headers included)`);
  const names = ['cpu seconds', 'bytes counter', 'memory gauge', 'load gauge', 'rare counter'];
  const perKind = byKind.map((b, k) => `${names[k]} ${(b / (total / 5)).toFixed(2)}`).join(', ');
  console.log(`bytes/sample by kind: ${perKind}`);
  if (sink === 42) console.log(''); // keep the decode loop from being optimised away
}

main();
