/**
 * The query log (`global.query_log_file`): one JSON line per query, with the fields Prometheus'
 * query log has (`params`, `stats`, `httpRequest`, `ts`, and `error` when it failed). A
 * configuration reload calls `reopen`, which also lets log rotation move the old file away.
 */
import { createWriteStream } from 'node:fs';
import type { WriteStream } from 'node:fs';
import type { Logger } from '../util/logger.js';
import { noopLogger } from '../util/logger.js';
import { formatMillisTime, jsonValue } from './json-values.js';
import type { QueryStats } from './query-stats.js';

/** One logged query. Times in milliseconds. */
export interface QueryLogEntry {
  readonly query: string;
  readonly start: number;
  readonly end: number;
  /** The range query's step, ms; 0 for an instant query. */
  readonly step: number;
  readonly stats: QueryStats;
  /** The failure, when the query failed. */
  readonly error?: string;
  /** The HTTP request that ran the query, when one did. */
  readonly httpRequest?: { readonly clientIP: string; readonly method: string; readonly path: string };
  /** When the query ended. */
  readonly ts: number;
}

/** Writes query log lines to a file; disabled while no path is set. */
export class QueryLog {
  #path: string | undefined;
  #out: WriteStream | undefined;
  #failures = 0;
  readonly #logger: Logger;

  constructor(path?: string, logger: Logger = noopLogger) {
    this.#logger = logger;
    this.#open(path);
  }

  /** Whether queries are being logged. */
  get enabled(): boolean {
    return this.#out !== undefined;
  }

  /** How many lines could not be written (Prometheus' `prometheus_engine_query_log_failures_total`). */
  get failures(): number {
    return this.#failures;
  }

  /** The line a query is logged as (without the newline). Keys in Prometheus' (sorted) order. */
  static format(e: QueryLogEntry): string {
    return jsonValue({
      error: e.error,
      httpRequest: e.httpRequest,
      params: {
        end: formatMillisTime(e.end),
        query: e.query,
        start: formatMillisTime(e.start),
        // Prometheus logs the step in whole seconds.
        step: Math.trunc(e.step / 1000),
      },
      stats: e.stats,
      ts: formatMillisTime(e.ts),
    });
  }

  /** Appends one line; never throws (a failed write is counted and logged). */
  log(e: QueryLogEntry): void {
    const out = this.#out;
    if (out === undefined) return;
    out.write(QueryLog.format(e) + '\n');
  }

  /**
   * Closes the current file and opens `path` (or stops logging when undefined), as a configuration
   * reload does in Prometheus, even when the path did not change.
   */
  async reopen(path: string | undefined): Promise<void> {
    await this.close();
    this.#open(path);
  }

  /** Flushes and closes the file. */
  async close(): Promise<void> {
    const out = this.#out;
    this.#out = undefined;
    if (out === undefined) return;
    await new Promise<void>((resolve) => out.end(resolve));
  }

  #open(path: string | undefined): void {
    this.#path = path;
    if (path === undefined || path === '') return;
    const out = createWriteStream(path, { flags: 'a' });
    out.on('error', (err) => {
      this.#failures++;
      this.#logger.error('Query log write failed', { file: this.#path, err });
      if (this.#out === out) this.#out = undefined;
    });
    this.#out = out;
  }
}
