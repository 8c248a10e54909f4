/**
 * The HTTP server of `vigil server`: the API under `/api/v1`, federation, the management
 * endpoints (`/-/healthy`, `/-/ready`, `/-/reload`, `/-/quit`) and the web console, all under the
 * route prefix. Start with `listen()`, stop with `close()`; mark it ready with `setReady(true)`
 * once storage has been opened (until then the API answers 503, as Prometheus does).
 */
import type { AddressInfo } from 'node:net';
import type { ApiDeps, ApiHandler, HttpHandler } from './api-core.js';
import { sendNotReady, wrapApi } from './api-core.js';
import { ApiError } from './errors.js';
import { featuresHandler } from './api-features.js';
import { cleanTombstonesHandler, deleteSeriesHandler, snapshotHandler } from './api-admin.js';
import { labelNamesHandler, labelValuesHandler, seriesHandler } from './api-labels.js';
import {
  formatQueryHandler,
  parseQueryHandler,
  queryExemplarsHandler,
  queryHandler,
  queryRangeHandler,
} from './api-query.js';
import {
  alertmanagersHandler,
  alertsHandler,
  buildInfoHandler,
  configHandler,
  flagsHandler,
  rulesHandler,
  runtimeInfoHandler,
  tsdbStatusHandler,
  walReplayHandler,
} from './api-status.js';
import { metadataHandler, scrapePoolsHandler, targetMetadataHandler, targetsHandler } from './api-targets.js';
import { ConsoleAssets } from './console-assets.js';
import { CorsPolicy } from './cors.js';
import { federateHandler } from './federate.js';
import type { WebRequest, WebResponse } from './http-types.js';
import { defaultWebOptions, resolveExternalUrl, resolveRoutePrefix, splitHostPort } from './options.js';
import type { WebOptions } from './options.js';
import type { QueryLog } from './query-log.js';
import { send, sendText } from './respond.js';
import { Router } from './router.js';
import type { WebSources } from './sources.js';
import { createWebServer } from './web-config-listener.js';
import type { WebListener } from './web-config-listener.js';

const GET_POST = ['GET', 'POST'] as const;
const POST_PUT = ['POST', 'PUT'] as const;

/** The HTTP server. Not reusable after `close()`. */
export class WebServer {
  readonly options: WebOptions;
  readonly #sources: WebSources;
  readonly #router = new Router<HttpHandler>();
  readonly #prefix: string;
  readonly #externalPath: string;
  readonly #cors: CorsPolicy;
  readonly #assets: ConsoleAssets;
  readonly #listener: WebListener;
  #ready = false;
  #quitting = false;

