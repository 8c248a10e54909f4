/**
 * A scrape pool: the targets of one job and a loop per target. `sync` follows discovery (new
 * targets start, gone ones stop with staleness markers); `reload` applies a changed config.
 */
import type { Dispatcher } from 'undici';
import type { ScrapeConfig } from '../config/scrape.js';
import type { TargetGroup } from '../discovery/discoverer.js';
import { formatDuration } from '../model/time.js';
import type { Appendable } from '../storage/interface.js';
import type { Logger } from '../util/logger.js';
import type { ScrapeCache } from './cache.js';
import { cacheReusable } from './config-key.js';
import { ScrapeLoop } from './loop.js';
import type { ScrapeMetrics } from './metrics.js';
import { poolDispatcher } from './scraper.js';
import { targetsFromGroup } from './target.js';
import type { DroppedTarget, GroupTargets, Target } from './target.js';

/** Dependencies of a {@link ScrapePool}. */
export interface ScrapePoolDeps {
  appendable: Appendable;
  logger: Logger;
  metrics: ScrapeMetrics;
  /** See `ScrapeLoopOptions.offsetSeed`. */
  offsetSeed: number;
  /** Aborted at shutdown: pending staleness markers are written at once instead of after a wait. */
  hurry: AbortSignal;
}

/** The targets and loops of one job. */
export class ScrapePool {
  #cfg: ScrapeConfig;
  #dispatcher: Dispatcher;
  readonly #deps: ScrapePoolDeps;
  /** Target key → its loop. */
  readonly #loops = new Map<string, ScrapeLoop>();
  #dropped: DroppedTarget[] = [];
  #groups: readonly TargetGroup[] = [];
  /** Loops of gone targets still writing their staleness markers. */
  readonly #ending = new Set<Promise<void>>();
  /** The reload in progress; syncs wait for it. */
  #reloading: Promise<void> | undefined;
  #stopped = false;

  /** Throws when the config's TLS files cannot be read. */
  constructor(cfg: ScrapeConfig, deps: ScrapePoolDeps) {
    this.#cfg = cfg;
    this.#deps = deps;
    this.#dispatcher = poolDispatcher(cfg.httpClient);
    deps.metrics.poolTargetLimit.set({ scrape_job: cfg.jobName }, cfg.targetLimit);
  }

  get name(): string {
    return this.#cfg.jobName;
  }

  get config(): ScrapeConfig {
    return this.#cfg;
  }

