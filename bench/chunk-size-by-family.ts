/**
 * Where the chunk bytes of real data go: reads an OpenMetrics file with timestamps (as
 * `vigil tsdb create-blocks-from openmetrics` takes), encodes each series in 120-sample XOR chunks
 * as a block holds them, and prints bytes per sample in all, for series whose value never changes
 * and for the rest, and by metric family. Chunk bytes include the segment's per-chunk length,
 * encoding and CRC, so the total matches a block's `chunks/` files (less their 8-byte headers).
 *
 * Run: `node dist/bench/chunk-size-by-family.js FILE.om [families to show, default 15]`. Used for
 * the real node-exporter recording in docs/benchmarks.md ("TSDB: bytes per sample on real data").
 */
import { readFileSync } from 'node:fs';
import { Entry } from '../src/exposition/entry.js';
import { OpenMetricsParser } from '../src/exposition/openmetrics-parser.js';
import { XorChunk } from '../src/tsdb/chunkenc/index.js';

const SAMPLES_PER_CHUNK = 120;
/** A chunk in a segment file: its length (a uvarint, 1–2 bytes here), encoding byte and CRC-32C. */
const CHUNK_FRAMING_BYTES = 1 + 1 + 4;

interface Series {
  family: string;
  ts: number[];
  vs: number[];
}

function readSeries(file: string): Map<string, Series> {
  const p = new OpenMetricsParser(readFileSync(file));
  const series = new Map<string, Series>();
  for (let kind = p.next(); kind !== Entry.EOF; kind = p.next()) {
    if (kind !== Entry.Series) continue;
    const key = p.seriesKey();
    let s = series.get(key);
    if (s === undefined) series.set(key, (s = { family: p.metricName(), ts: [], vs: [] }));
    const t = p.timestamp();
    if (t === undefined) throw new Error(`line ${p.line()}: a sample without a timestamp`);
    s.ts.push(t);
    s.vs.push(p.value());
  }
  return series;
}

function chunkBytes(s: Series): number {
  let bytes = 0;
  for (let from = 0; from < s.ts.length; from += SAMPLES_PER_CHUNK) {
    const c = new XorChunk();
    const app = c.appender();
    const to = Math.min(s.ts.length, from + SAMPLES_PER_CHUNK);
    for (let i = from; i < to; i++) app.append(s.ts[i], s.vs[i]);
    const size = c.bytes().length;
    bytes += size + CHUNK_FRAMING_BYTES + (size >= 128 ? 1 : 0);
  }
  return bytes;
}

function main(): void {
  const [file, shown = '15'] = process.argv.slice(2);
  if (file === undefined) throw new Error('usage: chunk-size-by-family FILE.om [families to show]');
  const families = new Map<string, { bytes: number; samples: number; series: number }>();
  const all = { bytes: 0, samples: 0 };
  const constant = { bytes: 0, samples: 0 };
  for (const s of readSeries(file).values()) {
    const bytes = chunkBytes(s);
    const f = families.get(s.family) ?? { bytes: 0, samples: 0, series: 0 };
    f.bytes += bytes;
    f.samples += s.ts.length;
    f.series++;
    families.set(s.family, f);
    all.bytes += bytes;
    all.samples += s.ts.length;
    if (s.vs.every((v) => Object.is(v, s.vs[0]))) {
      constant.bytes += bytes;
      constant.samples += s.ts.length;
    }
  }
  const perSample = (b: number, n: number): string => (b / n).toFixed(3);
  console.log(`${all.samples} samples: ${perSample(all.bytes, all.samples)} chunk bytes per sample`);
  console.log(
    `  series that never change: ${perSample(constant.bytes, constant.samples)} B/sample, ` +
      `${((100 * constant.samples) / all.samples).toFixed(0)} % of the samples`,
  );
  const moving = { bytes: all.bytes - constant.bytes, samples: all.samples - constant.samples };
  console.log(`  the others: ${perSample(moving.bytes, moving.samples)} B/sample`);
  console.log('share of bytes | B/sample | series | family');
  const rows = [...families].sort((a, b) => b[1].bytes - a[1].bytes).slice(0, Number(shown));
  for (const [name, f] of rows) {
    const share = ((100 * f.bytes) / all.bytes).toFixed(1).padStart(5);
    console.log(
      `${share} % | ${perSample(f.bytes, f.samples).padStart(6)} | ${String(f.series).padStart(4)} | ${name}`,
    );
  }
}

main();
