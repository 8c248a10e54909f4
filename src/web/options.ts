/** The options of the web layer: Prometheus' `--web.*` and `--query.*` flags that concern it. */
import { fileURLToPath } from 'node:url';
import { hostname } from 'node:os';
import { VERSION } from '../version.js';
import type { Logger } from '../util/logger.js';
import { noopLogger } from '../util/logger.js';
import type { BuildInfo } from './sources.js';
import type { WebConfigSource } from './web-config-source.js';

/** Options of `WebServer`. */
export interface WebOptions {
  /** `--web.listen-address`: `host:port`, `:port` or `[::1]:port`. */
  listenAddress: string;
  /**
   * `--web.external-url`: the URL users reach the server under. When it has a path, every endpoint
   * moves under it (unless `routePrefix` says otherwise). Default `http://<hostname>:<port>/`.
   */
  externalUrl: string | undefined;
  /** `--web.route-prefix`: where the endpoints live; defaults to the external URL's path. */
  routePrefix: string | undefined;
  /** `--web.cors.origin`: a regex, fully anchored, for origins allowed to read the API. */
  corsOrigin: string;
  /** `--web.enable-lifecycle`: allow `/-/reload` and `/-/quit`. */
  enableLifecycle: boolean;
  /** `--web.enable-admin-api`: allow the TSDB admin endpoints. */
  enableAdminApi: boolean;
  /** `--web.read-timeout`, ms: the longest a request may take to arrive and idle connections live. */
  readTimeout: number;
  /** `--web.max-connections`: simultaneous connections. */
  maxConnections: number;
  /**
   * `--web.config.file`, loaded: TLS, basic authentication and response headers for every
   * endpoint. Undefined: plain HTTP, no authentication.
   */
  webConfig: WebConfigSource | undefined;
  /** `--web.page-title`: the console's document title. */
  pageTitle: string;
  /** `--query.lookback-delta`, ms: also how far back `/federate` looks. */
  lookbackDelta: number;
  /** `--query.timeout`, ms: the longest a query runs; a request's `timeout` can only shorten it. */
  queryTimeout: number;
  /** Where the built console lives (`index.html` and its assets). */
  uiDir: string;
  /** What `/api/v1/status/flags` shows: every flag's name (without `--`) and value as text. */
  flags: Readonly<Record<string, string>>;
  /** Answers of `/api/v1/status/buildinfo`. */
  buildInfo: BuildInfo;
  /** Prefix of the `/-/healthy` and `/-/ready` texts (Prometheus says `Prometheus Server`). */
  appName: string;
  logger: Logger;
  /** The clock (ms since the epoch), for tests. */
  now: () => number;
}

/** Prometheus' defaults. */
export function defaultWebOptions(): WebOptions {
  return {
    listenAddress: '0.0.0.0:9090',
    externalUrl: undefined,
    routePrefix: undefined,
    corsOrigin: '.*',
    enableLifecycle: false,
    enableAdminApi: false,
    readTimeout: 5 * 60_000,
    maxConnections: 512,
    webConfig: undefined,
    pageTitle: 'Vigil Time Series Collection and Processing Server',
    lookbackDelta: 5 * 60_000,
    queryTimeout: 2 * 60_000,
    // dist/src/web/options.js → dist/ui/
    uiDir: fileURLToPath(new URL('../../ui/', import.meta.url)),
    flags: {},
    buildInfo: {
      version: VERSION,
      revision: '',
      branch: '',
      buildUser: '',
      buildDate: '',
      goVersion: `node ${process.version}`,
    },
    appName: 'Vigil Server',
    logger: noopLogger,
    now: () => Date.now(),
  };
}

/** Splits `host:port` (also `:port`, `[v6]:port`) as Go's `net.SplitHostPort`. */
export function splitHostPort(addr: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]*)\]|([^:]*)):(\d+)$/.exec(addr);
  if (m === null) throw new Error(`address ${addr}: missing port in address`);
  return { host: m[1] ?? m[2], port: Number(m[3]) };
}

/**
 * The external URL, as Prometheus computes it: the flag's value, else `http://<hostname>:<port>/`.
 * Always parsed, path without a trailing slash.
 */
export function resolveExternalUrl(o: WebOptions): URL {
  if (o.externalUrl !== undefined && o.externalUrl !== '') {
    const u = new URL(o.externalUrl);
    u.pathname = u.pathname.replace(/\/+$/, '');
    return u;
  }
  const { port } = splitHostPort(o.listenAddress);
  return new URL(`http://${hostname()}:${port}`);
}

/** The route prefix: `/` or `/path` (no trailing slash), from the flag or the external URL. */
export function resolveRoutePrefix(o: WebOptions): string {
  const p = o.routePrefix ?? resolveExternalUrl(o).pathname;
  const trimmed = p.replace(/^\/+|\/+$/g, '');
  return trimmed === '' ? '/' : `/${trimmed}`;
}
