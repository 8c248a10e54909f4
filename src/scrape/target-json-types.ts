/**
 * The JSON shapes of `/api/v1/targets` (querying/api.md), in a file that imports nothing: the web
 * console imports them as types (`web/ui/src/lib/api-types.ts`) without pulling in the server.
 */

/** A target's health after its last scrape, as the API reports it. */
export type TargetHealth = 'up' | 'down' | 'unknown';

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
