/**
 * Exposition writing throughput: 10,000 node-exporter-like series (CPU counters, filesystem
 * gauges, a few histograms) written as text 0.0.4 and as OpenMetrics.
 * Each run includes encoding to UTF-8 bytes, as a server does. Run with
 * `npm run build && node dist/bench/write.bench.js`.
 */
import { Labels } from '../src/model/labels.js';
import type { MetricFamily, MetricPoint } from '../src/exposition/types.js';
import { writeText } from '../src/exposition/writer-text.js';
import { writeOpenMetrics } from '../src/exposition/writer-openmetrics.js';
import { mulberry32 } from '../test/support/random.js';

function families(): { fams: MetricFamily[]; series: number } {
  const rand = mulberry32(42);
  const fams: MetricFamily[] = [];
  let series = 0;
  const modes = ['idle', 'iowait', 'irq', 'nice', 'softirq', 'steal', 'system', 'user'];
  const cpu: MetricPoint[] = [];
  for (let c = 0; c < 64; c++)
    for (const mode of modes)
      cpu.push({
        name: 'node_cpu_seconds_total',
        labels: Labels.from({ cpu: String(c), mode }),
        value: rand() * 1e6,
      });
  fams.push({
    name: 'node_cpu_seconds',
    type: 'counter',
    help: 'Seconds the CPUs spent in each mode.',
    metrics: cpu,
  });
  series += cpu.length;
  for (let f = 0; series < 9000; f++) {
    const metrics: MetricPoint[] = [];
    for (let i = 0; i < 100; i++)
      metrics.push({
        name: `node_filesystem_metric_${f}_bytes`,
        labels: Labels.from({ device: `/dev/sd${i}`, fstype: 'ext4', mountpoint: `/mnt/data/${i}` }),
        value: Math.floor(rand() * 1e12),
      });
    fams.push({
      name: `node_filesystem_metric_${f}_bytes`,
      type: 'gauge',
      help: 'Filesystem bytes.',
      metrics,
    });
    series += metrics.length;
  }
  const les = ['0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1.0', '2.5', '5.0', '10.0', '+Inf'];
  for (let h = 0; series < 10_000; h++) {
    const metrics: MetricPoint[] = [];
    const base = Labels.from({ handler: `/api/v1/route${h}` });
    let count = 0;
    for (const le of les) {
      count += Math.floor(rand() * 100);
      metrics.push({
        name: 'http_request_duration_seconds_bucket',
        labels: base.builder().set('le', le).labels(),
        value: count,
      });
    }
    metrics.push({ name: 'http_request_duration_seconds_sum', labels: base, value: rand() * 1000 });
    metrics.push({ name: 'http_request_duration_seconds_count', labels: base, value: count });
    fams.push({ name: 'http_request_duration_seconds', type: 'histogram', metrics });
    series += metrics.length;
  }
  return { fams, series };
}

/** Best of five rounds of 50 runs each: the machine is shared, so the minimum is the signal. */
function bench(label: string, series: number, fn: () => Buffer): void {
  let bytes = 0;
  for (let i = 0; i < 20; i++) bytes = fn().length; // warm-up
  let best = Infinity;
  for (let round = 0; round < 5; round++) {
    const runs = 50;
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < runs; i++) fn();
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / runs);
  }
  const perSec = (series / best) * 1e9;
  console.log(
    `${label.padEnd(12)} ${(best / 1e6).toFixed(2)} ms/payload  ${(perSec / 1e6).toFixed(2)} M samples/s  ${(bytes / 1024).toFixed(0)} KiB`,
  );
}

const { fams, series } = families();
console.log(`${series} series in ${fams.length} families`);
bench('text', series, () => Buffer.from(writeText(fams)));
bench('openmetrics', series, () => Buffer.from(writeOpenMetrics(fams)));
