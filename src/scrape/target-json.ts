/** The JSON of `/api/v1/targets` (querying/api.md) for active and dropped targets. */
import { formatDuration } from '../model/time.js';
import type { DroppedTarget, Target } from './target.js';
import type { ActiveTargetJson, DroppedTargetJson } from './target-json-types.js';

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
