/** Comparing scrape configs across reloads: what restarts a pool, and what keeps its caches. */
import { defaultHTTPClientConfig } from '../config/http-client.js';
import type { ScrapeConfig } from '../config/scrape.js';

/** Discovery blocks: they change targets, which arrive through sync, not how targets are scraped. */
const DISCOVERY_FIELDS = new Set([
  'staticConfigs',
  'fileSdConfigs',
  'dnsSdConfigs',
  'httpSdConfigs',
  'consulSdConfigs',
  'kubernetesSdConfigs',
]);

/**
 * A canonical text of the settings that affect scraping: equal texts mean a pool can keep running
 * untouched. Compiled regexes serialise as their `source` (their only public field).
 */
export function scrapeConfigKey(c: ScrapeConfig): string {
  return JSON.stringify(c, (k, v: unknown) => (DISCOVERY_FIELDS.has(k) ? undefined : v));
}

/**
 * Whether a loop's scrape cache stays valid under a new config: as Prometheus' `reusableCache`,
 * when nothing differs but the interval, timeout, sample limit and HTTP client settings (cached
 * labels depend on everything else, label limits included, and on the target, part of its key).
 */
export function cacheReusable(a: ScrapeConfig, b: ScrapeConfig): boolean {
  const key = (c: ScrapeConfig): string =>
    scrapeConfigKey({
      ...c,
      scrapeInterval: 0,
      scrapeTimeout: 0,
      sampleLimit: 0,
      httpClient: defaultHTTPClientConfig(),
    });
  return key(a) === key(b);
}
