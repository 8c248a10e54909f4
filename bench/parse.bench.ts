/**
 * Exposition parsing throughput: a node-exporter-like payload of 10,000 series (~1 MB) in the text
 * format and in OpenMetrics, parsed cold (every sample's labels decoded) and warm (a scrape cache
 * maps the raw series text to a ref, so known series skip label parsing, as Prometheus' scrape
 * cache does). Run with `npm run bench:parse`.
 */
import { writeFileSync } from 'node:fs';
import { Entry, OpenMetricsParser, TextParser } from '../src/exposition/index.js';
import type { ExpositionParser } from '../src/exposition/index.js';
import { mulberry32 } from '../test/support/random.js';

const TARGET_SERIES = 10_000;

/** Values written the way Go's `%g`-style formatting of client libraries writes them. */
function value(rand: () => number, kind: 'counter' | 'gauge'): string {
  const r = rand();
  if (kind === 'counter') {
    if (r < 0.3) return String(Math.floor(rand() * 100000));
    if (r < 0.8) return (rand() * 1e6).toFixed(2);
    return (rand() * 1e12).toExponential(9).replace('e+', 'e+');
  }
  if (r < 0.4) return String(Math.floor(rand() * 1000));
  if (r < 0.8) return (rand() * 100).toPrecision(6);
  return (rand() * 1e10).toExponential(8);
}

interface Family {
  name: string;
  help: string;
  type: 'counter' | 'gauge' | 'histogram';
  lines: string[];
}

/** Builds the families; counters are named without `_total` and the writers add it. */
function generate(): Family[] {
  const families: Family[] = [];
  let series = 0;
  const add = (f: Family, n: number): void => {
    families.push(f);
    series += n;
  };
  const modes = ['idle', 'iowait', 'irq', 'nice', 'softirq', 'steal', 'system', 'user'];
  const cpu: string[] = [];
  for (let c = 0; c < 64; c++) for (const m of modes) cpu.push(`{cpu="${c}",mode="${m}"}`);
  add(
    { name: 'node_cpu_seconds', help: 'Seconds the CPUs spent in each mode.', type: 'counter', lines: cpu },
    cpu.length,
  );

  let round = 0;
  while (series < TARGET_SERIES) {
    round++;
    const devices = Array.from({ length: 24 }, (_, i) => `eth${i}`);
    for (const dir of ['receive', 'transmit']) {
      for (const what of ['bytes', 'packets', 'errs', 'drop']) {
        if (series >= TARGET_SERIES) break;
        const lines = devices.map(
          (d) => `{device="${d}",instance="host-${round}.example.com:9100",job="node"}`,
        );
        add(
          {
            name: `node_network_${dir}_${what}_r${round}`,
            help: `Network device statistic ${dir}_${what}.`,
            type: 'counter',
            lines,
          },
          lines.length,
        );
      }
    }
    const mounts = Array.from(
      { length: 20 },
      (_, i) => `{device="/dev/sd${String.fromCharCode(97 + i)}1",fstype="ext4",mountpoint="/srv/data${i}"}`,
    );
    for (const what of ['avail_bytes', 'free_bytes', 'size_bytes', 'files', 'files_free']) {
      if (series >= TARGET_SERIES) break;
      add(
        {
          name: `node_filesystem_${what}_r${round}`,
          help: `Filesystem ${what}.`,
          type: 'gauge',
          lines: mounts,
        },
        mounts.length,
      );
    }
    const bounds = ['0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1', '2.5', '5', '10', '+Inf'];
    const handlers = ['/api/v1/query', '/api/v1/query_range', '/api/v1/series', '/api/v1/labels', '/metrics'];
    const hist: string[] = [];
    for (const h of handlers)
      for (const code of ['200', '400', '500']) hist.push(`handler="${h}",code="${code}"`);
    if (series < TARGET_SERIES) {
      add(
        {
          name: `http_request_duration_seconds_r${round}`,
          help: 'Request latency.',
          type: 'histogram',
          lines: hist.flatMap((l) => bounds.map((b) => `${l},le="${b}"`)),
        },
        hist.length * (bounds.length + 2),
      );
    }
  }
  return families;
}

