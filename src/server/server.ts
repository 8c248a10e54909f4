/**
 * `vigil server` assembled: configuration, the database, the query engine, discovery, scraping,
 * the HTTP API and console, and self-monitoring, with Prometheus' lifecycle. The web server starts
 * first (healthy, not ready) so `/-/healthy` and `/api/v1/status/walreplay` answer while the WAL
 * replays; scraping starts once the database is open; reloads apply a new configuration without
 * touching unchanged jobs; `stop()` ends scraping, waits for in-flight scrapes, and closes storage.
 */
import type { AddressInfo } from 'node:net';
import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { Config } from '../config/load.js';
import { loadConfig, loadConfigFile } from '../config/load.js';
import { configToYaml } from '../config/serialize.js';
import { DiscoveryManager, scrapeDiscoveryConfigs } from '../discovery/manager.js';
import { Labels } from '../model/labels.js';
import { Engine } from '../promql/engine/engine.js';
import { ScrapeManager } from '../scrape/manager.js';
import type { Queryable } from '../storage/interface.js';
import { DB } from '../tsdb/db.js';
import type { FsyncPolicy } from '../tsdb/wlog/writer.js';
import { registerTsdbMetrics } from '../tsdb/metrics.js';
import type { Logger } from '../util/logger.js';
import { VERSION } from '../version.js';
import { engineAdapter } from '../web/engine-adapter.js';
import type { WebOptions } from '../web/options.js';
import { QueryLog } from '../web/query-log.js';
import { WebServer } from '../web/server.js';
import { WebConfigSource } from '../web/web-config-source.js';
import { embeddedConfigYaml } from './default-config.js';
import { targetsSource } from './targets-source.js';
import { WalReplayProgress, adminSource, tsdbStatsSource } from './tsdb-sources.js';

/** Everything `vigil server` is configured with (its flags). */
export interface ServerOptions {
  /** `--config.file`; undefined runs the embedded configuration that scrapes the server itself. */
  configFile: string | undefined;
  /** `--web.config.file`: TLS, basic authentication and headers; undefined for plain HTTP. */
  webConfigFile?: string | undefined;
  /** `--storage.tsdb.path`. */
  storagePath: string;
  /** `--storage.tsdb.retention.time`, ms (0: no time limit). */
  retentionTime: number;
  /** `--storage.tsdb.retention.size`, bytes (0: no size limit). */
  retentionSize: number;
  /** WAL fsync policy (`--storage.tsdb.wal-fsync`). */
  walFsync: FsyncPolicy;
  /** `--storage.tsdb.wal-compression`. */
  walCompression: boolean;
  /** `--query.max-samples`. */
  queryMaxSamples: number;
  /** `--query.max-concurrency`. */
  queryMaxConcurrency: number;
  /** The web flags (listen address, external URL, lifecycle, admin API, CORS, timeouts, flags shown). */
  web: Partial<WebOptions>;
  logger: Logger;
}

