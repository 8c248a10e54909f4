/**
 * A deterministic generator of node-exporter-like samples for benchmarks: many series per target
 * (1,000 per `instance`), scraped every 15 s. Series kinds come in node-exporter-like proportions:
 * constants (sizes, info metrics), rarely-moving counters (errors, drops), CPU-seconds counters
 * with jittered increments and two decimals, byte counters with random increments, memory gauges in
 * 4 KiB steps and load-like gauges with two decimals.
 *
 * State is two typed arrays (no object per series), so holding the generator for a million
 * series costs ~16 MB and does not disturb heap measurements of what it feeds.
 */
import { Labels } from '../src/model/labels.js';
import { mulberry32 } from '../test/support/random.js';

/** Scrape interval, ms. */
export const INTERVAL = 15_000;
/** Series per target (`instance`): one scrape, one appender transaction. */
export const SERIES_PER_TARGET = 1000;
/** The first scrape's timestamp, on a 2h boundary so blocks are cut on whole ranges. */
export const START = 1_700_006_400_000;

/** What a series measures, which decides how its value moves. */
export const enum Kind {
  Constant,
  RareCounter,
  CpuCounter,
  BytesCounter,
  MemoryGauge,
  LoadGauge,
}

const METRIC_NAMES = [
  'node_filesystem_size_bytes',
  'node_network_receive_errs_total',
  'node_cpu_seconds_total',
  'node_network_receive_bytes_total',
  'node_memory_Active_bytes',
  'node_load1',
];

/** The kind of series `i`: 45 % constant, 25 % rare counters, 10 % CPU, 5 % bytes, 10 % memory, 5 % load. */
export function kindOf(i: number): Kind {
  const r = i % 20;
  if (r < 9) return Kind.Constant;
  if (r < 14) return Kind.RareCounter;
  if (r < 16) return Kind.CpuCounter;
  if (r < 17) return Kind.BytesCounter;
  if (r < 19) return Kind.MemoryGauge;
  return Kind.LoadGauge;
}

/** The labels of series `i` (5 labels, ~110 bytes, as node exporter's). Allocates; cache the result. */
export function labelsFor(i: number): Labels {
  const target = Math.floor(i / SERIES_PER_TARGET);
  const j = i % SERIES_PER_TARGET;
  return Labels.from({
    __name__: METRIC_NAMES[kindOf(i)],
    instance: instanceOf(target),
    job: 'node',
    device: `dev${Math.floor(j / 20)}`,
    mode: `m${j % 20}`,
  });
}

/** The `instance` label value of target `target`. */
export function instanceOf(target: number): string {
  return `node-${String(target).padStart(4, '0')}:9100`;
}

/** Samples of `series` series over successive scrapes. */
export class NodeExporterData {
  readonly series: number;
  readonly #values: Float64Array;
  readonly #kinds: Uint8Array;
  readonly #rnd: () => number;

  constructor(series: number, seed = 7) {
    this.series = series;
    this.#rnd = mulberry32(seed);
    this.#values = new Float64Array(series);
    this.#kinds = new Uint8Array(series);
    for (let i = 0; i < series; i++) {
      const kind = kindOf(i);
      this.#kinds[i] = kind;
      this.#values[i] = kind === Kind.LoadGauge ? 1 : Math.floor(this.#rnd() * 1e9);
    }
  }

  /** Number of targets (transactions per scrape round). */
  get targets(): number {
    return Math.ceil(this.series / SERIES_PER_TARGET);
  }

  /**
   * Timestamp of scrape `k` of a target: on the 15 s grid, 2 % of scrapes a millisecond late
   * (Prometheus aligns scrape timestamps within 2 ms; a few stay off).
   */
  time(k: number, target: number): number {
    return START + k * INTERVAL + ((k * 7 + target) % 50 === 0 ? 1 : 0);
  }

  /** Advances series `i` by one scrape and returns its new value. */
  next(i: number): number {
    let v = this.#values[i];
    const rnd = this.#rnd;
    switch (this.#kinds[i] as Kind) {
      case Kind.Constant:
        return v;
      case Kind.RareCounter:
        if (rnd() < 0.01) v += 1;
        break;
      case Kind.CpuCounter:
        v = Math.round((v + 14.5 + rnd()) * 100) / 100;
        break;
      case Kind.BytesCounter:
        v += Math.floor(rnd() * 50_000);
        break;
      case Kind.MemoryGauge:
        v = Math.max(0, v + Math.floor((rnd() - 0.5) * 64) * 4096);
        break;
      case Kind.LoadGauge:
        v = Math.round(Math.max(0, v + (rnd() - 0.5) * 0.2) * 100) / 100;
        break;
    }
    this.#values[i] = v;
    return v;
  }
}
