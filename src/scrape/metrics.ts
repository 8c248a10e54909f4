/**
 * The scrape side's self-monitoring metrics, under Prometheus' names (scrape/metrics.go) where the
 * meaning is the same, so dashboards built for Prometheus read Vigil's.
 */
import { Counter, Gauge, Summary } from 'prom-client';
import type { Registry } from 'prom-client';

/** Prometheus' summary objectives for interval and sync lengths. */
const PERCENTILES = [0.01, 0.05, 0.5, 0.9, 0.99];

/** The metrics of one scrape manager; its pools and loops share them. */
export class ScrapeMetrics {
  readonly scrapePools: Counter;
  readonly scrapePoolsFailed: Counter;
  readonly scrapePoolReloads: Counter;
  readonly scrapePoolReloadsFailed: Counter;
  readonly reloadLength: Summary<'interval'>;
  readonly syncLength: Summary<'scrape_job'>;
  readonly poolSyncs: Counter<'scrape_job'>;
  readonly syncFailed: Counter<'scrape_job'>;
  readonly poolTargets: Gauge<'scrape_job'>;
  readonly poolTargetLimit: Gauge<'scrape_job'>;
  readonly poolExceededTargetLimit: Counter;
  readonly poolExceededLabelLimits: Counter;
  readonly intervalLength: Summary<'interval'>;
  readonly exceededBodySizeLimit: Counter;
  readonly exceededSampleLimit: Counter;
  readonly sampleOutOfOrder: Counter;
  readonly sampleDuplicate: Counter;
  readonly sampleOutOfBounds: Counter;
  readonly cacheFlushForced: Counter;

  constructor(registry: Registry) {
    const registers = [registry];
    const counter = <L extends string = string>(
      name: string,
      help: string,
      labelNames: L[] = [],
    ): Counter<L> => new Counter<L>({ name, help, labelNames, registers });
    const gauge = <L extends string>(name: string, help: string, labelNames: L[]): Gauge<L> =>
      new Gauge<L>({ name, help, labelNames, registers });
    const summary = <L extends string>(name: string, help: string, labelNames: L[]): Summary<L> =>
      new Summary<L>({
        name,
        help,
        labelNames,
        percentiles: PERCENTILES,
        maxAgeSeconds: 600,
        ageBuckets: 5,
        registers,
      });

    this.scrapePools = counter(
      'prometheus_target_scrape_pools_total',
      'Total number of scrape pool creation attempts.',
    );
    this.scrapePoolsFailed = counter(
      'prometheus_target_scrape_pools_failed_total',
      'Total number of scrape pool creations that failed.',
    );
    this.scrapePoolReloads = counter(
      'prometheus_target_scrape_pool_reloads_total',
      'Total number of scrape pool reloads.',
    );
    this.scrapePoolReloadsFailed = counter(
      'prometheus_target_scrape_pool_reloads_failed_total',
      'Total number of failed scrape pool reloads.',
    );
    this.reloadLength = summary(
      'prometheus_target_reload_length_seconds',
      'Actual interval to reload the scrape pool with a given configuration.',
      ['interval'],
    );
    this.syncLength = summary(
      'prometheus_target_sync_length_seconds',
      'Actual interval to sync the scrape pool.',
      ['scrape_job'],
    );
    this.poolSyncs = counter(
      'prometheus_target_scrape_pool_sync_total',
      'Total number of syncs that were executed on a scrape pool.',
      ['scrape_job'],
    );
    this.syncFailed = counter(
      'prometheus_target_sync_failed_total',
      'Total number of target sync failures.',
      ['scrape_job'],
    );
    this.poolTargets = gauge(
      'prometheus_target_scrape_pool_targets',
      'Current number of targets in this scrape pool.',
      ['scrape_job'],
    );
    this.poolTargetLimit = gauge(
      'prometheus_target_scrape_pool_target_limit',
      'Maximum number of targets allowed in this scrape pool.',
      ['scrape_job'],
    );
    this.poolExceededTargetLimit = counter(
      'prometheus_target_scrape_pool_exceeded_target_limit_total',
      'Total number of times scrape pools hit the target limit, during sync or config reload.',
    );
    this.poolExceededLabelLimits = counter(
      'prometheus_target_scrape_pool_exceeded_label_limits_total',
      'Total number of times scrape pools hit the label limits, during sync or config reload.',
    );
    this.intervalLength = summary(
      'prometheus_target_interval_length_seconds',
      'Actual intervals between scrapes.',
      ['interval'],
    );
    this.exceededBodySizeLimit = counter(
      'prometheus_target_scrapes_exceeded_body_size_limit_total',
      'Total number of scrapes that hit the body size limit',
    );
    this.exceededSampleLimit = counter(
      'prometheus_target_scrapes_exceeded_sample_limit_total',
      'Total number of scrapes that hit the sample limit and were rejected.',
    );
    this.sampleOutOfOrder = counter(
      'prometheus_target_scrapes_sample_out_of_order_total',
      'Total number of samples rejected due to not being out of the expected order.',
    );
    this.sampleDuplicate = counter(
      'prometheus_target_scrapes_sample_duplicate_timestamp_total',
      'Total number of samples rejected due to duplicate timestamps but different values.',
    );
    this.sampleOutOfBounds = counter(
      'prometheus_target_scrapes_sample_out_of_bounds_total',
      'Total number of samples rejected due to timestamp falling outside of the time bounds.',
    );
    this.cacheFlushForced = counter(
      'prometheus_target_scrapes_cache_flush_forced_total',
      'How many times a scrape cache was flushed due to getting big while scrapes are failing.',
    );
  }
}
