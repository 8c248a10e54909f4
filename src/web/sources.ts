/**
 * What the HTTP layer needs from the rest of the server, as narrow interfaces (in the spirit of
 * Prometheus' `TargetRetriever`, `RulesRetriever`, `TSDBAdminStats`). The server supplies real
 * implementations; tests supply small ones. Every source is called per request, from the event
 * loop, and may be called concurrently with scrapes and rule evaluations: implementations return
 * snapshots and never hand out state they keep mutating.
 */
import type { Labels } from '../model/labels.js';
import type { Matcher } from '../model/matcher.js';
import type { QueryOutcome } from '../promql/engine/engine.js';
import type { TargetHealth } from '../scrape/target-json-types.js';
import type { Queryable } from '../storage/interface.js';

/** Per-query options the API passes to the engine. */
export interface EngineQueryOptions {
  /** Aborts the query on timeout or when the client goes away (see `deadlineSignal`). */
  signal?: AbortSignal;
  /** Overrides the engine's lookback delta for this query, milliseconds. */
  lookbackDelta?: number;
}

/**
 * The PromQL engine as the API calls it. Both methods resolve with the result and annotations, or
 * reject with the parser's `ParseError` (a bad query) or the engine's `QueryError` family
 * (`QueryCanceledError` or `QueryTimeoutError` on abort, `TooManySamplesError`, …). Times and steps are milliseconds.
 * `engineAdapter` (engine-adapter.ts) adapts `promql/engine`'s `Engine`.
 */
export interface QueryEngine {
  instantQuery(q: Queryable, query: string, t: number, o: EngineQueryOptions): Promise<QueryOutcome>;
  rangeQuery(
    q: Queryable,
    query: string,
    start: number,
    end: number,
    step: number,
    o: EngineQueryOptions,
  ): Promise<QueryOutcome>;
}

export type { TargetHealth };

/** One metric's metadata as a target exposed it (`# TYPE`, `# HELP`, `# UNIT`). */
export interface TargetMetricMetadata {
  /** The metric family name. */
  readonly metric: string;
  /** `counter`, `gauge`, `histogram`, `summary`, `unknown`, … as the exposition said. */
  readonly type: string;
  readonly help: string;
  readonly unit: string;
}

/** A target being scraped. */
export interface ActiveTarget {
  /** Labels from service discovery, before relabeling. */
  readonly discoveredLabels: Labels;
  /** Labels after relabeling: the ones its series carry. */
  readonly labels: Labels;
  readonly scrapePool: string;
  readonly scrapeUrl: string;
  /** The URL with a local address replaced by the external one (Prometheus' `globalUrl`). */
  readonly globalUrl: string;
  /** The last scrape's error, `''` when it succeeded. */
  readonly lastError: string;
  /** When the last scrape started; `undefined` before the first. */
  readonly lastScrape: Date | undefined;
  /** Seconds the last scrape took. */
  readonly lastScrapeDuration: number;
  readonly health: TargetHealth;
  /** As written in the configuration: `15s`. */
  readonly scrapeInterval: string;
  readonly scrapeTimeout: string;
  /** The metadata of the metrics the target exposed in its last scrape. */
  readonly metadata: readonly TargetMetricMetadata[];
}

/** A discovered target that relabeling dropped. */
export interface DroppedTarget {
  readonly discoveredLabels: Labels;
  readonly scrapePool: string;
}

/** Scrape targets, for `/api/v1/targets`, `/targets/metadata`, `/metadata` and `/scrape_pools`. */
export interface TargetsSource {
  /** Active targets, in any order (the API sorts by pool). */
  activeTargets(): readonly ActiveTarget[];
  /** Dropped targets kept for display (subject to `keep_dropped_targets`). */
  droppedTargets(): readonly DroppedTarget[];
  /** How many targets each pool dropped in all, including those not kept. */
  droppedTargetCounts(): ReadonlyMap<string, number>;
  /** The configured scrape pool (job) names. */
  scrapePools(): readonly string[];
}

