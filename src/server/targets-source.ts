/** Presents the scrape manager's targets to the HTTP API (`/api/v1/targets` and friends). */
import { formatDuration } from '../model/time.js';
import type { ScrapeManager } from '../scrape/manager.js';
import type { Target } from '../scrape/target.js';
import type { ActiveTarget, DroppedTarget, TargetsSource } from '../web/sources.js';

function activeTarget(t: Target): ActiveTarget {
  return {
    discoveredLabels: t.discoveredLabels,
    labels: t.publicLabels,
    scrapePool: t.scrapePool,
    scrapeUrl: t.url,
    globalUrl: t.globalUrl(),
    lastError: t.lastError,
    lastScrape: t.lastScrape === 0 ? undefined : new Date(t.lastScrape),
    lastScrapeDuration: t.lastScrapeDuration,
    health: t.health,
    scrapeInterval: formatDuration(t.intervalMs),
    scrapeTimeout: formatDuration(t.timeoutMs),
    metadata: [],
  };
}

/** A `TargetsSource` reading the scrape manager's live state on every call (empty before it starts). */
export function targetsSource(manager: () => ScrapeManager | undefined): TargetsSource {
  return {
    activeTargets: () => [...(manager()?.activeTargets().values() ?? [])].flat().map(activeTarget),
    droppedTargets: (): DroppedTarget[] => [...(manager()?.droppedTargets().values() ?? [])].flat(),
    droppedTargetCounts: () =>
      new Map([...(manager()?.droppedTargets() ?? [])].map(([job, ts]) => [job, ts.length])),
    scrapePools: () => manager()?.scrapePools() ?? [],
  };
}
