/**
 * Ingest side by side: the real `vigil server` and Debian's `prometheus` scrape the same synthetic
 * fleet (`bench/ingest-fleet.ts`, in child processes so its CPU is charged to neither) with the
 * same configuration over the same minutes. After a warm-up, each server's CPU time (utime + stime
 * from /proc/<pid>/stat) is divided by the samples it appended in the window (its own
 * `prometheus_tsdb_head_samples_appended_total`); RSS (VmHWM, VmRSS), scrape duration p99 and
 * `up` come from /proc and each server's query API.
 *
 * Run: `npm run bench:ingest` (builds first). Environment:
 *   INGEST_CONFIGS    configurations, default `200x1000@5s,2000x1000@15s` (targets x series @ interval)
 *   INGEST_WARMUP_S   warm-up seconds before the window (default 60)
 *   INGEST_WINDOW_S   measured window in seconds (default 120)
 *   INGEST_FLEET_PROCS  fleet child processes (default 2)
 *   INGEST_CPU_PROF   a directory: run vigil under `node --cpu-prof` and print its top functions
 *   INGEST_VIGIL_FLAGS, INGEST_PROM_FLAGS  extra flags for either server (space-separated)
 *   INGEST_VIGIL_NODE_FLAGS  flags for vigil's node process, e.g. `--trace-gc`
 *   INGEST_KEEP_LOGS  a directory to copy both servers' logs to (they are deleted with the data)
 *   PROMETHEUS        the prometheus binary (default /usr/bin/prometheus)
 * Figures go in docs/benchmarks.md.
 */
import { execFileSync, fork, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import {
  copyFileSync,
  createWriteStream,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { topFunctions } from './cpuprofile-top.js';
import type { FleetOptions } from './ingest-fleet.js';
import { runFleet, targetAddress } from './ingest-fleet.js';

const WARMUP_S = Number(process.env.INGEST_WARMUP_S ?? 60);
const WINDOW_S = Number(process.env.INGEST_WINDOW_S ?? 120);
const FLEET_PROCS = Number(process.env.INGEST_FLEET_PROCS ?? 2);
const CPU_PROF = process.env.INGEST_CPU_PROF;
const KEEP_LOGS = process.env.INGEST_KEEP_LOGS;
const PROMETHEUS = process.env.PROMETHEUS ?? '/usr/bin/prometheus';
const FLEET_PORT = 19100;
const VIGIL_ADDR = '127.0.0.1:19090';
const PROM_ADDR = '127.0.0.1:19091';
const ROOT = fileURLToPath(new URL('../../', import.meta.url)); // dist/bench → repository
const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface BenchConfig {
  targets: number;
  series: number;
  intervalS: number;
}

function parseConfigs(text: string): BenchConfig[] {
  return text.split(',').map((part) => {
    const m = /^(\d+)x(\d+)@(\d+)s$/.exec(part.trim());
    if (m === null)
      throw new Error(`INGEST_CONFIGS: bad entry ${JSON.stringify(part)}; use e.g. 200x1000@5s`);
    return { targets: Number(m[1]), series: Number(m[2]), intervalS: Number(m[3]) };
  });
}

function httpGet(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = get(url, { timeout: 300_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        if (res.statusCode === 200) resolve(body);
        else reject(new Error(`GET ${url}: ${res.statusCode} ${body.slice(0, 200)}`));
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url}: timeout`)));
    req.on('error', reject);
  });
}

/** utime + stime of a process, seconds. */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields from 3 (state) on
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}

/** VmHWM (peak) and VmRSS (now) of a process, MiB. */
function rssMiB(pid: number): { peak: number; now: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { peak: kb('VmHWM') / 1024, now: kb('VmRSS') / 1024 };
}

/** One server's counter, CPU time and clock at an edge of the window. */
interface Mark {
  samples: number;
  cpu: number;
  t: number;
}

/** A server under test: its process and where it answers. */
class ServerProc {
  readonly #exited: Promise<number | null>;
  /** When the process was spawned (ms): where its CPU profile starts. */
  readonly spawnedAt = Date.now();

  constructor(
    readonly name: string,
    readonly addr: string,
    readonly proc: ChildProcess,
    readonly logFile: string,
  ) {
    this.#exited = new Promise((resolve) => proc.once('exit', (code) => resolve(code)));
  }

  get pid(): number {
    if (this.proc.pid === undefined) throw new Error(`${this.name}: no pid`);
    return this.proc.pid;
  }

  async waitReady(timeoutMs: number): Promise<void> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      if (this.proc.exitCode !== null) throw new Error(`${this.name} exited early; see ${this.logFile}`);
      try {
        await httpGet(`http://${this.addr}/-/ready`);
        return;
      } catch (err) {
        if (Date.now() > until)
          throw new Error(`${this.name} not ready; see ${this.logFile}`, { cause: err });
        await sleep(250);
      }
    }
  }

  /** Sum of the server's own appended-samples counter (all `type` labels). */
  async samplesAppended(): Promise<number> {
    const text = await httpGet(`http://${this.addr}/metrics`);
    let sum = 0;
    for (const line of text.split('\n'))
      if (line.startsWith('prometheus_tsdb_head_samples_appended_total'))
        sum += Number(line.slice(line.lastIndexOf(' ') + 1));
    return sum;
  }

  /**
   * The appended-samples counter, then CPU time and clock at once: a loaded server may answer
   * /metrics seconds late, so the CPU reading follows the counter's, not the request's.
   */
  async mark(): Promise<Mark> {
    const samples = await this.samplesAppended();
    return { samples, cpu: cpuSeconds(this.pid), t: Date.now() };
  }

  /** An instant query's vector, as [labels, value] pairs. */
  async query(expr: string, time: number): Promise<[Record<string, string>, number][]> {
    const qs = new URLSearchParams({ query: expr, time: String(time) });
    const body = JSON.parse(await httpGet(`http://${this.addr}/api/v1/query?${qs.toString()}`)) as {
      data: { resultType: string; result: { metric: Record<string, string>; value?: [number, string] }[] };
    };
    return body.data.result.map((r) => [r.metric, Number(r.value?.[1] ?? NaN)]);
  }

  /** Every sample of a range selector (a matrix), values only. */
  async rangeValues(expr: string, time: number): Promise<number[]> {
    const qs = new URLSearchParams({ query: expr, time: String(time) });
    const body = JSON.parse(await httpGet(`http://${this.addr}/api/v1/query?${qs.toString()}`)) as {
      data: { result: { values: [number, string][] }[] };
    };
    return body.data.result.flatMap((r) => r.values.map((v) => Number(v[1])));
  }

  async stop(): Promise<void> {
    if (this.proc.exitCode === null && this.proc.signalCode === null) this.proc.kill('SIGTERM');
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), 60_000);
    await this.#exited;
    clearTimeout(timer);
  }
}

