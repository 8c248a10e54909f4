/**
 * One scrape loop per target: scrape at a stable offset within the interval, append the payload
 * in one transaction (commit on success, rollback on failure), then the synthetic series in their
 * own, and write staleness markers for series that vanish or when the loop ends.
 */
import type { ScrapeConfig } from '../config/scrape.js';
import { abortableSleep } from '../discovery/abortable-sleep.js';
import { DEFAULT_ESCAPING_SCHEME, parseEscapingScheme } from '../exposition/escaping.js';
import type { EscapingScheme } from '../exposition/escaping.js';
import { parserForContentType, scrapeAcceptHeader } from '../exposition/negotiation.js';
import type { ExpositionParser } from '../exposition/entry.js';
import { OpenMetricsParser } from '../exposition/openmetrics-parser.js';
import { TextParser } from '../exposition/text-parser.js';
import { hashString } from '../model/labels.js';
import { formatDuration } from '../model/time.js';
import type { Appendable, Appender } from '../storage/interface.js';
import type { Logger } from '../util/logger.js';
import { AppendStats, appendScrape, appendStale } from './append.js';
import type { AppendOptions } from './append.js';
import { CacheEntry, ScrapeCache } from './cache.js';
import type { ScrapeMetrics } from './metrics.js';
import { reportLabels } from './sample-labels.js';
import { BodySizeLimitError, HttpScraper } from './scraper.js';
import type { Dispatcher } from 'undici';
import type { Target } from './target.js';

/** Prometheus aligns timestamps within this tolerance so chunks compress better (issue #7846). */
const TIMESTAMP_TOLERANCE_MS = 2;

/** The synthetic series, in the order they are appended. */
const REPORT_NAMES = [
  'up',
  'scrape_duration_seconds',
  'scrape_samples_scraped',
  'scrape_samples_post_metric_relabeling',
  'scrape_series_added',
] as const;
const EXTRA_REPORT_NAMES = [
  'scrape_timeout_seconds',
  'scrape_sample_limit',
  'scrape_body_size_bytes',
] as const;

/** Dependencies of a {@link ScrapeLoop}. */
export interface ScrapeLoopDeps {
  appendable: Appendable;
  logger: Logger;
  metrics: ScrapeMetrics;
  /** The pool's connections. */
  dispatcher: Dispatcher;
}

/** Options of a {@link ScrapeLoop}. */
export interface ScrapeLoopOptions {
  target: Target;
  config: ScrapeConfig;
  /** Mixed into the offset hash, so servers scraping the same targets spread differently. */
  offsetSeed: number;
  /** A cache taken over from the loop this one replaces (config reload), if compatible. */
  cache?: ScrapeCache;
}

/**
 * The delay from `now` to the target's next slot: slots sit at a fixed offset (hash of the target
 * and the seed) within each interval of absolute time, as Prometheus' `Target.offset`, so a
 * restart or reload keeps the phase.
 */
export function scrapeDelay(target: Target, intervalMs: number, seed: number, now: number): number {
  const offset = hashString(target.key, seed) % intervalMs;
  return (((offset - (now % intervalMs)) % intervalMs) + intervalMs) % intervalMs;
}

/** The escaping a scrape asks for: UTF-8 names unless the job validates legacy names. */
function escapingFor(cfg: ScrapeConfig): EscapingScheme {
  if (cfg.metricNameValidationScheme !== 'legacy') return 'allow-utf-8';
  return parseEscapingScheme(cfg.metricNameEscapingScheme) ?? DEFAULT_ESCAPING_SCHEME;
}

/** Scrapes one target until stopped. */
export class ScrapeLoop {
  readonly target: Target;
  readonly #cfg: ScrapeConfig;
  readonly #deps: ScrapeLoopDeps;
  readonly #seed: number;
  readonly #scraper: HttpScraper;
  readonly #cache: ScrapeCache;
  readonly #stats = new AppendStats();
  readonly #report: CacheEntry[];
  readonly #appendOptions: AppendOptions;
  #stopped = false;
  /** The wait for the next slot: its timer and how to end it early (on stop). */
  #slotTimer: NodeJS.Timeout | undefined;
  #endSlotWait: (() => void) | undefined;
  #running: Promise<void> | undefined;
  #forcedError: Error | undefined;
  /** Start of the last scrape, 0 before the first. */
  #last = 0;
  #aligned = 0;

