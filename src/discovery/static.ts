/** `static_configs`: targets written in the configuration itself. */
import type { Discoverer, EmitGroups, TargetGroup } from './discoverer.js';
import { staticGroup } from './static-config.js';
import type { StaticConfig } from './static-config.js';

/** Options of {@link StaticDiscoverer}: the job's `static_configs`. */
export interface StaticOptions {
  configs: StaticConfig[];
}

/** No static configs. */
export function defaultStaticOptions(): StaticOptions {
  return { configs: [] };
}

/**
 * Emits the configured groups once (sources `"0"`, `"1"`, … as in Prometheus) and then waits for
 * the signal. Throws a `DiscoveryError` from the constructor for an invalid target.
 */
export class StaticDiscoverer implements Discoverer {
  readonly #groups: TargetGroup[];

  constructor(options: StaticOptions) {
    this.#groups = options.configs.map((c, i) => staticGroup(String(i), c));
  }

  async run(signal: AbortSignal, emit: EmitGroups): Promise<void> {
    emit(this.#groups.slice());
    if (signal.aborted) return;
    await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
  }
}