function startServer(name: string, cmd: string, args: string[], addr: string, dir: string): ServerProc {
  const logFile = join(dir, `${name}.log`);
  const log = createWriteStream(logFile);
  const proc = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  proc.stdout?.pipe(log);
  proc.stderr?.pipe(log);
  return new ServerProc(name, addr, proc, logFile);
}

/** Forks the fleet's processes into `children` (so the caller can stop them if one fails). */
async function startFleet(cfg: BenchConfig, children: ChildProcess[]): Promise<void> {
  const ready: Promise<void>[] = [];
  for (let child = 0; child < FLEET_PROCS; child++) {
    const opts: FleetOptions = {
      targets: cfg.targets,
      series: cfg.series,
      intervalMs: cfg.intervalS * 1000,
      port: FLEET_PORT,
      child,
      children: FLEET_PROCS,
    };
    const proc = fork(fileURLToPath(import.meta.url), ['--fleet', JSON.stringify(opts)], {
      stdio: 'inherit',
    });
    children.push(proc);
    ready.push(
      new Promise((resolve, reject) => {
        proc.once('message', () => resolve());
        proc.once('exit', (code) => reject(new Error(`fleet child exited with ${code}`)));
      }),
    );
  }
  await Promise.all(ready);
}

function configYaml(cfg: BenchConfig): string {
  const timeout = Math.min(cfg.intervalS, 10);
  const targets = Array.from(
    { length: cfg.targets },
    (_, i) => `        - ${targetAddress(i)}:${FLEET_PORT}`,
  );
  return [
    'global:',
    `  scrape_interval: ${cfg.intervalS}s`,
    `  scrape_timeout: ${timeout}s`,
    'scrape_configs:',
    '  - job_name: fleet',
    '    static_configs:',
    '      - targets:',
    ...targets,
    '',
  ].join('\n');
}

/** What one server did over the window. */
interface Result {
  samples: number;
  cpu: number;
  /** This server's own window (between its two marks), s. */
  seconds: number;
  rssPeak: number;
  rssEnd: number;
  p99Max: number;
  p99All: number;
  p50All: number;
  scrapes: number;
  upAtEnd: number;
  seen: number;
  failedTargets: number;
  scrapedPerScrape: number;
}