  constructor(options: ScrapeLoopOptions, deps: ScrapeLoopDeps) {
    this.target = options.target;
    this.#cfg = options.config;
    this.#deps = deps;
    this.#seed = options.offsetSeed;
    this.#cache = options.cache ?? new ScrapeCache();
    const cfg = options.config;
    // No protobuf parser yet: never ask for it.
    const protocols = cfg.scrapeProtocols.filter((p) => p !== 'PrometheusProto');
    this.#scraper = new HttpScraper({
      url: this.target.url,
      accept: scrapeAcceptHeader(protocols, escapingFor(cfg)),
      timeoutMs: this.target.timeoutMs,
      bodySizeLimit: cfg.bodySizeLimit,
      enableCompression: cfg.enableCompression,
      httpClient: cfg.httpClient,
      dispatcher: deps.dispatcher,
    });
    const names: readonly string[] = cfg.extraScrapeMetrics
      ? [...REPORT_NAMES, ...EXTRA_REPORT_NAMES]
      : REPORT_NAMES;
    this.#report = names.map((n) => new CacheEntry(reportLabels(n, this.target.publicLabels)));
    this.#appendOptions = {
      targetLabels: this.target.publicLabels,
      honorLabels: cfg.honorLabels,
      honorTimestamps: cfg.honorTimestamps,
      trackTimestampsStaleness: cfg.trackTimestampsStaleness,
      metricRelabelConfigs: cfg.metricRelabelConfigs,
      labelLimits: cfg,
      sampleLimit: cfg.sampleLimit,
    };
  }

  /** The cache, for a loop that replaces this one with a compatible config. */
  get cache(): ScrapeCache {
    return this.#cache;
  }

  /** Starts scraping at the target's next slot. */
  start(): void {
    this.#running ??= this.#run();
  }

  /**
   * Fails every scrape with `err` without contacting the target (the pool's `target_limit`), or
   * clears that with `undefined`.
   */
  setForcedError(err: Error | undefined): void {
    this.#forcedError = err;
  }

  /**
   * Scrapes once now, outside the schedule, and records it as a scheduled scrape would (for
   * benchmarks and tools). Not to be called while the loop runs (`start()`).
   */
  async scrapeOnce(): Promise<void> {
    if (this.#running !== undefined) throw new Error('scrapeOnce on a running scrape loop');
    await this.#scrapeAndReport(this.#scrapeTime(Date.now()));
  }

  /** Stops scheduling and waits for a scrape in flight to finish. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#wakeUp();
    await this.#running;
  }

  /**
   * After `stop()`: writes staleness markers for the last scrape's series and the synthetic ones.
   * Waits about two more intervals first, as Prometheus does (a target recreated meanwhile has
   * newer samples, and the markers are rejected as out of order), or writes at once when `hurry`
   * aborts (shutdown). Nothing is written for a loop that never scraped.
   */
  async markStale(hurry: AbortSignal): Promise<void> {
    if (this.#last === 0) return;
    const interval = this.target.intervalMs;
    const staleTime = this.#last + interval * Math.max(1, Math.ceil((Date.now() - this.#last) / interval));
    await abortableSleep(Math.max(0, staleTime + interval * 1.1 - Date.now()), hurry).done;
    const t = Math.min(staleTime, Date.now());
    const app = this.#deps.appendable.appender();
    this.#cache.forEachPrev((e) => appendStale(app, e, t));
    for (const e of this.#report) appendStale(app, e, t);
    await this.#finish(app, true);
  }

  async #run(): Promise<void> {
    const interval = this.target.intervalMs;
    let next = Date.now() + scrapeDelay(this.target, interval, this.#seed, Date.now());
    while (!this.#stopped) {
      await this.#waitUntil(next);
      if (this.#stopped) break;
      await this.#scrapeAndReport(this.#scrapeTime(Date.now()));
      next += interval;
      const now = Date.now();
      // A scrape never outlasts its interval (timeout ≤ interval), but the event loop may stall:
      // skip the slots that passed rather than scrape in a burst.
      if (next <= now) next += Math.ceil((now - next + 1) / interval) * interval;
    }
  }

  /**
   * Resolves at `time` (ms since the epoch) or on stop. A plain timer: an abort-signal listener
   * added and removed per scrape cost as much as the timer.
   */
  #waitUntil(time: number): Promise<void> {
    return new Promise((resolve) => {
      this.#endSlotWait = resolve;
      this.#slotTimer = setTimeout(this.#wakeUp, Math.max(0, time - Date.now()));
    });
  }

  readonly #wakeUp = (): void => {
    clearTimeout(this.#slotTimer);
    const end = this.#endSlotWait;
    this.#endSlotWait = undefined;
    end?.();
  };

  /** The scrape's timestamp: aligned to the previous one plus the interval when within tolerance. */
  #scrapeTime(now: number): number {
    const interval = this.target.intervalMs;
    if (this.#aligned === 0) {
      this.#aligned = now;
      return now;
    }
    const tolerance = Math.min(interval / 100, TIMESTAMP_TOLERANCE_MS);
    while (now - this.#aligned >= interval) this.#aligned += interval;
    return now - this.#aligned <= tolerance ? this.#aligned : now;
  }

  async #scrapeAndReport(t: number): Promise<void> {
    const { metrics, logger } = this.#deps;
    const start = performance.now();
    if (this.#last !== 0) {
      metrics.intervalLength.observe(
        { interval: formatDuration(this.target.intervalMs) },
        (t - this.#last) / 1000,
      );
    }
    this.#last = t;
    const stats = this.#stats;
    stats.reset();
    let err: Error | undefined = this.#forcedError;
    let bytes = 0;
    const app = this.#deps.appendable.appender();
    if (err === undefined) {
      try {
        bytes = await this.#scraper.scrape((body, contentType) => {
          appendScrape(app, this.#parser(body, contentType), this.#cache, this.#appendOptions, t, stats);
          return body.length;
        });
        err = stats.err;
      } catch (e) {
        err = e instanceof Error ? e : new Error(String(e));
        if (e instanceof BodySizeLimitError) metrics.exceededBodySizeLimit.inc();
      }
    }
    if (stats.sampleLimitExceeded) metrics.exceededSampleLimit.inc();
    if (stats.labelLimitExceeded) metrics.poolExceededLabelLimits.inc();
    this.#countRejections(stats);
    if (err === undefined) err = await this.#finish(app, false);
    else await app.rollback();

    // The synthetic series, and on failure staleness markers for everything the last scrape had.
    const rep = this.#deps.appendable.appender();
    if (err !== undefined) this.#cache.forEachPrev((e) => appendStale(rep, e, t));
    const flushed = this.#cache.iterDone(err === undefined, stats.total);
    if (flushed) metrics.cacheFlushForced.inc();
    const duration = (performance.now() - start) / 1000;
    const values = [err === undefined ? 1 : 0, duration, stats.total, stats.added, stats.seriesAdded];
    if (this.#cfg.extraScrapeMetrics) values.push(this.target.timeoutMs / 1000, this.#cfg.sampleLimit, bytes);
    for (let i = 0; i < this.#report.length; i++) this.#appendReport(rep, this.#report[i], t, values[i]);
    await this.#finish(rep, true);

    if (err !== undefined)
      logger.debug('Scrape failed', { job: this.target.scrapePool, target: this.target.url, err });
    const before = this.target.health;
    this.target.report(t, duration, err);
    // Visible: a target going down (also on its first scrape) and coming back; not every first success.
    if (err !== undefined ? before !== 'down' : before === 'down') {
      logger.info(err === undefined ? 'Target is up' : 'Target is down', {
        job: this.target.scrapePool,
        target: this.target.url,
        err,
      });
    }
  }

  #appendReport(app: Appender, e: CacheEntry, t: number, v: number): void {
    try {
      e.ref = app.append(e.ref, e.labels!, t, v);
    } catch (err) {
      this.#deps.logger.debug('Appending a report sample failed', {
        series: e.labels!.toString(),
        err: String(err),
      });
    }
  }

  /** Commits `app`; a failed commit is logged and returned (it fails the scrape), never thrown. */
  async #finish(app: Appender, quiet: boolean): Promise<Error | undefined> {
    try {
      await app.commit();
      return undefined;
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      if (!quiet)
        this.#deps.logger.warn('Committing scraped samples failed', { target: this.target.url, err });
      else this.#deps.logger.debug('Committing samples failed', { target: this.target.url, err });
      return err;
    }
  }

  #parser(body: Uint8Array, contentType: string | undefined): ExpositionParser {
    const choice = parserForContentType(contentType, this.#cfg.fallbackScrapeProtocol ?? null);
    if (choice === undefined) {
      throw new Error(
        `received unsupported Content-Type "${contentType ?? ''}" and no fallback_scrape_protocol specified for target`,
      );
    }
    if (choice.format === 'openmetrics') return new OpenMetricsParser(body, { validate: false });
    if (choice.format === 'text') return new TextParser(body);
    throw new Error(`unsupported scrape format ${choice.protocol}`);
  }

  #countRejections(stats: AppendStats): void {
    const { metrics, logger } = this.#deps;
    const target = this.target.url;
    if (stats.outOfOrder > 0) {
      metrics.sampleOutOfOrder.inc(stats.outOfOrder);
      logger.warn('Error on ingesting out-of-order samples', { target, num_dropped: stats.outOfOrder });
    }
    if (stats.duplicate > 0) {
      metrics.sampleDuplicate.inc(stats.duplicate);
      logger.warn('Error on ingesting samples with different value but same timestamp', {
        target,
        num_dropped: stats.duplicate,
      });
    }
    if (stats.outOfBounds > 0) {
      metrics.sampleOutOfBounds.inc(stats.outOfBounds);
      logger.warn('Error on ingesting samples that are too old or are too far into the future', {
        target,
        num_dropped: stats.outOfBounds,
      });
    }
    if (stats.rejected > 0)
      logger.warn('Error on ingesting samples', { target, num_dropped: stats.rejected });
  }
}