  /**
   * `sources` supplies data and engine; `options` the flags (Prometheus' defaults otherwise);
   * `queryLog` the query log, when `query_log_file` is configured (the caller reopens it on reload).
   */
  constructor(sources: WebSources, options: Partial<WebOptions> = {}, queryLog?: QueryLog) {
    this.options = { ...defaultWebOptions(), ...options };
    this.#sources = sources;
    this.#prefix = resolveRoutePrefix(this.options);
    this.#externalPath = resolveExternalUrl(this.options).pathname.replace(/\/$/, '');
    this.#cors = new CorsPolicy(this.options.corsOrigin);
    this.#assets = new ConsoleAssets(this.options.uiDir);
    this.#registerApi({ sources, options: this.options, queryLog, startTime: new Date(this.options.now()) });
    this.#registerManagement();
    this.#listener = createWebServer(
      this.options.webConfig,
      (req, res) => this.handle(req, res),
      this.options.logger,
      { readTimeoutMs: this.options.readTimeout, maxConnections: this.options.maxConnections },
    );
  }

  /** Whether the server answers queries (`/-/ready` is 200). */
  get ready(): boolean {
    return this.#ready;
  }

  /** Marks the server ready (storage open) or not. */
  setReady(ready: boolean): void {
    this.#ready = ready;
  }

  /** Whether TLS clients may negotiate HTTP/2 (TLS on and `http2` not turned off). */
  get http2(): boolean {
    return this.#listener.http2;
  }

  /** The route prefix every endpoint lives under (`/` or `/path`). */
  get routePrefix(): string {
    return this.#prefix;
  }

  /**
   * Adds a route below the prefix, for endpoints other modules own (such as `/metrics`). The
   * handler writes the whole response itself.
   */
  addRoute(
    method: string,
    path: string,
    handler: (req: WebRequest, res: WebResponse) => Promise<void>,
  ): void {
    this.#router.add(method, path, (req, res) => handler(req, res));
  }

  /** Starts listening on `--web.listen-address`; resolves with the bound address. */
  async listen(): Promise<AddressInfo> {
    const { host, port } = splitHostPort(this.options.listenAddress);
    const http = this.#listener.server;
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(port, host === '' ? undefined : host, () => {
        http.off('error', reject);
        resolve();
      });
    });
    return http.address() as AddressInfo;
  }

  /**
   * Stops accepting connections, ends idle keep-alive connections and HTTP/2 sessions and waits for
   * requests in flight.
   */
  async close(): Promise<void> {
    if (!this.#listener.server.listening) return;
    await this.#listener.close();
  }

  /** Handles one request, HTTP/1.1 or HTTP/2 (the request listener; usable on another server too). */
  handle(req: WebRequest, res: WebResponse): void {
    this.#dispatch(req, res).catch((err: unknown) => {
      this.options.logger.error('HTTP handler failed', {
        url: req.url,
        err: err instanceof Error ? err : String(err),
      });
      if (!res.headersSent) {
        res.statusCode = 500;
        res.end();
      } else res.destroy();
    });
  }

  async #dispatch(req: WebRequest, res: WebResponse): Promise<void> {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const rawPath = q < 0 ? url : url.slice(0, q);
    const search = q < 0 ? '' : url.slice(q);
    let path = rawPath;
    if (this.#prefix !== '/') {
      if (rawPath === '/' || rawPath === '') return redirect(res, this.#prefix);
      if (rawPath === this.#prefix) path = '/';
      else if (rawPath.startsWith(this.#prefix + '/')) path = rawPath.slice(this.#prefix.length);
      else return notFound(req, res);
    }
    const m = this.#router.lookup(req.method ?? 'GET', path);
    if (m.kind === 'found') return m.handler(req, res, m.params, path);
    // Only the API-wide OPTIONS route matched: the path itself does not exist.
    if (m.kind === 'method-not-allowed' && !(m.allow.length === 1 && m.allow[0] === 'OPTIONS')) {
      res.setHeader('Allow', m.allow.join(', '));
      return sendText(req, res, 405, 'Method Not Allowed\n');
    }
    if (path === '/graph' && (req.method === 'GET' || req.method === 'HEAD'))
      return redirect(res, `${this.#externalPath}/query${search}`);
    if (req.method === 'GET' || req.method === 'HEAD') {
      const asset = await this.#assets.find(path, {
        title: this.options.pageTitle,
        ready: this.#ready,
        lookbackDelta: this.options.lookbackDelta / 1000,
      });
      if (asset !== undefined) {
        res.setHeader('Cache-Control', asset.cacheControl);
        return send(req, res, 200, asset.contentType, asset.body);
      }
    }
    return notFound(req, res);
  }

  #registerApi(deps: ApiDeps): void {
    const q = deps.sources.queryable;
    const src = deps.sources.targets;
    const api = (methods: readonly string[], path: string, h: ApiHandler, gated = true): void => {
      const wrapped = wrapApi(h, {
        cors: this.#cors,
        ready: gated ? () => this.#ready : undefined,
        logger: this.options.logger,
      });
      this.#router.addAll(methods, `/api/v1${path}`, wrapped);
    };
    api(['OPTIONS'], '/*path', () => ({}));
    api(GET_POST, '/query', queryHandler(deps));
    api(GET_POST, '/query_range', queryRangeHandler(deps));
    api(GET_POST, '/query_exemplars', queryExemplarsHandler);
    api(GET_POST, '/format_query', formatQueryHandler);
    api(GET_POST, '/parse_query', parseQueryHandler);
    api(GET_POST, '/labels', labelNamesHandler(q));
    api(['GET'], '/label/:name/values', labelValuesHandler(q));
    api(GET_POST, '/series', seriesHandler(q));
    api(['DELETE'], '/series', () => {
      throw new ApiError('internal', 'not implemented');
    });
    api(['GET'], '/targets', targetsHandler(src));
    api(['GET'], '/targets/metadata', targetMetadataHandler(src));
    api(['GET'], '/scrape_pools', scrapePoolsHandler(src));
    api(['GET'], '/metadata', metadataHandler(src));
    api(['GET'], '/alertmanagers', alertmanagersHandler);
    api(['GET'], '/rules', rulesHandler);
    api(['GET'], '/alerts', alertsHandler);
    api(['GET'], '/status/config', configHandler(deps));
    api(['GET'], '/status/flags', flagsHandler(deps));
    api(['GET'], '/status/runtimeinfo', runtimeInfoHandler(deps));
    api(['GET'], '/status/buildinfo', buildInfoHandler(deps));
    api(['GET'], '/features', featuresHandler(deps));
    api(['GET'], '/status/tsdb', tsdbStatusHandler(deps));
    api(['GET'], '/status/walreplay', walReplayHandler(deps), false);
    api(POST_PUT, '/admin/tsdb/snapshot', snapshotHandler(deps));
    api(POST_PUT, '/admin/tsdb/delete_series', deleteSeriesHandler(deps));
    api(POST_PUT, '/admin/tsdb/clean_tombstones', cleanTombstonesHandler(deps));
  }

  #registerManagement(): void {
    const app = this.options.appName;
    const r = this.#router;
    r.addAll(['GET', 'HEAD'], '/-/healthy', (req, res) => sendText(req, res, 200, `${app} is Healthy.\n`));
    r.addAll(['GET', 'HEAD'], '/-/ready', (req, res) =>
      this.#ready ? sendText(req, res, 200, `${app} is Ready.\n`) : sendNotReady(req, res),
    );
    r.add('GET', '/federate', (req, res) => {
      if (!this.#ready) return sendNotReady(req, res);
      return federateHandler(
        req,
        res,
        this.#sources.queryable,
        this.options.now(),
        this.options.lookbackDelta,
        this.#sources.config?.externalLabels(),
      );
    });
    const onlyPostPut: HttpHandler = (req, res) =>
      sendText(req, res, 405, 'Only POST or PUT requests allowed');
    r.add('GET', '/-/reload', onlyPostPut);
    r.add('GET', '/-/quit', onlyPostPut);
    const lifecycle = this.#sources.lifecycle;
    if (!this.options.enableLifecycle || lifecycle === undefined) {
      const forbidden: HttpHandler = (req, res) => sendText(req, res, 403, 'Lifecycle API is not enabled.');
      r.addAll(POST_PUT, '/-/reload', forbidden);
      r.addAll(POST_PUT, '/-/quit', forbidden);
      return;
    }
    r.addAll(POST_PUT, '/-/reload', async (req, res) => {
      try {
        await lifecycle.reload();
      } catch (e) {
        return sendText(
          req,
          res,
          500,
          `failed to reload config: ${e instanceof Error ? e.message : String(e)}\n`,
        );
      }
      return sendText(req, res, 200, '');
    });
    r.addAll(POST_PUT, '/-/quit', async (req, res) => {
      if (this.#quitting) return sendText(req, res, 200, 'Termination already in progress.');
      this.#quitting = true;
      await sendText(req, res, 200, 'Requesting termination... Goodbye!');
      lifecycle.quit();
    });
  }
}

function redirect(res: WebResponse, location: string): void {
  res.statusCode = 302;
  res.setHeader('Location', location);
  res.end();
}

function notFound(req: WebRequest, res: WebResponse): Promise<void> {
  return sendText(req, res, 404, '404 page not found\n');
}