function quantile(sorted: number[], q: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

async function collect(
  s: ServerProc,
  end: number,
  window: number,
): Promise<Omit<Result, 'samples' | 'cpu' | 'seconds'>> {
  const job = '{job="fleet"}';
  const scalar = async (expr: string) => (await s.query(expr, end))[0]?.[1] ?? 0;
  const all = (await s.rangeValues(`scrape_duration_seconds${job}[${window}s]`, end)).sort((a, b) => a - b);
  const rss = rssMiB(s.pid);
  return {
    rssPeak: rss.peak,
    rssEnd: rss.now,
    p99Max: await scalar(`max(quantile_over_time(0.99, scrape_duration_seconds${job}[${window}s]))`),
    p99All: quantile(all, 0.99),
    p50All: quantile(all, 0.5),
    scrapes: all.length,
    upAtEnd: await scalar(`count(up${job} == 1)`),
    seen: await scalar(`count(up${job})`),
    failedTargets: await scalar(`count(min_over_time(up${job}[${window}s]) < 1)`),
    scrapedPerScrape: await scalar(`avg(scrape_samples_scraped${job})`),
  };
}

async function runConfig(cfg: BenchConfig): Promise<void> {
  const label = `${cfg.targets} targets × ${cfg.series} series @ ${cfg.intervalS}s`;
  console.log(`\n== ${label}: warm-up ${WARMUP_S}s, window ${WINDOW_S}s, ${FLEET_PROCS} fleet processes`);
  const dir = mkdtempSync(join(tmpdir(), 'vigil-ingest-'));
  const fleet: ChildProcess[] = [];
  const servers: ServerProc[] = [];
  let profileWindow: [number, number] | undefined; // the window, in s after vigil started
  try {
    await startFleet(cfg, fleet);
    const configFile = join(dir, 'prometheus.yml');
    writeFileSync(configFile, configYaml(cfg));
    const extra = (v: string | undefined) => (v ?? '').split(' ').filter((f) => f !== '');
    const prof = CPU_PROF === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${CPU_PROF}`];
    servers.push(
      startServer(
        'vigil',
        process.execPath,
        [
          ...prof,
          ...extra(process.env.INGEST_VIGIL_NODE_FLAGS),
          join(ROOT, 'bin/vigil.js'),
          'server',
          `--config.file=${configFile}`,
          `--storage.tsdb.path=${join(dir, 'vigil-data')}`,
          `--web.listen-address=${VIGIL_ADDR}`,
          ...extra(process.env.INGEST_VIGIL_FLAGS),
        ],
        VIGIL_ADDR,
        dir,
      ),
      startServer(
        'prometheus',
        PROMETHEUS,
        [
          '--config.file',
          configFile,
          '--storage.tsdb.path',
          join(dir, 'prom-data'),
          '--web.listen-address',
          PROM_ADDR,
          ...extra(process.env.INGEST_PROM_FLAGS),
        ],
        PROM_ADDR,
        dir,
      ),
    );
    await Promise.all(servers.map((s) => s.waitReady(120_000)));
    console.log(`servers ready (vigil pid ${servers[0].pid}, prometheus pid ${servers[1].pid}); warming up`);
    await sleep(WARMUP_S * 1000);

    const fleetCpu0 = fleet.reduce((n, c) => n + cpuSeconds(c.pid ?? 0), 0);
    const start = await Promise.all(servers.map((s) => s.mark()));
    console.log(`window started at ${new Date(start[0].t).toISOString()}`);
    await sleep(WINDOW_S * 1000);
    const end = await Promise.all(servers.map((s) => s.mark()));
    const fleetCpu = fleet.reduce((n, c) => n + cpuSeconds(c.pid ?? 0), 0) - fleetCpu0;
    const t1 = Math.max(...end.map((m) => m.t));
    const window = Math.round((t1 - Math.min(...start.map((m) => m.t))) / 1000);
    const results: Result[] = [];
    for (const [i, s] of servers.entries())
      results.push({
        samples: end[i].samples - start[i].samples,
        cpu: end[i].cpu - start[i].cpu,
        seconds: (end[i].t - start[i].t) / 1000,
        ...(await collect(s, t1 / 1000, window)),
      });
    printTable(cfg, window, results, fleetCpu);
    profileWindow = [(start[0].t - servers[0].spawnedAt) / 1000, (end[0].t - servers[0].spawnedAt) / 1000];
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    for (const c of fleet) {
      if (c.connected) c.disconnect();
      c.kill();
    }
    if (KEEP_LOGS !== undefined) {
      mkdirSync(KEEP_LOGS, { recursive: true });
      for (const s of servers) copyFileSync(s.logFile, join(KEEP_LOGS, `${s.name}.log`));
    }
    rmSync(dir, { recursive: true, force: true });
  }
  if (CPU_PROF !== undefined) printProfile(CPU_PROF, profileWindow ?? [0, Infinity]);
}

function printTable(cfg: BenchConfig, window: number, [v, p]: Result[], fleetCpu: number): void {
  const expected = ((cfg.targets * (cfg.series + 5) * window) / cfg.intervalS / 1e6).toFixed(2);
  const f = (x: number, d: number) => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');
  const rows: [string, number, number, number][] = [
    ['own window (s)', v.seconds, p.seconds, 1],
    ['samples appended in window (M)', v.samples / 1e6, p.samples / 1e6, 2],
    ['samples/s', v.samples / v.seconds, p.samples / p.seconds, 0],
    ['CPU seconds in window', v.cpu, p.cpu, 1],
    ['CPU s per 1M samples', v.cpu / (v.samples / 1e6), p.cpu / (p.samples / 1e6), 2],
    ['CPU use (cores)', v.cpu / v.seconds, p.cpu / p.seconds, 2],
    ['RSS peak, VmHWM (MiB)', v.rssPeak, p.rssPeak, 0],
    ['RSS at end (MiB)', v.rssEnd, p.rssEnd, 0],
    ['scrape duration p99, max over targets (ms)', v.p99Max * 1000, p.p99Max * 1000, 1],
    ['scrape duration p99, all scrapes (ms)', v.p99All * 1000, p.p99All * 1000, 1],
    ['scrape duration p50, all scrapes (ms)', v.p50All * 1000, p.p50All * 1000, 1],
    ['scrapes in window', v.scrapes, p.scrapes, 0],
  ];
  console.log(`\n${cfg.targets} targets × ${cfg.series} series @ ${cfg.intervalS}s, window ${window}s`);
  console.log(
    `(expected ≈ ${expected} M samples per server in the window; fleet used ${fleetCpu.toFixed(1)} CPU s)\n`,
  );
  console.log('| measure | vigil | prometheus | vigil/prometheus |');
  console.log('| --- | ---: | ---: | ---: |');
  for (const [name, a, b, d] of rows) console.log(`| ${name} | ${f(a, d)} | ${f(b, d)} | ${f(a / b, 2)} |`);
  for (const [name, r] of [
    ['vigil', v],
    ['prometheus', p],
  ] as const) {
    console.log(
      `${name}: up == 1 for ${r.upAtEnd}/${cfg.targets} targets at the end (${r.seen} seen), ` +
        `${r.failedTargets} targets with a failed scrape in the window, ${f(r.scrapedPerScrape, 0)} samples per scrape`,
    );
    if (r.upAtEnd !== cfg.targets || r.seen !== cfg.targets)
      console.error(
        `ERROR: ${name} does not report up == 1 for all ${cfg.targets} targets: the comparison is invalid`,
      );
  }
}

function printProfile(dir: string, [from, to]: [number, number]): void {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .sort();
  const last = files.at(-1);
  if (last === undefined) return console.log(`no .cpuprofile in ${dir}`);
  console.log(
    `\nvigil CPU profile ${join(dir, last)}, self time in the window (${from.toFixed(0)}–${to.toFixed(0)} s after start), idle excluded:`,
  );
  for (const r of topFunctions(join(dir, last), 15, from, to))
    console.log(`${r.percent.toFixed(1).padStart(5)}%  ${r.name}  ${r.place}`);
}

async function main(): Promise<void> {
  const fleetArg = process.argv.indexOf('--fleet');
  if (fleetArg >= 0) return runFleet(JSON.parse(process.argv[fleetArg + 1]) as FleetOptions);
  console.log(
    `machine: nproc ${execFileSync('nproc', { encoding: 'utf8' }).trim()}, node ${process.version}, ` +
      execFileSync(PROMETHEUS, ['--version'], { encoding: 'utf8' }).split('\n')[0],
  );
  for (const cfg of parseConfigs(process.env.INGEST_CONFIGS ?? '200x1000@5s,2000x1000@15s'))
    await runConfig(cfg);
}

await main();
