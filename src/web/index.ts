/**
 * The web layer: the HTTP server, API v1, federation, the console's files, the query log and the
 * web configuration file (TLS, basic auth, headers).
 */
export { WebServer } from './server.js';
export type { WebHandler, WebRequest, WebResponse } from './http-types.js';
export { defaultWebOptions, resolveExternalUrl, resolveRoutePrefix } from './options.js';
export type { WebOptions } from './options.js';
export type {
  ActiveTarget,
  AdminSource,
  BuildInfo,
  ConfigSource,
  DroppedTarget,
  EngineQueryOptions,
  LifecycleHandlers,
  QueryEngine,
  RuntimeInfoSource,
  TargetHealth,
  TargetMetricMetadata,
  TargetsSource,
  TsdbStat,
  TsdbStatsSource,
  TsdbStatus,
  WalReplayStatus,
  WebSources,
} from './sources.js';
export { engineAdapter } from './engine-adapter.js';
export { computeTsdbStatus, statsFromQueryable } from './tsdb-stats.js';
export { QueryLog } from './query-log.js';
export type { QueryLogEntry } from './query-log.js';
export type { QueryStats } from './query-stats.js';
export { ApiError } from './errors.js';
export type { ApiErrorType } from './errors.js';
export { formatSampleValue, formatTimestamp } from './json-values.js';
export { parseTime, parseDuration } from './params.js';
export { WebConfigError, WebConfigSource } from './web-config-source.js';
export { loadWebConfig, loadWebConfigFile, parseWebConfig, CLIENT_AUTH_TYPES } from './web-config.js';
export type {
  ClientAuthType,
  HttpServerConfig,
  LoadedWebConfig,
  TlsServerConfig,
  WebConfig,
} from './web-config.js';
export type { TlsMaterial } from './web-config-tls.js';
export { BasicAuthenticator, parseBasicAuth } from './basic-auth.js';
