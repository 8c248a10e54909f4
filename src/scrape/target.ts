/**
 * Scrape targets: Prometheus' target label rules (scrape/target.go `PopulateLabels`) that turn a
 * discovered label set into the labels and URL of a target, and the state a target shows in
 * `/api/v1/targets`.
 */
import { hostname } from 'node:os';
import { Labels, LabelsBuilder } from '../model/labels.js';
import { DurationError, formatDuration, parseDuration } from '../model/time.js';
import type { ScrapeConfig } from '../config/scrape.js';
import type { TargetGroup } from '../discovery/discoverer.js';
import { relabel } from '../relabel/relabel.js';
import type { TargetHealth } from './target-json-types.js';

export const ADDRESS_LABEL = '__address__';
export const SCHEME_LABEL = '__scheme__';
export const METRICS_PATH_LABEL = '__metrics_path__';
export const SCRAPE_INTERVAL_LABEL = '__scrape_interval__';
export const SCRAPE_TIMEOUT_LABEL = '__scrape_timeout__';
export const PARAM_LABEL_PREFIX = '__param_';
export const META_LABEL_PREFIX = '__meta_';
export const RESERVED_LABEL_PREFIX = '__';
export const JOB_LABEL = 'job';
export const INSTANCE_LABEL = 'instance';

/** A target that relabeling dropped, kept for the API with the labels it was discovered with. */
export interface DroppedTarget {
  readonly discoveredLabels: Labels;
  readonly scrapePool: string;
}

/**
 * One target of a scrape pool: its labels (internal `__` labels included), its URL and interval,
 * and the outcome of its last scrape, which the scrape loop records.
 */
export class Target {
  /** The labels as discovered, with the job's defaults, before relabeling. */
  discoveredLabels: Labels;
  /** The labels after relabeling, internal ones (`__address__`, `__param_*`, …) included. */
  readonly labels: Labels;
  /** The labels attached to every sample: `labels` without the `__`-prefixed ones. */
  readonly publicLabels: Labels;
  readonly scrapePool: string;
  readonly url: string;
  readonly intervalMs: number;
  readonly timeoutMs: number;
  /** Identity within a pool: labels and URL, as Prometheus' target hash. */
  readonly key: string;

  health: TargetHealth = 'unknown';
  lastError = '';
  /** Start of the last scrape (ms since the epoch), 0 before the first. */
  lastScrape = 0;
  /** Duration of the last scrape in seconds. */
  lastScrapeDuration = 0;

  constructor(scrapePool: string, labels: Labels, discoveredLabels: Labels) {
    this.scrapePool = scrapePool;
    this.labels = labels;
    this.discoveredLabels = discoveredLabels;
    const pub: string[] = [];
    labels.forEach((n, v) => {
      if (!n.startsWith(RESERVED_LABEL_PREFIX)) pub.push(n, v);
    });
    this.publicLabels = Labels.fromSortedPairs(pub);
    this.url = targetUrl(labels);
    this.intervalMs = parseDuration(labels.get(SCRAPE_INTERVAL_LABEL));
    this.timeoutMs = parseDuration(labels.get(SCRAPE_TIMEOUT_LABEL));
    this.key = labels.key + '\n' + this.url;
  }

  /** The URL with a loopback host replaced by this machine's name, as Prometheus' `globalUrl`. */
  globalUrl(): string {
    const u = new URL(this.url);
    if (u.hostname === 'localhost' || u.hostname === '127.0.0.1' || u.hostname === '[::1]') {
      u.hostname = hostname();
    }
    return u.toString();
  }

  /** Records the outcome of a scrape. */
  report(start: number, durationSeconds: number, err: Error | undefined): void {
    this.health = err === undefined ? 'up' : 'down';
    this.lastError = err === undefined ? '' : err.message;
    this.lastScrape = start;
    this.lastScrapeDuration = durationSeconds;
  }
}

/** `scheme://address/path?params`, with `__param_*` labels overriding the configured first values. */
function targetUrl(labels: Labels): string {
  const params = new Map<string, string>();
  labels.forEach((n, v) => {
    if (n.startsWith(PARAM_LABEL_PREFIX)) params.set(n.slice(PARAM_LABEL_PREFIX.length), v);
  });
  let url = `${labels.get(SCHEME_LABEL)}://${labels.get(ADDRESS_LABEL)}${labels.get(METRICS_PATH_LABEL)}`;
  if (params.size > 0) {
    // Go's url.Values.Encode sorts by key.
    const q = new URLSearchParams([...params].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)));
    url += (url.includes('?') ? '&' : '?') + q.toString();
  }
  return url;
}

