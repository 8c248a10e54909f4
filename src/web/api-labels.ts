/** `/api/v1/series`, `/labels` and `/label/<name>/values`: what series and labels exist. */
import { Labels, compareStrings } from '../model/labels.js';
import type { Matcher } from '../model/matcher.js';
import { isValidLabelName } from '../model/names.js';
import type { Querier, Queryable } from '../storage/interface.js';
import type { ApiHandler } from './api-core.js';
import { encodeLabels } from './encode-result.js';
import { ApiError, badData } from './errors.js';
import { jsonString } from './json-values.js';
import { unescapeLabelName } from './name-escaping.js';
import { MAX_TIME, MIN_TIME, limitParam, timeParam } from './params.js';
import type { Form } from './params.js';
import { parseMatchers } from './selectors.js';

const TRUNCATED = 'results truncated due to limit';

/** Runs `fn` with a querier over the request's `start`/`end`, closing it afterwards. */
function withQuerier<T>(q: Queryable, mint: number, maxt: number, fn: (q: Querier) => T): T {
  let querier: Querier;
  try {
    querier = q.querier(mint, maxt);
  } catch (e) {
    throw new ApiError('execution', e instanceof Error ? e.message : String(e));
  }
  try {
    return fn(querier);
  } catch (e) {
    if (e instanceof ApiError) throw e;
    throw new ApiError('execution', e instanceof Error ? e.message : String(e));
  } finally {
    querier.close();
  }
}

/** A sorted string list as JSON, cut to `limit` (0: no limit), with the truncation warning. */
function stringList(values: string[], limit: number): { data: string; warnings: string[] } {
  const warnings: string[] = [];
  if (limit > 0 && values.length > limit) {
    values = values.slice(0, limit);
    warnings.push(TRUNCATED);
  }
  return { data: '[' + values.map(jsonString).join(',') + ']', warnings };
}

/** The union of what `get` gives for each matcher set (or for no matchers), sorted. */
function unionSorted(sets: Matcher[][], get: (ms: Matcher[]) => string[]): string[] {
  if (sets.length <= 1)
    return get(sets[0] ?? [])
      .slice()
      .sort(compareStrings);
  const all = new Set<string>();
  for (const ms of sets) for (const v of get(ms)) all.add(v);
  return [...all].sort(compareStrings);
}

/** Reads `start`, `end` and `limit` in Prometheus' order. */
function range(f: Form): { start: number; end: number; limit: number } {
  const limit = limitParam(f);
  const start = timeParam(f, 'start', MIN_TIME);
  const end = timeParam(f, 'end', MAX_TIME);
  return { start, end, limit };
}

/** GET/POST `/api/v1/series`. */
export function seriesHandler(q: Queryable): ApiHandler {
  return (r) => {
    const f = r.form;
    const match = f.all('match[]');
    if (match.length === 0) throw badData('no match[] parameter provided');
    const { start, end, limit } = range(f);
    const sets = parseMatchers(match, (m) => `invalid parameter "match[]": ${m}`);
    return withQuerier(q, start, end, (querier) => {
      const seen = new Map<string, Labels>();
      const warnings: string[] = [];
      for (const ms of sets) {
        const ss = querier.select(sets.length > 1, { start, end, func: 'series' }, ...ms);
        while (ss.next()) {
          const l = ss.at().labels;
          if (!seen.has(l.key)) seen.set(l.key, l);
        }
        const err = ss.err();
        if (err !== undefined) throw new ApiError('execution', err.message);
        warnings.push(...ss.warnings());
      }
      let list = [...seen.values()].sort((a, b) => Labels.compare(a, b));
      if (limit > 0 && list.length > limit) {
        list = list.slice(0, limit);
        warnings.push(TRUNCATED);
      }
      return { data: '[' + list.map(encodeLabels).join(',') + ']', warnings };
    });
  };
}

/** GET/POST `/api/v1/labels`. */
export function labelNamesHandler(q: Queryable): ApiHandler {
  return (r) => {
    const { start, end, limit } = range(r.form);
    const sets = parseMatchers(r.form.all('match[]'));
    return withQuerier(q, start, end, (querier) =>
      stringList(
        unionSorted(sets, (ms) => querier.labelNames(...ms)),
        limit,
      ),
    );
  };
}

/** GET `/api/v1/label/<name>/values` (the name may be `U__`-escaped). */
export function labelValuesHandler(q: Queryable): ApiHandler {
  return (r) => {
    const name = unescapeLabelName(r.params.name ?? '');
    if (!isValidLabelName(name)) throw badData(`invalid label name: ${JSON.stringify(name)}`);
    const { start, end, limit } = range(r.form);
    const sets = parseMatchers(r.form.all('match[]'));
    return withQuerier(q, start, end, (querier) =>
      stringList(
        unionSorted(sets, (ms) => querier.labelValues(name, ...ms)),
        limit,
      ),
    );
  };
}
