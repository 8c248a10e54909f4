/**
 * The synthetic fleet of `bench/ingest.bench.ts`, run as a child process: it serves a share of
 * the targets, each a `node:http` server on its own loopback address (127.0.z.x, see
 * `targetAddress`) and the shared port, exposing `series` node-exporter-like series whose values
 * move once per scrape interval. Started with `--fleet`; reports `{ ready: true }` over IPC once
 * every target listens.
 *
 * Each target renders (and gzips) its body once per interval bucket and serves the same bytes to
 * every scraper in that bucket, so the generator's CPU stays small and both servers see the
 * same values.
 */
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { gzipSync } from 'node:zlib';

/** What a fleet child serves. */
export interface FleetOptions {
  /** Targets in the whole fleet. */
  targets: number;
  /** Series per target. */
  series: number;
  /** The scrape interval, ms: values advance once per interval. */
  intervalMs: number;
  /** The port every target listens on. */
  port: number;
  /** This child serves the targets `i` with `i % children === child`. */
  child: number;
  children: number;
}

/** Loopback address of target `i`: 127.0.0.2 upwards, 253 a /24 (x = 2…254), all routed to lo on Linux. */
export function targetAddress(i: number): string {
  return `127.0.${Math.floor(i / 253)}.${(i % 253) + 2}`;
}

/** How a series' value moves. */
const enum Kind {
  CpuSeconds, // counter: jittered increments, two decimals
  Bytes, // counter: random integer increments
  Rare, // counter: +1 now and then
  GaugeBytes, // gauge: memory-like, 4 KiB steps, moves by a few percent
  GaugeRatio, // gauge: load-like, three significant digits
  Constant, // info/size metrics
}

interface Family {
  name: string;
  type: 'counter' | 'gauge';
  help: string;
  kind: Kind;
  /** Label sets, already rendered as `{a="b",…}`. */
  labels: string[];
}

function cross(...dims: [string, string[]][]): string[] {
  let out: string[][] = [[]];
  for (const [name, values] of dims)
    out = out.flatMap((prefix) => values.map((v) => [...prefix, `${name}="${v}"`]));
  return out.map((parts) => (parts.length === 0 ? '' : `{${parts.join(',')}}`));
}

const range = (n: number, f: (i: number) => string): string[] => Array.from({ length: n }, (_, i) => f(i));