  /** The active targets, in no particular order. */
  activeTargets(): Target[] {
    return [...this.#loops.values()].map((l) => l.target);
  }

  /** Targets that relabeling dropped (at most `keep_dropped_targets` when set). */
  droppedTargets(): readonly DroppedTarget[] {
    return this.#dropped;
  }

  /** Replaces the pool's target groups with `groups` (all of the job's groups). */
  sync(groups: readonly TargetGroup[]): void {
    if (this.#stopped) return;
    this.#groups = groups;
    // A reload in progress syncs with the latest groups when it is done.
    if (this.#reloading === undefined) this.#sync(undefined);
  }

  /**
   * Applies a changed config: stops every loop (waiting for scrapes in flight), then restarts the
   * targets under the new config. Loops keep their scrape caches when metric relabeling and label
   * handling are unchanged; otherwise the old loops write staleness markers as for a gone target.
   */
  reload(cfg: ScrapeConfig): Promise<void> {
    const run = async (): Promise<void> => {
      const { metrics, logger } = this.#deps;
      metrics.scrapePoolReloads.inc();
      const start = performance.now();
      let dispatcher: Dispatcher;
      try {
        dispatcher = poolDispatcher(cfg.httpClient);
      } catch (err) {
        metrics.scrapePoolReloadsFailed.inc();
        logger.error('Error reloading scrape pool', { scrape_pool: cfg.jobName, err: String(err) });
        return;
      }
      const reusable = cacheReusable(this.#cfg, cfg);
      const old = [...this.#loops];
      this.#loops.clear();
      await Promise.all(old.map(([, l]) => l.stop()));
      // Stopped meanwhile: no new loops will take the caches over, so the old ones mark stale.
      const reuse = reusable && !this.#stopped;
      const caches = new Map<string, ScrapeCache>();
      for (const [key, l] of old) {
        if (reuse) caches.set(key, l.cache);
        else this.#track(l.markStale(this.#deps.hurry));
      }
      closeDispatcher(this.#dispatcher);
      this.#cfg = cfg;
      this.#dispatcher = dispatcher;
      metrics.poolTargetLimit.set({ scrape_job: cfg.jobName }, cfg.targetLimit);
      if (!this.#stopped) this.#sync(caches);
      metrics.reloadLength.observe(
        { interval: formatDuration(cfg.scrapeInterval) },
        (performance.now() - start) / 1000,
      );
    };
    const p = (this.#reloading ?? Promise.resolve()).then(run).finally(() => {
      if (this.#reloading === p) this.#reloading = undefined;
    });
    this.#reloading = p;
    return p;
  }

  /**
   * Stops every loop, waits for scrapes in flight and writes the staleness markers of all targets
   * (after the usual wait, unless `hurry` has aborted).
   */
  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#reloading;
    const loops = [...this.#loops.values()];
    this.#loops.clear();
    for (const l of loops) this.#track(l.stop().then(() => l.markStale(this.#deps.hurry)));
    await Promise.all(this.#ending);
    closeDispatcher(this.#dispatcher);
    this.#deps.metrics.poolTargets.set({ scrape_job: this.#cfg.jobName }, 0);
  }

  #track(p: Promise<void>): void {
    const tracked = p
      .catch((err: unknown) => this.#deps.logger.error('Stopping scrape loop failed', { err: String(err) }))
      .finally(() => this.#ending.delete(tracked));
    this.#ending.add(tracked);
  }

  /** Turns the groups into targets and starts and stops loops to match. */
  #sync(caches: ReadonlyMap<string, ScrapeCache> | undefined): void {
    const { metrics, logger } = this.#deps;
    const cfg = this.#cfg;
    const start = performance.now();
    const out: GroupTargets = { active: [], dropped: [], failures: [] };
    for (const g of this.#groups) targetsFromGroup(g, cfg, out);
    for (const err of out.failures) {
      logger.error('Creating target failed', { scrape_pool: cfg.jobName, err: err.message });
      metrics.syncFailed.inc({ scrape_job: cfg.jobName });
    }
    this.#dropped = cfg.keepDroppedTargets > 0 ? out.dropped.slice(0, cfg.keepDroppedTargets) : out.dropped;

    const wanted = new Map<string, Target>();
    for (const t of out.active) if (!wanted.has(t.key)) wanted.set(t.key, t);
    for (const [key, loop] of this.#loops) {
      if (wanted.has(key)) continue;
      this.#loops.delete(key);
      this.#track(loop.stop().then(() => loop.markStale(this.#deps.hurry)));
    }
    for (const [key, t] of wanted) {
      const existing = this.#loops.get(key);
      if (existing !== undefined) {
        existing.target.discoveredLabels = t.discoveredLabels;
        continue;
      }
      const loop = new ScrapeLoop(
        { target: t, config: cfg, offsetSeed: this.#deps.offsetSeed, cache: caches?.get(key) },
        {
          appendable: this.#deps.appendable,
          logger: this.#deps.logger,
          metrics,
          dispatcher: this.#dispatcher,
        },
      );
      this.#loops.set(key, loop);
      loop.start();
    }

    // Over target_limit, every scrape of the pool fails (up=0) until the targets are fewer.
    let limitErr: Error | undefined;
    if (cfg.targetLimit > 0 && this.#loops.size > cfg.targetLimit) {
      limitErr = new Error(
        `target_limit exceeded (number of targets: ${this.#loops.size}, limit: ${cfg.targetLimit})`,
      );
      metrics.poolExceededTargetLimit.inc();
    }
    for (const loop of this.#loops.values()) loop.setForcedError(limitErr);

    metrics.poolTargets.set({ scrape_job: cfg.jobName }, this.#loops.size);
    metrics.poolSyncs.inc({ scrape_job: cfg.jobName });
    metrics.syncLength.observe({ scrape_job: cfg.jobName }, (performance.now() - start) / 1000);
  }
}

/** Closes the connections of a pool whose loops have all stopped. */
function closeDispatcher(d: Dispatcher): void {
  d.destroy().catch(() => {});
}
