/**
 * `/api/v1/targets`, `/targets/metadata`, `/metadata` and `/scrape_pools`, from a
 * `TargetsSource`. Without one (a server that scrapes nothing) they answer empty lists.
 */
import type { Matcher } from '../model/matcher.js';
import { matchesAll } from '../model/matcher.js';
import type { ApiHandler } from './api-core.js';
import { encodeLabels } from './encode-result.js';
import { badData } from './errors.js';
import { formatGoTime, jsonString, jsonValue } from './json-values.js';
import { parseGoInt } from './params.js';
import type { Form } from './params.js';
import { parseMatchers } from './selectors.js';
import type { ActiveTarget, TargetsSource } from './sources.js';

function byPool<T extends { scrapePool: string }>(list: readonly T[]): T[] {
  // A stable sort keeps each pool's own order, as Prometheus lists pools in name order.
  return [...list].sort((a, b) => (a.scrapePool < b.scrapePool ? -1 : a.scrapePool > b.scrapePool ? 1 : 0));
}

function encodeActive(t: ActiveTarget): string {
  return (
    `{"discoveredLabels":${encodeLabels(t.discoveredLabels)},"labels":${encodeLabels(t.labels)}` +
    `,"scrapePool":${jsonString(t.scrapePool)},"scrapeUrl":${jsonString(t.scrapeUrl)}` +
    `,"globalUrl":${jsonString(t.globalUrl)},"lastError":${jsonString(t.lastError)}` +
    `,"lastScrape":${jsonString(formatGoTime(t.lastScrape))},"lastScrapeDuration":${jsonValue(t.lastScrapeDuration)}` +
    `,"health":${jsonString(t.health)},"scrapeInterval":${jsonString(t.scrapeInterval)}` +
    `,"scrapeTimeout":${jsonString(t.scrapeTimeout)}}`
  );
}

/** GET `/api/v1/targets` with the optional `state` and `scrapePool` filters. */
export function targetsHandler(src: TargetsSource | undefined): ApiHandler {
  return (r) => {
    const state = r.form.get('state').toLowerCase();
    const pool = r.form.get('scrapePool');
    const showActive = state === '' || state === 'any' || state === 'active';
    const showDropped = state === '' || state === 'any' || state === 'dropped';
    const inPool = (t: { scrapePool: string }): boolean => pool === '' || t.scrapePool === pool;
    const active = showActive && src !== undefined ? byPool(src.activeTargets().filter(inPool)) : [];
    const dropped = showDropped && src !== undefined ? byPool(src.droppedTargets().filter(inPool)) : [];
    const counts =
      src === undefined ? [] : [...src.droppedTargetCounts()].filter(([p]) => pool === '' || p === pool);
    counts.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const data =
      `{"activeTargets":[${active.map(encodeActive).join(',')}]` +
      `,"droppedTargets":[${dropped
        .map(
          (t) =>
            `{"discoveredLabels":${encodeLabels(t.discoveredLabels)},"scrapePool":${jsonString(t.scrapePool)}}`,
        )
        .join(',')}]` +
      `,"droppedTargetCounts":{${counts.map(([p, n]) => `${jsonString(p)}:${n}`).join(',')}}}`;
    return { data };
  };
}

/** GET `/api/v1/scrape_pools`. */
export function scrapePoolsHandler(src: TargetsSource | undefined): ApiHandler {
  return () => {
    const pools = src === undefined ? [] : [...src.scrapePools()].sort();
    return { data: `{"scrapePools":[${pools.map(jsonString).join(',')}]}` };
  };
}

/** A count parameter of the metadata endpoints: -1 when absent, `<name> must be a number` else. */
function countParam(f: Form, name: string): number {
  const s = f.get(name);
  if (s === '') return -1;
  const n = parseGoInt(s);
  if (n === undefined) throw badData(`${name} must be a number`);
  return n;
}

/** GET `/api/v1/targets/metadata` with `match_target`, `metric` and `limit`. */
export function targetMetadataHandler(src: TargetsSource | undefined): ApiHandler {
  return (r) => {
    const limit = countParam(r.form, 'limit');
    const matchTarget = r.form.get('match_target');
    let matchers: Matcher[] = [];
    if (matchTarget !== '')
      matchers = parseMatchers([matchTarget], (m) => `invalid parameter "match_target": ${m}`)[0];
    const metric = r.form.get('metric');
    const out: string[] = [];
    for (const t of byPool(src?.activeTargets() ?? [])) {
      if (limit >= 0 && out.length >= limit) break;
      if (!matchesAll(t.labels, matchers)) continue;
      const target = encodeLabels(t.labels);
      for (const md of t.metadata) {
        if (metric !== '' && md.metric !== metric) continue;
        const name = metric === '' ? `,"metric":${jsonString(md.metric)}` : '';
        out.push(
          `{"target":${target}${name},"type":${jsonString(md.type)},"help":${jsonString(md.help)},"unit":${jsonString(md.unit)}}`,
        );
      }
    }
    return { data: `[${out.join(',')}]` };
  };
}

/** GET `/api/v1/metadata` with `limit`, `limit_per_metric` and `metric`: metadata by metric name. */
export function metadataHandler(src: TargetsSource | undefined): ApiHandler {
  return (r) => {
    const limit = countParam(r.form, 'limit');
    const perMetric = countParam(r.form, 'limit_per_metric');
    const metric = r.form.get('metric');
    // Metric name → distinct metadata (keyed by its encoding), in first-seen order.
    const byMetric = new Map<string, Map<string, string>>();
    for (const t of src?.activeTargets() ?? []) {
      for (const md of t.metadata) {
        if (metric !== '' && md.metric !== metric) continue;
        let set = byMetric.get(md.metric);
        if (set === undefined) byMetric.set(md.metric, (set = new Map<string, string>()));
        if (perMetric > 0 && set.size >= perMetric) continue;
        const enc = `{"type":${jsonString(md.type)},"help":${jsonString(md.help)},"unit":${jsonString(md.unit)}}`;
        set.set(enc, enc);
      }
    }
    const names = [...byMetric.keys()].sort();
    const kept = limit >= 0 ? names.slice(0, limit) : names;
    const data = `{${kept.map((n) => `${jsonString(n)}:[${[...byMetric.get(n)!.values()].join(',')}]`).join(',')}}`;
    return { data };
  };
}
