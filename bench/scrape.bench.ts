/**
 * Scrape-and-append throughput of one scrape loop: a 10,000-series payload (node-exporter-like
 * families with HELP/TYPE lines) served by a local HTTP server, scraped back to back by a real
 * `ScrapeLoop` (HTTP, parse, cache, one transaction, synthetic series) into MemoryStorage, and
 * into an appender that discards (the scrape side's own cost). The parse+append step alone is
 * timed on the fetched body, with the cache warm, and for 200 targets' payloads round-robin (as a
 * server meets them, each cache cold in the CPU caches). GC pauses are counted with a
 * PerformanceObserver.
 *
 * Run: `npm run bench:scrape` (builds first). Figures go in docs/benchmarks.md.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PerformanceObserver } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import { Registry } from 'prom-client';
import { loadConfig } from '../src/config/load.js';
import { TextParser } from '../src/exposition/text-parser.js';
import { Labels } from '../src/model/labels.js';
import { MemoryStorage } from '../src/storage/memory.js';
import type { Appendable, Appender } from '../src/storage/interface.js';
import { AppendStats, appendScrape } from '../src/scrape/append.js';
import type { AppendOptions } from '../src/scrape/append.js';
import { ScrapeCache } from '../src/scrape/cache.js';
import { ScrapeLoop } from '../src/scrape/loop.js';
import { ScrapeMetrics } from '../src/scrape/metrics.js';
import { poolDispatcher } from '../src/scrape/scraper.js';
import { targetsFromGroup } from '../src/scrape/target.js';
import type { GroupTargets } from '../src/scrape/target.js';
import type { Logger } from '../src/util/logger.js';

const FAMILIES = 100;
const PER_FAMILY = 100;
const SCRAPES = Number(process.env['SCRAPE_BENCH_SCRAPES'] ?? 60);
const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} };

function payload(): string {
  let s = '';
  for (let f = 0; f < FAMILIES; f++) {
    const name = `node_family_${f}_seconds_total`;
    s += `# HELP ${name} Seconds the CPUs spent in each mode.\n# TYPE ${name} counter\n`;
    for (let i = 0; i < PER_FAMILY; i++) {
      s += `${name}{cpu="${i % 16}",mode="mode_${Math.floor(i / 16)}",device="dev${i}"} ${(f * 1000 + i * 13.37).toFixed(2)}\n`;
    }
  }
  return s;
}

/** An appender that keeps nothing: what the scrape side costs without storage. */
const discard: Appendable = {
  appender(): Appender {
    let ref = 0;
    return {
      append: (r) => (r > 0 ? r : ++ref),
      commit: () => Promise.resolve(),
      rollback: () => Promise.resolve(),
    };
  },
};