/** One `{name, value}` row of the TSDB cardinality statistics. */
export interface TsdbStat {
  readonly name: string;
  readonly value: number;
}

/** `/api/v1/status/tsdb`: the head's figures and the top-`limit` cardinality lists. */
export interface TsdbStatus {
  readonly headStats: {
    readonly numSeries: number;
    readonly numLabelPairs: number;
    readonly chunkCount: number;
    /** Milliseconds. */
    readonly minTime: number;
    readonly maxTime: number;
  };
  readonly seriesCountByMetricName: readonly TsdbStat[];
  readonly labelValueCountByLabelName: readonly TsdbStat[];
  readonly memoryInBytesByLabelName: readonly TsdbStat[];
  readonly seriesCountByLabelValuePair: readonly TsdbStat[];
}

/** WAL replay progress, for `/api/v1/status/walreplay` (served before the server is ready). */
export interface WalReplayStatus {
  /** First and last segment to replay, and the one being replayed. */
  readonly min: number;
  readonly max: number;
  readonly current: number;
}

/** The storage's statistics. `statsFromQueryable` (tsdb-stats.ts) computes them from any `Queryable`. */
export interface TsdbStatsSource {
  /** The statistics, each list cut to its `limit` largest entries. May throw; the API answers 500. */
  tsdbStatus(limit: number): TsdbStatus | Promise<TsdbStatus>;
  walReplayStatus(): WalReplayStatus;
}

/** The admin operations behind `--web.enable-admin-api`. Failures reject; the API answers 500. */
export interface AdminSource {
  /**
   * Writes a snapshot into `<data dir>/snapshots/<name>` (the API picks `name` as Prometheus
   * does: `20060102T150405Z-<16 hex digits>`); without the head's data when `withHead` is false.
   */
  snapshot(name: string, withHead: boolean): Promise<void>;
  /** Marks the samples of matching series in [mint, maxt] (milliseconds) deleted. */
  deleteSeries(mint: number, maxt: number, matchers: readonly Matcher[]): Promise<void>;
  /** Rewrites blocks without deleted data. */
  cleanTombstones(): Promise<void>;
}

/** The loaded configuration. */
export interface ConfigSource {
  /** The configuration as YAML with secrets redacted, for `/api/v1/status/config`. */
  configYaml(): string;
  /** `global.external_labels`, which `/federate` adds to every series. */
  externalLabels(): Labels;
}

/** Runtime facts only the server knows, for `/api/v1/status/runtimeinfo`. */
export interface RuntimeInfoSource {
  reloadConfigSuccess(): boolean;
  lastConfigTime(): Date | undefined;
  corruptionCount(): number;
  timeSeriesCount(): number;
  /** As written: `15d`, or `15d or 512MiB`. */
  storageRetention(): string;
}

/** What `/-/reload` and `/-/quit` do (only with `--web.enable-lifecycle`). */
export interface LifecycleHandlers {
  /** Reloads configuration and rules; rejects with the reason it failed. */
  reload(): Promise<void>;
  /** Starts a graceful shutdown; called at most once. */
  quit(): void;
}

/** Build facts for `/api/v1/status/buildinfo` (Prometheus' field names). */
export interface BuildInfo {
  readonly version: string;
  readonly revision: string;
  readonly branch: string;
  readonly buildUser: string;
  readonly buildDate: string;
  /** Prometheus reports its Go version here; Vigil reports its runtime (`node v20.x`). */
  readonly goVersion: string;
}

/** Everything the web layer reads from. Only `queryable` and `engine` are required. */
export interface WebSources {
  /** The data the API queries, lists and federates. */
  readonly queryable: Queryable;
  readonly engine: QueryEngine;
  readonly targets?: TargetsSource;
  readonly tsdb?: TsdbStatsSource;
  readonly admin?: AdminSource;
  readonly config?: ConfigSource;
  readonly runtime?: RuntimeInfoSource;
  readonly lifecycle?: LifecycleHandlers;
}
