/**
 * The discovery manager: runs the discoverers of every job, merges their target groups per job and
 * publishes the whole picture to subscribers, at most once per update interval (Prometheus'
 * `updatert`, 5 s), the first time at once. On reload, discoverers whose config is unchanged keep
 * running with their targets; the others stop.
 */
import { Counter, Gauge } from 'prom-client';
import type { Metric, Registry } from 'prom-client';
import type { ServiceDiscoveryConfigs } from '../config/discovery.js';
import type { ScrapeConfig } from '../config/scrape.js';
import type { Logger } from '../util/logger.js';
import { noopLogger } from '../util/logger.js';
import type { TargetGroup } from './discoverer.js';
import { providerSpecs } from './manager-providers.js';
import type { ProviderDeps, ProviderSpec } from './manager-providers.js';

/** Target groups per job (or per alertmanager set), as published. */
export type TargetSets = ReadonlyMap<string, readonly TargetGroup[]>;

/** Receives every published update: the complete target groups of every configured job. */
export type TargetSetsListener = (sets: TargetSets) => void;

/** Options of {@link DiscoveryManager}. */
export interface DiscoveryManagerOptions {
  /** The `name` label of the manager's metrics: `scrape` or `notify`, as in Prometheus. */
  name: string;
  /** Least time between two published updates, in milliseconds. */
  updateIntervalMs: number;
}

/** Prometheus' defaults: the scrape manager's discovery, updates at most every 5 seconds. */
export function defaultDiscoveryManagerOptions(): DiscoveryManagerOptions {
  return { name: 'scrape', updateIntervalMs: 5000 };
}

/** Dependencies of {@link DiscoveryManager}. */
export interface DiscoveryManagerDeps extends ProviderDeps {
  registry: Registry | undefined;
}

/** The discovery blocks of each scrape config, by job name. */
export function scrapeDiscoveryConfigs(
  configs: readonly ScrapeConfig[],
): Map<string, ServiceDiscoveryConfigs> {
  return new Map(configs.map((c) => [c.jobName, c]));
}

/** One running discoverer of one job. */
interface Provider {
  readonly job: string;
  readonly spec: ProviderSpec;
  readonly abort: AbortController;
  /** source → group, emptied groups removed. */
  readonly groups: Map<string, TargetGroup>;
  done: Promise<void>;
  failed: boolean;
}

/** Metrics shared by all managers of one registry, told apart by `name`. */
interface SdMetrics {
  discoveredTargets: Gauge<'name' | 'config'>;
  receivedUpdates: Counter<'name'>;
  updates: Counter<'name'>;
  delayedUpdates: Counter<'name'>;
  failedConfigs: Gauge<'name'>;
}

function sdMetrics(registry: Registry | undefined): SdMetrics {
  const registers = registry === undefined ? [] : [registry];
  // A second manager on the same registry (notify beside scrape) shares the metrics.
  const existing = <M extends Metric>(name: string): M | undefined =>
    registry?.getSingleMetric(name) as M | undefined;
  const gauge = <L extends string>(name: string, help: string, labelNames: L[]): Gauge<L> =>
    existing<Gauge<L>>(name) ?? new Gauge<L>({ name, help, labelNames, registers });
  const counter = (name: string, help: string): Counter<'name'> =>
    existing<Counter<'name'>>(name) ?? new Counter({ name, help, labelNames: ['name'], registers });
  return {
    discoveredTargets: gauge('prometheus_sd_discovered_targets', 'Current number of discovered targets.', [
      'name',
      'config',
    ]),
    receivedUpdates: counter(
      'prometheus_sd_received_updates_total',
      'Total number of update events received from the SD providers.',
    ),
    updates: counter(
      'prometheus_sd_updates_total',
      'Total number of update events sent to the SD consumers.',
    ),
    delayedUpdates: counter(
      'prometheus_sd_updates_delayed_total',
      "Total number of update events that couldn't be sent immediately.",
    ),
    failedConfigs: gauge(
      'prometheus_sd_failed_configs',
      'Current number of service discovery configurations that failed to load.',
      ['name'],
    ),
  };
}

/** Runs discovery for a set of jobs and publishes their targets. */
export class DiscoveryManager {
  readonly #opts: DiscoveryManagerOptions;
  readonly #deps: Partial<ProviderDeps> & { logger: Logger };
  readonly #metrics: SdMetrics;
  readonly #listeners = new Set<TargetSetsListener>();
  /** Providers in start order (the order of jobs and blocks in the config). */
  #providers: Provider[] = [];
  #jobs: string[] = [];
  #timer: NodeJS.Timeout | undefined;
  #lastSent = -Infinity;
  #stopped = false;

