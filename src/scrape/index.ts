/** Scraping: targets from discovered groups, one loop per target, pools per job, the manager. */
export { ScrapeManager, defaultScrapeManagerOptions } from './manager.js';
export type { ScrapeManagerDeps, ScrapeManagerOptions } from './manager.js';
export { ScrapePool } from './pool.js';
export type { ScrapePoolDeps } from './pool.js';
export { ScrapeLoop, scrapeDelay } from './loop.js';
export type { ScrapeLoopDeps, ScrapeLoopOptions } from './loop.js';
export { ScrapeMetrics } from './metrics.js';
export { Target, targetsFromGroup, discoveredLabels, populateLabels } from './target.js';
export type { DroppedTarget, GroupTargets, PopulateResult, TargetHealth } from './target.js';
export { ScrapeCache } from './cache.js';
export { appendScrape, AppendStats, SAMPLE_LIMIT_ERROR } from './append.js';
export type { AppendOptions } from './append.js';
export { sampleLabels, reportLabels, checkLabelLimits, EXPORTED_LABEL_PREFIX } from './sample-labels.js';
export type { LabelLimits } from './sample-labels.js';
export { HttpScraper, BodySizeLimitError, BODY_SIZE_LIMIT_ERROR, poolAgents } from './scraper.js';
export type { HttpScraperOptions, PoolAgents, ScrapeBody } from './scraper.js';
export { scrapeConfigKey, cacheReusable } from './config-key.js';
