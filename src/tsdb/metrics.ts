/**
 * The database's self-monitoring metrics under Prometheus' names, so dashboards built for
 * Prometheus' TSDB work unchanged. Values are read from the DB when `/metrics` is scraped.
 */
import { Counter, Gauge } from 'prom-client';
import type { Registry } from 'prom-client';
import type { DB } from './db.js';

/** Registers the TSDB metrics of `db` on `registry`. */
export function registerTsdbMetrics(db: DB, registry: Registry): void {
  const registers = [registry];
  const c = db.head.counters;
  const counter = (name: string, help: string, read: () => number, labels?: Record<string, string>) =>
    new Counter({
      name,
      help,
      registers,
      labelNames: labels === undefined ? [] : Object.keys(labels),
      collect() {
        this.reset();
        if (labels === undefined) this.inc(read());
        else this.inc(labels, read());
      },
    });
  const gauge = (name: string, help: string, read: () => number) =>
    new Gauge({
      name,
      help,
      registers,
      collect() {
        this.set(read());
      },
    });
  gauge('prometheus_tsdb_head_series', 'Total number of series in the head block.', () => db.head.numSeries);
  gauge('prometheus_tsdb_head_chunks', 'Total number of chunks in the head block.', () =>
    db.head.chunkCount(),
  );
  gauge('prometheus_tsdb_head_min_time', 'Minimum time bound of the head block.', () =>
    finite(db.head.minTime),
  );
  gauge('prometheus_tsdb_head_max_time', 'Maximum timestamp of the head block.', () =>
    finite(db.head.maxTime),
  );
  gauge('prometheus_tsdb_blocks_loaded', 'Number of currently loaded data blocks.', () => db.blocks().length);
  gauge('prometheus_tsdb_lowest_timestamp', 'Lowest timestamp value stored in the database.', () =>
    finite(Math.min(db.blocks()[0]?.minTime ?? Infinity, db.head.minTime)),
  );
  counter(
    'prometheus_tsdb_head_series_created_total',
    'Total number of series created in the head',
    () => c.seriesCreated,
  );
  counter(
    'prometheus_tsdb_head_series_removed_total',
    'Total number of series removed in the head',
    () => c.seriesRemoved,
  );
  counter(
    'prometheus_tsdb_head_chunks_created_total',
    'Total number of chunks created in the head',
    () => c.chunksCreated,
  );
  counter(
    'prometheus_tsdb_head_samples_appended_total',
    'Total number of appended samples.',
    () => c.samplesAppended,
    { type: 'float' },
  );
  counter(
    'prometheus_tsdb_out_of_order_samples_total',
    'Total number of out of order samples ingestion failed attempts.',
    () => c.outOfOrder,
    { type: 'float' },
  );
  counter(
    'prometheus_tsdb_too_old_samples_total',
    'Total number of out of order samples ingestion failed attempts with out of order support enabled, but sample outside of time window.',
    () => c.tooOld,
    { type: 'float' },
  );
  counter(
    'prometheus_tsdb_head_out_of_order_samples_appended_total',
    'Total number of appended out of order samples.',
    () => c.oooAppended,
    { type: 'float' },
  );
  counter(
    'prometheus_tsdb_out_of_bound_samples_total',
    'Total number of out of bound samples ingestion failed attempts.',
    () => c.outOfBounds,
    { type: 'float' },
  );
  counter(
    'prometheus_tsdb_compactions_total',
    'Total number of compactions that were executed for the partition.',
    () => db.stats.compactions,
  );
  counter(
    'prometheus_tsdb_head_truncations_total',
    'Total number of head truncations attempted.',
    () => db.stats.headTruncations,
  );
  counter(
    'prometheus_tsdb_checkpoint_creations_total',
    'Total number of checkpoint creations attempted.',
    () => db.stats.checkpoints,
  );
  counter(
    'prometheus_tsdb_reloads_failures_total',
    'Number of times the database failed to maintain its blocks.',
    () => db.stats.maintenanceFailures,
  );
}

/** Prometheus reports an empty head's bounds as ±max int64; a gauge cannot hold ±Infinity usefully. */
function finite(v: number): number {
  return Number.isFinite(v) ? v : 0;
}