  constructor(options: Partial<DiscoveryManagerOptions> = {}, deps: Partial<DiscoveryManagerDeps> = {}) {
    this.#opts = { ...defaultDiscoveryManagerOptions(), ...options };
    this.#deps = { ...deps, logger: deps.logger ?? noopLogger };
    this.#metrics = sdMetrics(deps.registry);
  }

  /** Adds a listener of published updates; returns the function that removes it. */
  subscribe(listener: TargetSetsListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Applies a configuration: discovery blocks, by job name. Unchanged discoverers keep running
   * (and their targets); removed or changed ones are stopped (awaited); new ones start. An update
   * is published afterwards, reflecting removed jobs at once.
   */
  async applyConfig(configs: ReadonlyMap<string, ServiceDiscoveryConfigs>): Promise<void> {
    if (this.#stopped) return;
    // Wanted discoverers in config order, by job and config key (unique: keys carry the index).
    const wanted = new Map<string, { job: string; spec: ProviderSpec }>();
    for (const [job, sd] of configs) {
      for (const spec of providerSpecs(sd, this.#deps)) wanted.set(`${job}\n${spec.key}`, { job, spec });
    }
    const running = new Map<string, Provider>();
    const stopping: Promise<void>[] = [];
    for (const p of this.#providers) {
      const id = `${p.job}\n${p.spec.key}`;
      if (wanted.has(id)) running.set(id, p);
      else {
        p.abort.abort();
        stopping.push(p.done);
      }
    }
    for (const job of this.#jobs) {
      if (!configs.has(job)) this.#metrics.discoveredTargets.remove({ name: this.#opts.name, config: job });
    }
    const next = [...wanted].map(([id, { job, spec }]) => running.get(id) ?? this.#start(job, spec));
    this.#providers = next;
    this.#jobs = [...configs.keys()];
    await Promise.all(stopping);
    this.#updateFailed();
    this.#trigger();
  }

  /** The current target groups of every job (what the next update will publish). */
  targetSets(): Map<string, TargetGroup[]> {
    const sets = new Map<string, TargetGroup[]>();
    for (const job of this.#jobs) sets.set(job, []);
    for (const p of this.#providers) sets.get(p.job)?.push(...p.groups.values());
    return sets;
  }

  /** Stops every discoverer and waits for them; nothing is published afterwards. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    for (const p of this.#providers) p.abort.abort();
    await Promise.all(this.#providers.map((p) => p.done));
    this.#providers = [];
  }

  #start(job: string, spec: ProviderSpec): Provider {
    const { logger } = this.#deps;
    const p: Provider = {
      job,
      spec,
      abort: new AbortController(),
      groups: new Map(),
      done: Promise.resolve(),
      failed: false,
    };
    const signal = p.abort.signal;
    p.done = (async () => {
      let d;
      try {
        d = await spec.create();
      } catch (err) {
        p.failed = true;
        this.#updateFailed();
        logger.error('Cannot create service discovery', { job, config: spec.name, err: String(err) });
        return;
      }
      if (signal.aborted) return;
      try {
        await d.run(signal, (groups) => {
          if (signal.aborted) return;
          this.#metrics.receivedUpdates.inc({ name: this.#opts.name });
          for (const g of groups) {
            if (g.targets.length === 0) p.groups.delete(g.source);
            else p.groups.set(g.source, g);
          }
          this.#trigger();
        });
      } catch (err) {
        // Discoverers do not reject by contract; if one does, its last targets stay.
        logger.error('Service discovery failed', { job, config: spec.name, err: String(err) });
      }
    })();
    return p;
  }

  #updateFailed(): void {
    const n = this.#providers.filter((p) => p.failed).length;
    this.#metrics.failedConfigs.set({ name: this.#opts.name }, n);
  }

  /** Publishes soon: at once if the last update is older than the interval, else when it is. */
  #trigger(): void {
    if (this.#stopped || this.#timer !== undefined) return;
    const delay = Math.max(0, this.#lastSent + this.#opts.updateIntervalMs - Date.now());
    if (delay > 0) this.#metrics.delayedUpdates.inc({ name: this.#opts.name });
    // Even "at once" waits a macrotask, so a burst of synchronous emits makes one update.
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#send();
    }, delay);
  }

  #send(): void {
    if (this.#stopped) return;
    this.#lastSent = Date.now();
    const sets = this.targetSets();
    for (const [job, groups] of sets) {
      let n = 0;
      for (const g of groups) n += g.targets.length;
      this.#metrics.discoveredTargets.set({ name: this.#opts.name, config: job }, n);
    }
    this.#metrics.updates.inc({ name: this.#opts.name });
    for (const l of this.#listeners) {
      try {
        l(sets);
      } catch (err) {
        this.#deps.logger.error('Target sets listener failed', { err: String(err) });
      }
    }
  }
}
