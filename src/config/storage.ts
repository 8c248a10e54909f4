/** The `storage` block: the runtime-reloadable TSDB settings (`tsdb`) and `exemplars`. */
import type { Decoder, YamlNode } from './decoder.js';

/** The `storage` block, defaults applied. Durations are milliseconds. */
export interface StorageConfig {
  tsdb: {
    /** How far behind the newest sample out-of-order samples are accepted; 0 refuses them. */
    outOfOrderTimeWindow: number;
  };
}

export function defaultStorageConfig(): StorageConfig {
  return { tsdb: { outOfOrderTimeWindow: 0 } };
}

/** Decodes `storage`; fields Vigil does not use yet are checked for their type only where cheap. */
export function decodeStorageConfig(d: Decoder, node: YamlNode): StorageConfig {
  const cfg = defaultStorageConfig();
  const accept = (): void => undefined;
  d.struct(node, 'config.StorageConfig', {
    tsdb: (v) =>
      d.struct(v, 'config.TSDBConfig', {
        out_of_order_time_window: (w) => (cfg.tsdb.outOfOrderTimeWindow = d.duration(w)),
        // Known to newer Prometheus versions, not used by Vigil: accepted so files load unchanged.
        stale_series_compaction_threshold: (t) => void d.float(t),
        chunk_encoding: accept,
        retention: accept,
      }),
    exemplars: (v) => d.struct(v, 'config.ExemplarsConfig', { max_exemplars: (m) => void d.int(m) }),
  });
  return cfg;
}