/** node-exporter's families (a realistic mix for an 8-CPU host), then interrupts to fill up to `series`. */
function families(series: number): Family[] {
  const cpus = range(8, String);
  const netDevs = ['lo', 'eth0', 'eth1', 'docker0', ...range(12, (i) => `veth${(i * 7919).toString(16)}`)];
  const disks = ['sda', 'sdb', 'nvme0n1', 'nvme1n1', 'dm-0', 'dm-1'];
  const mounts: [string, string, string][] = [
    ['/dev/sda1', 'ext4', '/'],
    ['/dev/sda2', 'ext4', '/boot'],
    ['/dev/nvme0n1p1', 'xfs', '/var/lib/data'],
    ['/dev/nvme1n1p1', 'xfs', '/var/lib/logs'],
    ['tmpfs', 'tmpfs', '/run'],
    ['tmpfs', 'tmpfs', '/dev/shm'],
    ['/dev/dm-0', 'ext4', '/home'],
    ['/dev/dm-1', 'ext4', '/srv'],
  ];
  const fsLabels = mounts.map(([d, t, m]) => `{device="${d}",fstype="${t}",mountpoint="${m}"}`);
  const fam: Family[] = [
    {
      name: 'node_cpu_seconds_total',
      type: 'counter',
      help: 'Seconds the CPUs spent in each mode.',
      kind: Kind.CpuSeconds,
      labels: cross(
        ['cpu', cpus],
        ['mode', ['idle', 'iowait', 'irq', 'nice', 'softirq', 'steal', 'system', 'user']],
      ),
    },
    ...['avail_bytes', 'free_bytes', 'size_bytes', 'files', 'files_free', 'readonly', 'device_error'].map(
      (s): Family => ({
        name: `node_filesystem_${s}`,
        type: 'gauge',
        help: `Filesystem ${s.replace('_', ' ')}.`,
        kind: s.includes('free') || s.includes('avail') ? Kind.GaugeBytes : Kind.Constant,
        labels: fsLabels,
      }),
    ),
    ...['receive', 'transmit'].flatMap((dir) =>
      ['bytes', 'packets', 'errs', 'drop', 'multicast'].map((s): Family => ({
        name: `node_network_${dir}_${s}_total`,
        type: 'counter',
        help: `Network device statistic ${dir}_${s}.`,
        kind: s === 'bytes' || s === 'packets' ? Kind.Bytes : Kind.Rare,
        labels: cross(['device', netDevs]),
      })),
    ),
    ...[
      'reads_completed',
      'writes_completed',
      'read_bytes',
      'written_bytes',
      'io_time_seconds',
      'read_time_seconds',
      'write_time_seconds',
    ].map((s): Family => ({
      name: `node_disk_${s}_total`,
      type: 'counter',
      help: `Disk statistic ${s}.`,
      kind: s.includes('seconds') ? Kind.CpuSeconds : Kind.Bytes,
      labels: cross(['device', disks]),
    })),
    ...range(
      40,
      (i) =>
        `Mem${['Total', 'Free', 'Available', 'Buffers', 'Cached', 'Active', 'Inactive', 'Dirty'][i % 8]}${i < 8 ? '' : `_${i}`}`,
    ).map((m): Family => ({
      name: `node_memory_${m}_bytes`,
      type: 'gauge',
      help: `Memory information field ${m}_bytes.`,
      kind: m === 'MemTotal' ? Kind.Constant : Kind.GaugeBytes,
      labels: [''],
    })),
    ...['load1', 'load5', 'load15'].map((n): Family => ({
      name: `node_${n}`,
      type: 'gauge',
      help: `${n} load average.`,
      kind: Kind.GaugeRatio,
      labels: [''],
    })),
    {
      name: 'node_hwmon_temp_celsius',
      type: 'gauge',
      help: 'Hardware monitor for temperature (input).',
      kind: Kind.GaugeRatio,
      labels: cross(
        ['chip', ['platform_coretemp_0', 'pci0000:00_0000:00:03_0']],
        ['sensor', range(8, (i) => `temp${i + 1}`)],
      ),
    },
  ];
  const have = fam.reduce((n, f) => n + f.labels.length, 0);
  // Interrupt counters make up the rest, as on real hosts where they are the long tail.
  const irqs: string[] = [];
  for (let irq = 0; have + irqs.length < series; irq++)
    for (const cpu of cpus) irqs.push(`{cpu="${cpu}",devices="dev${irq}",type="${irq}"}`);
  fam.push({
    name: 'node_interrupts_total',
    type: 'counter',
    help: 'Interrupt details.',
    kind: Kind.Rare,
    labels: irqs,
  });
  // Keep the first `series` series (a small `series` keeps only the first families).
  let left = series;
  for (const f of fam) {
    f.labels.length = Math.min(f.labels.length, left);
    left -= f.labels.length;
  }
  if (left !== 0) throw new Error(`fleet: ${series - left} series built, ${series} wanted`);
  return fam.filter((f) => f.labels.length > 0);
}

/** The shared shape of every target: family headers and series prefixes, one value slot each. */
class Shape {
  readonly headers: string[] = [];
  /** Per family: index of its first slot. */
  readonly starts: number[] = [];
  readonly prefixes: string[] = [];
  readonly kinds: Kind[] = [];

  constructor(series: number) {
    for (const f of families(series)) {
      this.headers.push(`# HELP ${f.name} ${f.help}\n# TYPE ${f.name} ${f.type}\n`);
      this.starts.push(this.prefixes.length);
      for (const l of f.labels) {
        this.prefixes.push(`${f.name}${l} `);
        this.kinds.push(f.kind);
      }
    }
  }
}

/** One target: its values and the body of the current interval bucket. */
class Target {
  readonly #values: Float64Array;
  #bucket = -1;
  #plain: Buffer = Buffer.alloc(0);
  #gzip: Buffer = Buffer.alloc(0);

