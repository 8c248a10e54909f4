/**
 * The TSDB admin endpoints (`/api/v1/admin/tsdb/*`), answered only with `--web.enable-admin-api`;
 * otherwise `unavailable: admin APIs disabled`, as Prometheus.
 */
import { randomBytes } from 'node:crypto';
import type { ApiDeps, ApiHandler } from './api-core.js';
import { ApiError, badData, invalidParam } from './errors.js';
import { jsonValue } from './json-values.js';
import { MAX_TIME, MIN_TIME, timeParam } from './params.js';
import { parseMatchers } from './selectors.js';
import type { AdminSource } from './sources.js';

function admin(deps: ApiDeps): AdminSource {
  if (!deps.options.enableAdminApi) throw new ApiError('unavailable', 'admin APIs disabled');
  const a = deps.sources.admin;
  if (a === undefined) throw new ApiError('internal', 'admin APIs are not supported by this storage');
  return a;
}

function internal(what: string, e: unknown): ApiError {
  return new ApiError('internal', `${what}: ${e instanceof Error ? e.message : String(e)}`);
}

/** Go's `strconv.ParseBool`. */
function parseBool(s: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(s)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(s)) return false;
  return undefined;
}

/** The snapshot's name as Prometheus makes it: `20171210T211224Z-2be650b6d019eb54`. */
export function snapshotName(now: number): string {
  const iso = new Date(now).toISOString(); // 2017-12-10T21:12:24.123Z
  const stamp = iso.slice(0, 19).replace(/[-:]/g, '') + 'Z';
  const rand = randomBytes(8);
  rand[0] &= 0x7f; // Go's rand.Int63 is non-negative
  return `${stamp}-${rand.toString('hex')}`;
}

/** POST/PUT `/api/v1/admin/tsdb/snapshot?skip_head=`. */
export function snapshotHandler(deps: ApiDeps): ApiHandler {
  return async (r) => {
    const a = admin(deps);
    let skipHead = false;
    const s = r.form.get('skip_head');
    if (s !== '') {
      const b = parseBool(s);
      if (b === undefined)
        throw invalidParam(
          'skip_head',
          `unable to parse boolean: strconv.ParseBool: parsing ${JSON.stringify(s)}: invalid syntax`,
        );
      skipHead = b;
    }
    const name = snapshotName(deps.options.now());
    try {
      await a.snapshot(name, !skipHead);
    } catch (e) {
      throw internal('create snapshot', e);
    }
    return { data: jsonValue({ name }) };
  };
}

/** POST/PUT `/api/v1/admin/tsdb/delete_series?match[]=&start=&end=`: 204 on success. */
export function deleteSeriesHandler(deps: ApiDeps): ApiHandler {
  return async (r) => {
    const a = admin(deps);
    const match = r.form.all('match[]');
    if (match.length === 0) throw badData('no match[] parameter provided');
    const start = timeParam(r.form, 'start', MIN_TIME);
    const end = timeParam(r.form, 'end', MAX_TIME);
    const sets = parseMatchers(match, (m) => `invalid parameter "match[]": ${m}`);
    for (const ms of sets) {
      try {
        await a.deleteSeries(start, end, ms);
      } catch (e) {
        throw new ApiError('internal', e instanceof Error ? e.message : String(e));
      }
    }
    return {};
  };
}

/** POST/PUT `/api/v1/admin/tsdb/clean_tombstones`: 204 on success. */
export function cleanTombstonesHandler(deps: ApiDeps): ApiHandler {
  return async () => {
    const a = admin(deps);
    try {
      await a.cleanTombstones();
    } catch (e) {
      throw new ApiError('internal', e instanceof Error ? e.message : String(e));
    }
    return {};
  };
}
