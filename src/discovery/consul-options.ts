/** Options of Consul discovery and their mapping from a parsed `consul_sd_config`. */
import type { ConsulSDConfig } from '../config/discovery.js';

/** Options of {@link ConsulDiscoverer}: one `<consul_sd_config>` (without TLS, for now). */
export interface ConsulOptions {
  /** `host:port` of the Consul agent. */
  server: string;
  /** Prefix of every API path, for a Consul behind a proxy (e.g. `/consul`). */
  pathPrefix: string;
  /** ACL token, sent in `X-Consul-Token`. */
  token: string;
  datacenter: string;
  namespace: string;
  partition: string;
  /** `http` or `https`. */
  scheme: string;
  /** Basic auth, when both are set. */
  username: string;
  password: string;
  /** Services to watch; empty means all. */
  services: string[];
  /** Services must carry all these tags. */
  tags: string[];
  /** Nodes must carry these meta pairs (`?node-meta=key:value`). */
  nodeMeta: Record<string, string>;
  /** Joins tags in `__meta_consul_tags`. */
  tagSeparator: string;
  /** Lets any server answer (`?stale`). */
  allowStale: boolean;
  /** Least time between two requests of one watch, in milliseconds. */
  refreshIntervalMs: number;
  /** Filter expression for the catalog API (`/v1/catalog/services`). */
  filter: string;
  /** Filter expression for the health API (`/v1/health/service/<name>`). */
  healthFilter: string;
  /** How long Consul may hold a blocking query, in milliseconds (`?wait=`). */
  watchTimeoutMs: number;
  /** First delay after a failed request, in milliseconds; doubles up to `maxBackoffMs`. */
  retryIntervalMs: number;
  /** Longest delay between retries, in milliseconds. */
  maxBackoffMs: number;
}

/** Prometheus' defaults: local agent, 30s refresh, 2m blocking queries, 15s retry. */
export function defaultConsulOptions(): ConsulOptions {
  return {
    server: 'localhost:8500',
    pathPrefix: '',
    token: '',
    datacenter: '',
    namespace: '',
    partition: '',
    scheme: 'http',
    username: '',
    password: '',
    services: [],
    tags: [],
    nodeMeta: {},
    tagSeparator: ',',
    allowStale: true,
    refreshIntervalMs: 30_000,
    filter: '',
    healthFilter: '',
    watchTimeoutMs: 120_000,
    retryIntervalMs: 15_000,
    maxBackoffMs: 120_000,
  };
}

/** Maps a parsed `consul_sd_config` (durations in milliseconds) to discoverer options. */
export function consulOptionsFromConfig(c: ConsulSDConfig): ConsulOptions {
  return {
    ...defaultConsulOptions(),
    server: c.server,
    pathPrefix: c.pathPrefix,
    token: c.token,
    datacenter: c.datacenter,
    namespace: c.namespace,
    partition: c.partition,
    scheme: c.scheme,
    username: c.username,
    password: c.password,
    services: [...c.services],
    tags: [...c.tags],
    nodeMeta: { ...c.nodeMeta },
    tagSeparator: c.tagSeparator,
    allowStale: c.allowStale,
    refreshIntervalMs: c.refreshInterval,
    filter: c.filter,
    healthFilter: c.healthFilter,
  };
}