async function main(): Promise<void> {
  const text = Buffer.from(payload());
  const gz = gzipSync(text);
  const server = createServer((req, res) => {
    const gzip = /gzip/.test(req.headers['accept-encoding'] ?? '');
    res.writeHead(200, {
      'Content-Type': 'text/plain; version=0.0.4',
      ...(gzip ? { 'Content-Encoding': 'gzip' } : {}),
    });
    res.end(gzip ? gz : text);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  console.log(`payload: ${FAMILIES * PER_FAMILY} series, ${text.length} bytes (${gz.length} gzipped)`);

  let gcCount = 0;
  let gcMs = 0;
  const obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      gcCount++;
      gcMs += e.duration;
    }
  });
  obs.observe({ entryTypes: ['gc'] });

  for (const [label, gzip, storage] of [
    ['loop → discard, identity', false, 'discard'],
    ['loop → discard, gzip', true, 'discard'],
    ['loop → MemoryStorage, identity', false, 'memory'],
    ['loop → MemoryStorage, gzip', true, 'memory'],
  ] as const) {
    const cfg = loadConfig(
      `scrape_configs:\n- job_name: bench\n  scrape_interval: 10s\n  enable_compression: ${gzip}\n`,
      'bench.yml',
    ).scrapeConfigs[0];
    const out: GroupTargets = { active: [], dropped: [], failures: [] };
    targetsFromGroup(
      { source: '0', targets: [Labels.from({ __address__: address })], labels: Labels.EMPTY },
      cfg,
      out,
    );
    const appendable = storage === 'memory' ? new MemoryStorage() : discard;
    const loop = new ScrapeLoop(
      { target: out.active[0], config: cfg, offsetSeed: 0 },
      {
        appendable,
        logger: silent,
        metrics: new ScrapeMetrics(new Registry()),
        dispatcher: poolDispatcher(cfg.httpClient),
      },
    );
    for (let i = 0; i < 5; i++) await loop.scrapeOnce(); // warm-up: fills the cache, JIT
    if (out.active[0].health !== 'up') throw new Error(`scrape failed: ${out.active[0].lastError}`);
    gcCount = 0;
    gcMs = 0;
    const cpu0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < SCRAPES; i++) await loop.scrapeOnce();
    const secs = Number(process.hrtime.bigint() - t0) / 1e9;
    const cpu = process.cpuUsage(cpu0);
    const cpuSecs = (cpu.user + cpu.system) / 1e6;
    await new Promise((resolve) => setImmediate(resolve)); // let the GC observer report
    const samples = SCRAPES * FAMILIES * PER_FAMILY;
    console.log(
      `${label}: ${(samples / secs / 1e6).toFixed(2)} M samples/s, ${((secs / SCRAPES) * 1e6).toFixed(0)} µs/scrape wall, ` +
        `${((cpuSecs / SCRAPES) * 1e6).toFixed(0)} µs/scrape CPU (client+server), GC ${gcCount}× ${gcMs.toFixed(0)} ms`,
    );
  }

  // Parse + cache lookup + append alone, on a warm cache: the hot path without HTTP.
  const cfg = loadConfig('scrape_configs:\n- job_name: bench\n', 'bench.yml').scrapeConfigs[0];
  const options: AppendOptions = {
    targetLabels: Labels.from({ job: 'bench', instance: address }),
    honorLabels: false,
    honorTimestamps: true,
    trackTimestampsStaleness: false,
    metricRelabelConfigs: cfg.metricRelabelConfigs,
    labelLimits: cfg,
    sampleLimit: 0,
  };
  const cache = new ScrapeCache();
  const stats = new AppendStats();
  const run = (t: number): void => {
    const app = discard.appender();
    appendScrape(app, new TextParser(text), cache, options, t, stats);
    cache.iterDone(true, stats.total);
  };
  const cold0 = process.hrtime.bigint();
  run(1);
  const coldUs = Number(process.hrtime.bigint() - cold0) / 1e3;
  for (let i = 0; i < 5; i++) run(i + 2);
  gcCount = 0;
  gcMs = 0;
  const rounds = SCRAPES * 3;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < rounds; i++) run(i + 10);
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  await new Promise((resolve) => setImmediate(resolve));
  console.log(
    `parse+append (warm cache) → discard: ${((rounds * FAMILIES * PER_FAMILY) / secs / 1e6).toFixed(2)} M samples/s, ` +
      `${((secs / rounds) * 1e6).toFixed(0)} µs/scrape, GC ${gcCount}× ${gcMs.toFixed(0)} ms; first (cold cache) scrape ${coldUs.toFixed(0)} µs`,
  );
  manyTargets(options);
  obs.disconnect();
  server.closeAllConnections();
  server.close();
}

/**
 * Parse + cache lookup + append for 200 targets of 1,000 series each, round-robin as a server
 * scrapes them: each target's cache is cold in the CPU caches by the time it comes round again,
 * which a single target's back-to-back scrapes never show. CPU time per sample.
 */
function manyTargets(base: AppendOptions): void {
  const targets = 200;
  const bodies: Buffer[][] = [];
  const caches: ScrapeCache[] = [];
  const options: AppendOptions[] = [];
  for (let t = 0; t < targets; t++) {
    bodies.push([1, 2].map((round) => Buffer.from(targetPayload(t, round))));
    caches.push(new ScrapeCache());
    options.push({ ...base, targetLabels: Labels.from({ job: 'bench', instance: `host${t}:9100` }) });
  }
  const stats = new AppendStats();
  const round = (r: number): void => {
    for (let t = 0; t < targets; t++) {
      appendScrape(discard.appender(), new TextParser(bodies[t][r & 1]), caches[t], options[t], r, stats);
      caches[t].iterDone(true, stats.total);
    }
  };
  for (let r = 1; r <= 5; r++) round(r);
  const rounds = Math.max(3, Math.round(SCRAPES / 6));
  const cpu0 = process.cpuUsage();
  for (let r = 0; r < rounds; r++) round(10 + r);
  const cpu = process.cpuUsage(cpu0);
  const ns = ((cpu.user + cpu.system) * 1000) / (rounds * targets * 1000);
  console.log(
    `parse+append, ${targets} targets × 1,000 series round-robin → discard: ${ns.toFixed(0)} ns CPU/sample`,
  );
}

/** 1,000 series in 20 families with HELP/TYPE, values moving with `round`. */
function targetPayload(target: number, round: number): string {
  let s = '';
  for (let i = 0; i < 1000; i++) {
    const family = `node_family_${Math.floor(i / 50)}_total`;
    if (i % 50 === 0) s += `# HELP ${family} Help text.\n# TYPE ${family} counter\n`;
    s += `${family}{cpu="${i % 8}",device="dev${i % 50}",mode="m${i % 7}"} ${(round * 13.37 + i + target).toFixed(2)}\n`;
  }
  return s;
}

await main();
