/**
 * The scrape manager: one pool per job, reconciled with the configuration on reload and fed the
 * target groups the discovery manager publishes.
 */
import { hostname } from 'node:os';
import { Registry } from 'prom-client';
import type { ScrapeConfig } from '../config/scrape.js';
import type { TargetGroup } from '../discovery/discoverer.js';
import { hashString } from '../model/labels.js';
import type { Appendable } from '../storage/interface.js';
import type { Logger } from '../util/logger.js';
import { noopLogger } from '../util/logger.js';
import { scrapeConfigKey } from './config-key.js';
import { ScrapeMetrics } from './metrics.js';
import { ScrapePool } from './pool.js';
import type { DroppedTarget, Target } from './target.js';

/** Options of {@link ScrapeManager}. */
export interface ScrapeManagerOptions {
  /**
   * Mixed into each target's scrape offset. Prometheus derives it from the external labels and the
   * host name, so two replicas scraping the same targets do not scrape at the same instant.
   */
  offsetSeed: number;
}

/** The seed from the host name, stable across restarts of this machine's server. */
export function defaultScrapeManagerOptions(): ScrapeManagerOptions {
  return { offsetSeed: hashString(hostname()) % 0x7fffffff };
}

/** Dependencies of {@link ScrapeManager}. */
export interface ScrapeManagerDeps {
  appendable: Appendable;
  logger: Logger;
  /** Where the self-monitoring metrics are registered. */
  registry: Registry;
}

/** Runs the scrape pools of a configuration. */
export class ScrapeManager {
  readonly #deps: ScrapeManagerDeps;
  readonly #opts: ScrapeManagerOptions;
  readonly #metrics: ScrapeMetrics;
  readonly #pools = new Map<string, { pool: ScrapePool; key: string }>();
  /** The last target groups per job, for pools created after they arrived. */
  #targetSets: ReadonlyMap<string, readonly TargetGroup[]> = new Map();
  /** Pools being stopped or reloaded, awaited by `stop()`. */
  readonly #pending = new Set<Promise<void>>();
  readonly #hurry = new AbortController();
  #stopped = false;

  constructor(
    options: Partial<ScrapeManagerOptions>,
    deps: Partial<ScrapeManagerDeps> & Pick<ScrapeManagerDeps, 'appendable'>,
  ) {
    this.#opts = { ...defaultScrapeManagerOptions(), ...options };
    this.#deps = { logger: noopLogger, registry: new Registry(), ...deps };
    this.#metrics = new ScrapeMetrics(this.#deps.registry);
  }

  /**
   * Reconciles the pools with `configs` (one per job): pools whose settings are unchanged keep
   * running untouched, changed ones restart their loops, removed ones stop, new ones start with
   * the job's last known targets. Resolves once changed pools have restarted.
   */
  async applyConfig(configs: readonly ScrapeConfig[]): Promise<void> {
    if (this.#stopped) return;
    const { logger } = this.#deps;
    const wanted = new Map(configs.map((c) => [c.jobName, c]));
    for (const [name, entry] of this.#pools) {
      if (wanted.has(name)) continue;
      this.#pools.delete(name);
      this.#track(entry.pool.stop());
    }
    const reloads: Promise<void>[] = [];
    for (const cfg of configs) {
      const key = scrapeConfigKey(cfg);
      const entry = this.#pools.get(cfg.jobName);
      if (entry !== undefined) {
        if (entry.key === key) continue;
        entry.key = key;
        const p = entry.pool.reload(cfg);
        this.#track(p);
        reloads.push(p);
        continue;
      }
      this.#metrics.scrapePools.inc();
      let pool: ScrapePool;
      try {
        pool = new ScrapePool(cfg, {
          appendable: this.#deps.appendable,
          logger,
          metrics: this.#metrics,
          offsetSeed: this.#opts.offsetSeed,
          hurry: this.#hurry.signal,
        });
      } catch (err) {
        this.#metrics.scrapePoolsFailed.inc();
        logger.error('Error creating new scrape pool', { scrape_pool: cfg.jobName, err: String(err) });
        continue;
      }
      this.#pools.set(cfg.jobName, { pool, key });
      const groups = this.#targetSets.get(cfg.jobName);
      if (groups !== undefined) pool.sync(groups);
    }
    await Promise.all(reloads);
  }

  /** Hands each pool its job's target groups, as the discovery manager publishes them. */
  sync(targetSets: ReadonlyMap<string, readonly TargetGroup[]>): void {
    if (this.#stopped) return;
    this.#targetSets = targetSets;
    for (const [name, groups] of targetSets) this.#pools.get(name)?.pool.sync(groups);
  }

  /** The job names of the running pools, sorted. */
  scrapePools(): string[] {
    return [...this.#pools.keys()].sort();
  }

  /** Active targets by pool. */
  activeTargets(): Map<string, Target[]> {
    const out = new Map<string, Target[]>();
    for (const [name, { pool }] of this.#pools) out.set(name, pool.activeTargets());
    return out;
  }

  /** Dropped targets by pool. */
  droppedTargets(): Map<string, readonly DroppedTarget[]> {
    const out = new Map<string, readonly DroppedTarget[]>();
    for (const [name, { pool }] of this.#pools) out.set(name, pool.droppedTargets());
    return out;
  }

  /**
   * Stops every pool: waits for scrapes in flight, then writes staleness markers for all targets at
   * once (also for targets that went away earlier and were still waiting to write them).
   */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#hurry.abort();
    for (const { pool } of this.#pools.values()) this.#track(pool.stop());
    this.#pools.clear();
    while (this.#pending.size > 0) await Promise.all(this.#pending);
  }

  #track(p: Promise<void>): void {
    const tracked = p
      .catch((err: unknown) => this.#deps.logger.error('Scrape pool operation failed', { err: String(err) }))
      .finally(() => this.#pending.delete(tracked));
    this.#pending.add(tracked);
  }
}
