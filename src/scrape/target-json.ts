/** The JSON shapes of `/api/v1/targets` (querying/api.md) for active and dropped targets. */
import { formatDuration } from '../model/time.js';
import type { DroppedTarget, Target, TargetHealth } from './target.js';

/** One entry of `activeTargets`. */
export interface ActiveTargetJson {
  discoveredLabels: Record<string, string>;
  labels: Record<string, string>;
  scrapePool: string;
  scrapeUrl: string;
  globalUrl: string;
  lastError: string;
  /** RFC 3339; Go's zero time before the first scrape, as Prometheus prints it. */
  lastScrape: string;
  /** Seconds. */
  lastScrapeDuration: number;
  health: TargetHealth;
  scrapeInterval: string;
  scrapeTimeout: string;
}

/** One entry of `droppedTargets`. */
export interface DroppedTargetJson {
  discoveredLabels: Record<string, string>;
  scrapePool: string;
}

/** Go's zero `time.Time`, which Prometheus reports for a target not scraped yet. */
const ZERO_TIME = '0001-01-01T00:00:00Z';

export function activeTargetJson(t: Target): ActiveTargetJson {
  return {
    discoveredLabels: t.discoveredLabels.toRecord(),
    labels: t.publicLabels.toRecord(),
    scrapePool: t.scrapePool,
    scrapeUrl: t.url,
    globalUrl: t.globalUrl(),
    lastError: t.lastError,
    lastScrape: t.lastScrape === 0 ? ZERO_TIME : new Date(t.lastScrape).toISOString(),
    lastScrapeDuration: t.lastScrapeDuration,
    health: t.health,
    scrapeInterval: formatDuration(t.intervalMs),
    scrapeTimeout: formatDuration(t.timeoutMs),
  };
}

export function droppedTargetJson(d: DroppedTarget): DroppedTargetJson {
  return { discoveredLabels: d.discoveredLabels.toRecord(), scrapePool: d.scrapePool };
}
