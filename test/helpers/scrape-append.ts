/** Appending scrape payloads as a scrape loop does, for tests of the scrape cache and append path. */
import { TextParser } from '../../src/exposition/text-parser.js';
import { Labels } from '../../src/model/labels.js';
import { AppendStats, appendScrape } from '../../src/scrape/append.js';
import type { AppendOptions } from '../../src/scrape/append.js';
import type { ScrapeCache } from '../../src/scrape/cache.js';
import type { MemoryStorage } from '../../src/storage/memory.js';

/** Options of a target `{job="j", instance="i"}` with no limits, overridden by `o`. */
export function appendOptions(o: Partial<AppendOptions> = {}): AppendOptions {
  return {
    targetLabels: Labels.from({ job: 'j', instance: 'i' }),
    honorLabels: false,
    honorTimestamps: true,
    trackTimestampsStaleness: false,
    metricRelabelConfigs: [],
    labelLimits: { labelLimit: 0, labelNameLengthLimit: 0, labelValueLengthLimit: 0 },
    sampleLimit: 0,
    ...o,
  };
}

/** Scrapes `text` at `t` into `db` as a loop does: one transaction, committed unless it failed. */
export async function scrapeText(
  db: MemoryStorage,
  cache: ScrapeCache,
  text: string,
  t: number,
  o: AppendOptions = appendOptions(),
): Promise<AppendStats> {
  const stats = new AppendStats();
  const app = db.appender();
  appendScrape(app, new TextParser(Buffer.from(text)), cache, o, t, stats);
  if (stats.err === undefined) await app.commit();
  else await app.rollback();
  cache.iterDone(stats.err === undefined, stats.total);
  return stats;
}