function render(families: readonly Family[], openMetrics: boolean): Buffer {
  const rand = mulberry32(7);
  let out = '';
  for (const f of families) {
    const name = f.type === 'counter' && !openMetrics ? f.name + '_total' : f.name;
    out += `# HELP ${name} ${f.help}\n# TYPE ${name} ${f.type}\n`;
    if (f.type === 'histogram') {
      let count = 0;
      let prefix = '';
      for (const l of f.lines) {
        const base = l.slice(0, l.indexOf(',le='));
        if (base !== prefix) {
          if (prefix !== '')
            out += `${f.name}_sum{${prefix}} ${(count * 0.12).toFixed(3)}\n${f.name}_count{${prefix}} ${count}\n`;
          prefix = base;
          count = 0;
        }
        count += Math.floor(rand() * 50);
        out += `${f.name}_bucket{${l}} ${count}\n`;
      }
      out += `${f.name}_sum{${prefix}} ${(count * 0.12).toFixed(3)}\n${f.name}_count{${prefix}} ${count}\n`;
    } else {
      const sample = f.type === 'counter' ? f.name + '_total' : f.name;
      for (const l of f.lines) out += `${sample}${l} ${value(rand, f.type)}\n`;
    }
  }
  if (openMetrics) out += '# EOF\n';
  return Buffer.from(out);
}

/** One scrape: returns the number of samples; `cache` makes it warm. */
function scrape(p: ExpositionParser, cache: Map<string, number> | undefined): number {
  let samples = 0;
  let sink = 0;
  for (let k = p.next(); k !== Entry.EOF; k = p.next()) {
    if (k !== Entry.Series) continue;
    samples++;
    sink += p.value();
    if (cache === undefined) {
      sink += p.labels().size;
      continue;
    }
    const key = p.seriesKey();
    const ref = cache.get(key);
    if (ref === undefined) {
      const l = p.labels();
      cache.set(key, cache.size + l.size);
    } else sink += ref;
  }
  if (sink === -1) console.log('unreachable');
  return samples;
}

interface Result {
  name: string;
  mbPerSec: number;
  samplesPerSec: number;
}

function measure(
  name: string,
  payload: Buffer,
  make: (b: Buffer) => ExpositionParser,
  warm: boolean,
): Result {
  const cache = warm ? new Map<string, number>() : undefined;
  let samples = 0;
  for (let i = 0; i < 30; i++) samples = scrape(make(payload), cache); // warm up the JIT (and the cache)
  const times: number[] = [];
  const deadline = performance.now() + 1500;
  while (times.length < 20 || performance.now() < deadline) {
    const t0 = performance.now();
    scrape(make(payload), cache);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const median = times[times.length >> 1] / 1000;
  return { name, mbPerSec: payload.length / 1e6 / median, samplesPerSec: samples / median };
}

const families = generate();
const text = render(families, false);
const om = render(families, true);
// PARSE_BENCH_DUMP=prefix writes the payloads out, for profiling or for feeding other tools.
const dump = process.env['PARSE_BENCH_DUMP'];
if (dump) {
  writeFileSync(`${dump}.prom`, text);
  writeFileSync(`${dump}.om.txt`, om);
}
const seriesCount = scrape(new TextParser(text), undefined);
console.log(
  `payload: ${seriesCount} series; text ${(text.length / 1e6).toFixed(2)} MB, OpenMetrics ${(om.length / 1e6).toFixed(2)} MB`,
);
console.log(`node ${process.version}`);

const results = [
  measure('text, cold (labels parsed)', text, (b) => new TextParser(b), false),
  measure('text, warm series cache', text, (b) => new TextParser(b), true),
  measure('OpenMetrics, cold', om, (b) => new OpenMetricsParser(b, { validate: false }), false),
  measure('OpenMetrics, warm series cache', om, (b) => new OpenMetricsParser(b, { validate: false }), true),
  measure('OpenMetrics, validated (spec checks)', om, (b) => new OpenMetricsParser(b), false),
];
console.log('| case | MB/s | samples/s |');
console.log('|---|---:|---:|');
for (const r of results)
  console.log(`| ${r.name} | ${r.mbPerSec.toFixed(0)} | ${(r.samplesPerSec / 1e6).toFixed(2)} M |`);
