/**
 * The hot path of a scrape: walk the parser's entries, resolve each series through the cache
 * (labels are parsed and relabeled only on a miss), append to the transaction, then write
 * staleness markers for the series that vanished. No allocation per known series: the cache is
 * searched by the payload's bytes (see `ScrapeCache`).
 */
import { Entry } from '../exposition/entry.js';
import type { ExpositionParser } from '../exposition/entry.js';
import { STALE_NAN } from '../model/value.js';
import type { Labels } from '../model/labels.js';
import type { RelabelConfig } from '../relabel/config.js';
import { StorageError } from '../storage/errors.js';
import type { Appender } from '../storage/interface.js';
import type { CacheEntry, ScrapeCache } from './cache.js';
import { checkLabelLimits, sampleLabels } from './sample-labels.js';
import type { LabelLimits } from './sample-labels.js';

/** Prometheus' text for a scrape over `sample_limit`. */
export const SAMPLE_LIMIT_ERROR = 'sample limit exceeded';

/** How a target's samples are labeled and limited. */
export interface AppendOptions {
  /** The target's public labels. */
  readonly targetLabels: Labels;
  readonly honorLabels: boolean;
  readonly honorTimestamps: boolean;
  readonly trackTimestampsStaleness: boolean;
  readonly metricRelabelConfigs: readonly RelabelConfig[];
  readonly labelLimits: LabelLimits;
  /** 0: no limit. */
  readonly sampleLimit: number;
}

/** What one scrape appended; reused from scrape to scrape. */
export class AppendStats {
  /** Samples in the payload (`scrape_samples_scraped`). */
  total = 0;
  /** Samples appended after metric relabeling (`scrape_samples_post_metric_relabeling`). */
  added = 0;
  /** Series seen for the first time (`scrape_series_added`). */
  seriesAdded = 0;
  outOfOrder = 0;
  duplicate = 0;
  outOfBounds = 0;
  /** Other storage rejections (invalid labels, too many series). */
  rejected = 0;
  sampleLimitExceeded = false;
  labelLimitExceeded = false;
  /** The error that fails the scrape, if any. */
  err: Error | undefined = undefined;

  reset(): void {
    this.total = this.added = this.seriesAdded = 0;
    this.outOfOrder = this.duplicate = this.outOfBounds = this.rejected = 0;
    this.sampleLimitExceeded = this.labelLimitExceeded = false;
    this.err = undefined;
  }
}

/**
 * Appends one payload at `t` (ms). On success also appends staleness markers for the previous
 * scrape's series that are gone. Storage rejections are counted in `stats`, not fatal; a parse
 * error, a limit or a series without a name sets `stats.err` (the caller rolls back).
 */
export function appendScrape(
  app: Appender,
  p: ExpositionParser,
  cache: ScrapeCache,
  o: AppendOptions,
  t: number,
  stats: AppendStats,
): void {
  stats.reset();
  let appended = 0;
  try {
    for (;;) {
      const kind = p.next();
      if (kind === Entry.EOF) break;
      if (kind !== Entry.Series) continue;
      stats.total++;
      if (stats.sampleLimitExceeded) continue; // only counting from here on
      const text = p.seriesText();
      let e = cache.find(text);
      let isNew = false;
      if (e === undefined) {
        const ls = sampleLabels(p.labels(), o.targetLabels, o.honorLabels, o.metricRelabelConfigs);
        if (ls === undefined) {
          cache.add(text, undefined).lastIter = cache.iter;
          continue;
        }
        if (ls.metricName() === '') {
          stats.err = new Error('missing metric name (__name__ label)');
          break;
        }
        const limitErr = checkLabelLimits(ls, o.labelLimits);
        if (limitErr !== undefined) {
          stats.labelLimitExceeded = true;
          stats.err = limitErr;
          break;
        }
        e = cache.add(text, ls);
        isNew = true;
      }
      const labels = e.labels;
      if (labels === undefined) {
        e.lastIter = cache.iter;
        continue;
      }
      const ts = p.timestamp();
      const explicit = o.honorTimestamps && ts !== undefined;
      if (e.lastIter === cache.iter && !explicit) {
        // The same series twice in one payload: Prometheus reports a duplicate timestamp.
        stats.duplicate++;
        continue;
      }
      e.lastIter = cache.iter;
      if (o.sampleLimit > 0 && appended >= o.sampleLimit) {
        stats.sampleLimitExceeded = true;
        continue;
      }
      if (!appendOne(app, e, labels, explicit ? ts : t, p.value(), stats)) continue;
      appended++;
      stats.added++;
      if (isNew) stats.seriesAdded++;
      if (!explicit || o.trackTimestampsStaleness) cache.track(e);
    }
  } catch (err) {
    stats.err = err instanceof Error ? err : new Error(String(err));
  }
  if (stats.sampleLimitExceeded && stats.err === undefined) stats.err = new Error(SAMPLE_LIMIT_ERROR);
  if (stats.err !== undefined) return;
  cache.forEachStale((e) => appendStale(app, e, t));
}

/** Appends one sample, counting a storage rejection by kind. False when rejected. */
function appendOne(
  app: Appender,
  e: CacheEntry,
  labels: Labels,
  t: number,
  v: number,
  stats: AppendStats,
): boolean {
  try {
    e.ref = app.append(e.ref, labels, t, v);
    return true;
  } catch (err) {
    if (!(err instanceof StorageError)) throw err;
    switch (err.kind) {
      case 'out-of-order':
        stats.outOfOrder++;
        break;
      case 'duplicate':
        stats.duplicate++;
        break;
      case 'out-of-bounds':
      case 'too-old':
        stats.outOfBounds++;
        break;
      default:
        stats.rejected++;
    }
    return false;
  }
}

/**
 * Appends a staleness marker. Rejections are ignored: a marker behind a newer sample (the series
 * came back, or a new loop already scraped it) is meant to be dropped.
 */
export function appendStale(app: Appender, e: CacheEntry, t: number): void {
  if (e.labels === undefined) return;
  try {
    e.ref = app.append(e.ref, e.labels, t, STALE_NAN);
  } catch (err) {
    if (!(err instanceof StorageError)) throw err;
  }
}