/** The configured query parameters of a job: name → values. */
function configParams(cfg: ScrapeConfig): [string, string[]][] {
  return Object.entries(cfg.params);
}

/**
 * The labels a target is discovered with: the target's own labels, the group's where the target
 * has none, then the job's defaults (`job`, `__scheme__`, `__metrics_path__`, interval, timeout,
 * the first value of each param) where still unset.
 */
export function discoveredLabels(target: Labels, group: Labels, cfg: ScrapeConfig): Labels {
  const b = new LabelsBuilder(group);
  target.forEach((n, v) => b.set(n, v));
  const defaults: [string, string][] = [
    [JOB_LABEL, cfg.jobName],
    [SCRAPE_INTERVAL_LABEL, formatDuration(cfg.scrapeInterval)],
    [SCRAPE_TIMEOUT_LABEL, formatDuration(cfg.scrapeTimeout)],
    [METRICS_PATH_LABEL, cfg.metricsPath],
    [SCHEME_LABEL, cfg.scheme],
  ];
  for (const [k, vs] of configParams(cfg)) if (vs.length > 0) defaults.push([PARAM_LABEL_PREFIX + k, vs[0]]);
  for (const [n, v] of defaults) if (b.get(n) === '') b.set(n, v);
  return b.labels();
}

/** The outcome of the label rules for one discovered target. */
export type PopulateResult =
  { kind: 'active'; labels: Labels } | { kind: 'dropped' } | { kind: 'error'; error: Error };

/**
 * Applies `relabel_configs` and Prometheus' checks to discovered labels: a missing or invalid
 * address, an unparsable or zero interval or timeout, a timeout above the interval are errors;
 * `__meta_*` labels are removed and `instance` defaults to the address.
 */
export function populateLabels(discovered: Labels, cfg: ScrapeConfig): PopulateResult {
  const relabeled = relabel(discovered, cfg.relabelConfigs);
  if (relabeled === undefined) return { kind: 'dropped' };
  const addr = relabeled.get(ADDRESS_LABEL);
  if (addr === '') return { kind: 'error', error: new Error('no address') };
  if (addr.includes('/')) return { kind: 'error', error: new Error(`"${addr}" is not a valid hostname`) };
  const interval = relabeled.get(SCRAPE_INTERVAL_LABEL);
  const timeout = relabeled.get(SCRAPE_TIMEOUT_LABEL);
  const intervalMs = durationOf(interval, 'interval');
  if (intervalMs instanceof Error) return { kind: 'error', error: intervalMs };
  const timeoutMs = durationOf(timeout, 'timeout');
  if (timeoutMs instanceof Error) return { kind: 'error', error: timeoutMs };
  if (timeoutMs > intervalMs) {
    return {
      kind: 'error',
      error: new Error(
        `scrape timeout cannot be greater than scrape interval ("${timeout}" > "${interval}")`,
      ),
    };
  }
  const b = new LabelsBuilder(relabeled);
  b.retain((n) => !n.startsWith(META_LABEL_PREFIX));
  if (b.get(INSTANCE_LABEL) === '') b.set(INSTANCE_LABEL, addr);
  return { kind: 'active', labels: b.labels() };
}

function durationOf(text: string, what: 'interval' | 'timeout'): number | Error {
  let ms: number;
  try {
    ms = parseDuration(text);
  } catch (e) {
    const msg = e instanceof DurationError ? e.message : String(e);
    return new Error(`error parsing scrape ${what}: ${msg}`, { cause: e });
  }
  return ms === 0 ? new Error(`scrape ${what} cannot be 0`) : ms;
}

/** Targets of one group: active ones, dropped ones and the errors of invalid ones. */
export interface GroupTargets {
  active: Target[];
  dropped: DroppedTarget[];
  failures: Error[];
}

/** Builds the targets of `group` for the job `cfg`, appending to `out`. */
export function targetsFromGroup(group: TargetGroup, cfg: ScrapeConfig, out: GroupTargets): void {
  for (const t of group.targets) {
    const discovered = discoveredLabels(t, group.labels, cfg);
    const r = populateLabels(discovered, cfg);
    if (r.kind === 'active') out.active.push(new Target(cfg.jobName, r.labels, discovered));
    else if (r.kind === 'dropped')
      out.dropped.push({ discoveredLabels: discovered, scrapePool: cfg.jobName });
    else
      out.failures.push(
        new Error(`instance ${t.get(ADDRESS_LABEL)}: ${r.error.message}`, { cause: r.error }),
      );
  }
}
