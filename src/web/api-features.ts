/** GET `/api/v1/features`: which features this server has, in Prometheus' categories. */
import { hasFunction } from '../promql/engine/functions.js';
import { FUNCTIONS } from '../promql/functions.js';
import { MATCH_OPS, PRECEDENCE } from '../promql/grammar.js';
import type { ApiDeps, ApiHandler } from './api-core.js';
import { jsonValue } from './json-values.js';

/**
 * The binary operators and the label match operators, from the grammar; the `</` and `>/`
 * native-histogram trim operators are left out, as native histograms are not stored yet.
 */
const OPERATORS = [...Object.keys(PRECEDENCE), ...MATCH_OPS].filter(
  (op) => op !== '</' && op !== '>/' && op !== '=',
);
const DISCOVERY = ['static', 'file', 'dns', 'http', 'consul', 'kubernetes'];

export function featuresHandler(deps: ApiDeps): ApiHandler {
  const functions: Record<string, boolean> = {};
  for (const name of [...FUNCTIONS.keys()].sort()) functions[name] = hasFunction(name);
  const data = {
    api: {
      admin: deps.options.enableAdminApi,
      exclude_alerts: true,
      lifecycle: deps.options.enableLifecycle,
    },
    prometheus: { agent_mode: false, auto_reload_config: false },
    promql: { at_modifier: true, negative_offset: true, subqueries: true, duration_expr: true },
    promql_functions: functions,
    promql_operators: Object.fromEntries(OPERATORS.map((op) => [op, true])),
    rules: { keep_firing_for: false },
    scrape: { start_timestamp_zero_ingestion: false, extra_metrics: false },
    service_discovery: Object.fromEntries(DISCOVERY.map((d) => [d, true])),
    tsdb: { exemplar_storage: false, memory_snapshot_on_shutdown: true, native_histograms: false },
  };
  return () => ({ data: jsonValue(data) });
}