  constructor(
    readonly shape: Shape,
    seed: number,
  ) {
    this.#values = new Float64Array(shape.prefixes.length);
    for (let i = 0; i < this.#values.length; i++) {
      const r = ((seed * 7919 + i * 104729) % 1000) / 1000;
      switch (shape.kinds[i]) {
        case Kind.CpuSeconds:
          this.#values[i] = Math.round(r * 1e7) / 100;
          break;
        case Kind.Bytes:
          this.#values[i] = Math.round(r * 1e12);
          break;
        case Kind.Rare:
          this.#values[i] = Math.round(r * 1000);
          break;
        case Kind.GaugeBytes:
        case Kind.Constant:
          this.#values[i] = Math.round((r + 0.01) * 4e6) * 4096;
          break;
        case Kind.GaugeRatio:
          this.#values[i] = r * 8;
      }
    }
  }

  /** The body for time `now` (ms): rendered once per interval bucket, shared by all scrapers. */
  body(now: number, intervalMs: number, gzip: boolean): Buffer {
    const bucket = Math.floor(now / intervalMs);
    if (bucket !== this.#bucket) {
      if (this.#bucket >= 0) this.#advance(intervalMs / 1000);
      this.#bucket = bucket;
      this.#plain = this.#render();
      this.#gzip = gzipSync(this.#plain, { level: 1 });
    }
    return gzip ? this.#gzip : this.#plain;
  }

  #advance(secs: number): void {
    const v = this.#values;
    const kinds = this.shape.kinds;
    for (let i = 0; i < v.length; i++) {
      switch (kinds[i]) {
        case Kind.CpuSeconds:
          v[i] = Math.round((v[i] + secs * Math.random() * 0.5) * 100) / 100;
          break;
        case Kind.Bytes:
          v[i] += Math.floor(Math.random() * 5e5 * secs);
          break;
        case Kind.Rare:
          if (Math.random() < 0.05) v[i] += 1;
          break;
        case Kind.GaugeBytes:
          v[i] = Math.max(4096, v[i] + Math.round(((Math.random() - 0.5) * 0.04 * v[i]) / 4096) * 4096);
          break;
        case Kind.GaugeRatio:
          v[i] = Math.max(0, v[i] + (Math.random() - 0.5) * 0.3);
          break;
        case Kind.Constant:
      }
    }
  }

  #render(): Buffer {
    const { headers, starts, prefixes, kinds } = this.shape;
    const v = this.#values;
    const parts: string[] = [];
    let f = 0;
    for (let i = 0; i < prefixes.length; i++) {
      if (f < starts.length && starts[f] === i) parts.push(headers[f++]);
      // Gauges with a few significant digits, as exporters print them.
      const value = kinds[i] === Kind.GaugeRatio ? Number(v[i].toPrecision(3)) : v[i];
      parts.push(prefixes[i], String(value), '\n');
    }
    return Buffer.from(parts.join(''), 'latin1');
  }
}

/** Serves this child's share of the fleet until the parent disconnects. */
export async function runFleet(opts: FleetOptions): Promise<void> {
  const shape = new Shape(opts.series);
  const servers: Server[] = [];
  const listening: Promise<void>[] = [];
  for (let i = opts.child; i < opts.targets; i += opts.children) {
    const target = new Target(shape, i);
    const server = createServer((req, res) => {
      const gzip = (req.headers['accept-encoding'] ?? '').includes('gzip');
      const body = target.body(Date.now(), opts.intervalMs, gzip);
      res.writeHead(200, {
        'Content-Type': 'text/plain; version=0.0.4; charset=utf-8',
        'Content-Length': body.length,
        ...(gzip ? { 'Content-Encoding': 'gzip' } : {}),
      });
      res.end(body);
    });
    server.keepAliveTimeout = 5 * 60_000; // scrapers keep one connection per target
    servers.push(server);
    listening.push(
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(opts.port, targetAddress(i), resolve);
      }),
    );
  }
  await Promise.all(listening);
  process.send?.({ ready: true, targets: servers.length });
  await new Promise<void>((resolve) => process.once('disconnect', resolve));
  for (const s of servers) {
    s.closeAllConnections();
    s.close();
  }
}
