/**
 * `/api/v1/status/*`, `/rules`, `/alerts` and `/alertmanagers` (the last three empty until Vigil
 * evaluates rules and sends alerts).
 */
import { hostname } from 'node:os';
import type { ApiDeps, ApiHandler } from './api-core.js';
import { ApiError, badData, invalidParam } from './errors.js';
import { formatGoTime, jsonValue } from './json-values.js';
import { parseGoInt } from './params.js';

/** GET `/api/v1/status/config`. */
export function configHandler(deps: ApiDeps): ApiHandler {
  return () => ({ data: jsonValue({ yaml: deps.sources.config?.configYaml() ?? '' }) });
}

/** GET `/api/v1/status/flags`. */
export function flagsHandler(deps: ApiDeps): ApiHandler {
  return () => ({ data: jsonValue(deps.options.flags) });
}

/** GET `/api/v1/status/buildinfo`. */
export function buildInfoHandler(deps: ApiDeps): ApiHandler {
  return () => ({ data: jsonValue(deps.options.buildInfo) });
}

/** GET `/api/v1/status/runtimeinfo`: Prometheus' fields, with the Node.js runtime's figures. */
export function runtimeInfoHandler(deps: ApiDeps): ApiHandler {
  return () => {
    const rt = deps.sources.runtime;
    return {
      data: jsonValue({
        startTime: formatGoTime(deps.startTime),
        CWD: process.cwd(),
        hostname: hostname(),
        serverTime: formatGoTime(new Date(deps.options.now())),
        reloadConfigSuccess: rt?.reloadConfigSuccess() ?? true,
        lastConfigTime: formatGoTime(rt?.lastConfigTime()),
        timeSeriesCount: rt?.timeSeriesCount() ?? 0,
        corruptionCount: rt?.corruptionCount() ?? 0,
        // Go's goroutines and GOMAXPROCS have no Node.js counterpart: one event-loop thread.
        goroutineCount: 1,
        GOMAXPROCS: 1,
        GOGC: '',
        GODEBUG: '',
        storageRetention: rt?.storageRetention() ?? '',
      }),
    };
  };
}

/** The most entries `/status/tsdb` lists per statistic. */
const MAX_TSDB_LIMIT = 10_000;

/** GET `/api/v1/status/tsdb?limit=`. */
export function tsdbStatusHandler(deps: ApiDeps): ApiHandler {
  return async (r) => {
    let limit = 10;
    const s = r.form.get('limit');
    if (s !== '') {
      const n = parseGoInt(s);
      if (n === undefined || n < 1) throw badData('limit must be a positive number');
      if (n > MAX_TSDB_LIMIT) throw badData(`limit must not exceed ${MAX_TSDB_LIMIT}`);
      limit = n;
    }
    const src = deps.sources.tsdb;
    if (src === undefined) throw new ApiError('internal', 'TSDB statistics are not available');
    try {
      const st = await src.tsdbStatus(limit);
      return {
        data: jsonValue({
          headStats: st.headStats,
          seriesCountByMetricName: st.seriesCountByMetricName,
          labelValueCountByLabelName: st.labelValueCountByLabelName,
          memoryInBytesByLabelName: st.memoryInBytesByLabelName,
          seriesCountByLabelValuePair: st.seriesCountByLabelValuePair,
        }),
      };
    } catch (e) {
      throw new ApiError('internal', e instanceof Error ? e.message : String(e));
    }
  };
}

/** GET `/api/v1/status/walreplay` (answered even before the server is ready). */
export function walReplayHandler(deps: ApiDeps): ApiHandler {
  return () => {
    const st = deps.sources.tsdb?.walReplayStatus() ?? { min: 0, max: 0, current: 0 };
    return { data: jsonValue({ min: st.min, max: st.max, current: st.current }) };
  };
}

/** GET `/api/v1/rules` with its `type` check; no rule groups yet. */
export const rulesHandler: ApiHandler = (r) => {
  const typ = r.form.get('type').toLowerCase();
  if (typ !== '' && typ !== 'alert' && typ !== 'record')
    throw invalidParam('type', `not supported value ${JSON.stringify(typ)}`);
  return { data: '{"groups":[]}' };
};

/** GET `/api/v1/alerts`; no alerts yet. */
export const alertsHandler: ApiHandler = () => ({ data: '{"alerts":[]}' });

/** GET `/api/v1/alertmanagers`; none yet. */
export const alertmanagersHandler: ApiHandler = () => ({
  data: '{"activeAlertmanagers":[],"droppedAlertmanagers":[]}',
});