/** A running server. */
export class Server {
  readonly #opts: ServerOptions;
  readonly #log: Logger;
  readonly registry = new Registry();
  readonly #web: WebServer;
  readonly #queryLog: QueryLog;
  readonly #replay = new WalReplayProgress();
  #db: DB | undefined;
  #scrape: ScrapeManager | undefined;
  #discovery: DiscoveryManager | undefined;
  /** The loaded configuration as status/config shows it, written once per (re)load. */
  #configYaml = '';
  #config: Config | undefined;
  #lastReloadOk = true;
  #lastReloadTime: Date | undefined;
  #stopping: Promise<void> | undefined;
  #address: AddressInfo | undefined;
  #reloading: Promise<boolean> = Promise.resolve(true);
  #quitRequested!: () => void;
  /** Resolves when `/-/quit` asks the server to stop. */
  readonly quitRequested = new Promise<void>((resolve) => (this.#quitRequested = resolve));
  readonly #reloadOk = new Gauge({
    name: 'prometheus_config_last_reload_successful',
    help: 'Whether the last configuration reload attempt was successful.',
    registers: [this.registry],
  });
  readonly #reloadTime = new Gauge({
    name: 'prometheus_config_last_reload_success_timestamp_seconds',
    help: 'Timestamp of the last successful configuration reload.',
    registers: [this.registry],
  });
  readonly #readyGauge = new Gauge({
    name: 'prometheus_ready',
    help: 'Whether Prometheus startup was fully completed and the server is ready for normal operation.',
    registers: [this.registry],
  });

  private constructor(opts: ServerOptions) {
    this.#opts = opts;
    this.#log = opts.logger;
    collectDefaultMetrics({ register: this.registry });
    new Gauge({
      name: 'prometheus_build_info',
      help: 'A metric with a constant 1 value labeled by version, revision, branch, and goversion from which prometheus was built.',
      labelNames: ['version', 'revision', 'branch', 'goversion'],
      registers: [this.registry],
    }).set({ version: VERSION, revision: '', branch: '', goversion: `node ${process.version}` }, 1);
    this.#queryLog = new QueryLog(undefined, opts.logger);
    const engine = new Engine({
      lookbackDelta: opts.web.lookbackDelta,
      maxSamples: opts.queryMaxSamples,
      maxConcurrency: opts.queryMaxConcurrency,
    });
    const queryable: Queryable = { querier: (mint, maxt) => this.#openDb().querier(mint, maxt) };
    // Read before anything listens: an invalid file stops the start-up.
    const webConfig = opts.webConfigFile ? WebConfigSource.open(opts.webConfigFile, opts.logger) : undefined;
    this.#web = new WebServer(
      {
        queryable,
        engine: engineAdapter(engine),
        targets: targetsSource(() => this.#scrape),
        tsdb: tsdbStatsSource(() => this.#db, this.#replay),
        admin: adminSource(() => this.#openDb()),
        config: {
          configYaml: () => this.#configYaml,
          externalLabels: () => Labels.from(this.#config?.global.externalLabels ?? {}),
        },
        runtime: {
          reloadConfigSuccess: () => this.#lastReloadOk,
          lastConfigTime: () => this.#lastReloadTime,
          corruptionCount: () => 0,
          timeSeriesCount: () => this.#db?.head.numSeries ?? 0,
          storageRetention: () => retentionText(opts.retentionTime, opts.retentionSize),
        },
        lifecycle: {
          reload: async () => {
            if (!(await this.reload())) throw new Error('failed to reload config');
          },
          quit: () => this.#quitRequested(),
        },
      },
      { ...opts.web, webConfig, logger: opts.logger },
      this.#queryLog,
    );
    this.#web.addRoute('GET', '/metrics', async (_req, res) => {
      const body = await this.registry.metrics();
      res.writeHead(200, { 'Content-Type': this.registry.contentType });
      res.end(body);
    });
  }

  /**
   * Starts a server: loads the configuration (a bad one is an error: nothing starts), listens,
   * opens the database (replaying its WAL), then starts discovery and scraping and turns ready.
   */
  static async start(opts: ServerOptions): Promise<Server> {
    const server = new Server(opts);
    const config = await server.#loadConfig();
    server.#config = config;
    server.#configYaml = configToYaml(config);
    await server.#queryLog.reopen(config.global.queryLogFile || undefined);
    const addr = await server.#web.listen();
    server.#address = addr;
    const tls = server.#web.options.webConfig?.current().tls !== undefined;
    opts.logger.info('Listening', { address: `${addr.address}:${addr.port}` });
    opts.logger.info(tls ? 'TLS is enabled.' : 'TLS is disabled.', { http2: server.#web.http2 });
    try {
      await server.#startStorageAndScraping(config);
    } catch (err) {
      await server.#web.close();
      throw err;
    }
    return server;
  }

  async #startStorageAndScraping(config: Config): Promise<void> {
    const opts = this.#opts;
    opts.logger.info('Starting TSDB', { path: opts.storagePath });
    const db = await DB.open(opts.storagePath, {
      retentionTime: opts.retentionTime,
      retentionSize: opts.retentionSize,
      walFsync: opts.walFsync,
      walCompression: opts.walCompression,
      logger: opts.logger,
      onReplayProgress: (current, last) => this.#replay.update(current, last),
      outOfOrderTimeWindow: config.storage.tsdb.outOfOrderTimeWindow,
    });
    this.#db = db;
    registerTsdbMetrics(db, this.registry);
    opts.logger.info('TSDB started', { series: db.head.numSeries, blocks: db.blocks().length });
    this.#scrape = new ScrapeManager({}, { appendable: db, logger: opts.logger, registry: this.registry });
    this.#discovery = new DiscoveryManager({}, { logger: opts.logger, registry: this.registry });
    const scrape = this.#scrape;
    this.#discovery.subscribe((sets) => scrape.sync(sets));
    await this.#apply(config);
    this.#markReload(true);
    this.#web.setReady(true);
    this.#readyGauge.set(1);
    opts.logger.info('Server is ready to receive web requests.');
  }

  /** The address the web server listens on. */
  get address(): AddressInfo | undefined {
    return this.#address;
  }

  /** The database (for tests and tools in the same process). */
  get db(): DB {
    return this.#openDb();
  }

  #openDb(): DB {
    if (this.#db === undefined) throw new Error('the database is not open yet');
    return this.#db;
  }

  async #loadConfig(): Promise<Config> {
    const file = this.#opts.configFile;
    if (file === undefined) {
      const text = embeddedConfigYaml(this.#opts.web.listenAddress ?? '0.0.0.0:9090');
      return loadConfig(text, '<embedded default>', { env: process.env });
    }
    return loadConfigFile(file, { env: process.env });
  }

  async #apply(config: Config): Promise<void> {
    const window = config.storage.tsdb.outOfOrderTimeWindow;
    if (this.#db !== undefined && window !== this.#db.head.outOfOrderTimeWindow) {
      await this.#db.setOutOfOrderTimeWindow(window);
      this.#log.info('Applied out-of-order time window', { window: `${window}ms` });
    }
    await this.#scrape!.applyConfig(config.scrapeConfigs);
    await this.#discovery!.applyConfig(scrapeDiscoveryConfigs(config.scrapeConfigs));
  }

  #markReload(ok: boolean): void {
    this.#lastReloadOk = ok;
    this.#reloadOk.set(ok ? 1 : 0);
    if (ok) {
      this.#lastReloadTime = new Date();
      this.#reloadTime.set(Math.floor(Date.now() / 1000));
    }
  }

  /**
   * Re-reads the configuration file and applies it (SIGHUP, `POST /-/reload`). A file that does not
   * load is logged and rejected; the running configuration stays. Resolves to whether it applied.
   */
  reload(): Promise<boolean> {
    this.#reloading = this.#reloading.then(async () => {
      if (this.#stopping !== undefined || this.#scrape === undefined) return false;
      const log = this.#log;
      log.info('Loading configuration file', { filename: this.#opts.configFile ?? '<embedded default>' });
      try {
        const config = await this.#loadConfig();
        await this.#apply(config);
        await this.#queryLog.reopen(config.global.queryLogFile || undefined);
        this.#config = config;
        this.#configYaml = configToYaml(config);
        this.#markReload(true);
        log.info('Completed loading of configuration file', {
          filename: this.#opts.configFile ?? '<embedded default>',
        });
        return true;
      } catch (err) {
        this.#markReload(false);
        log.error('Error reloading config', { err: err instanceof Error ? err.message : String(err) });
        return false;
      }
    });
    return this.#reloading;
  }

  /**
   * Stops: not ready, discovery and scraping stopped (in-flight scrapes finish and commit), the web
   * server closed, the database flushed and closed. Safe to call more than once.
   */
  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      const log = this.#log;
      log.info('Stopping scrape discovery manager...');
      this.#web.setReady(false);
      this.#readyGauge.set(0);
      await this.#reloading;
      await this.#discovery?.stop();
      log.info('Stopping scrape manager...');
      await this.#scrape?.stop();
      await this.#web.close();
      await this.#queryLog.close();
      if (this.#db !== undefined) {
        log.info('Closing TSDB');
        await this.#db.close();
      }
      log.info('See you next time!');
    })();
    return this.#stopping;
  }
}

function retentionText(timeMs: number, sizeBytes: number): string {
  const parts: string[] = [];
  if (timeMs > 0) parts.push(`${Math.round(timeMs / 86_400_000)}d`);
  if (sizeBytes > 0) parts.push(`${sizeBytes}B`);
  return parts.length === 0 ? 'unlimited' : parts.join(' or ');
}
