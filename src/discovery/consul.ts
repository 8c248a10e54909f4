/**
 * `consul_sd_configs`: one target group per Consul service, followed with blocking queries on the
 * catalog (`/v1/catalog/services`) and on each service's health (`/v1/health/service/<name>`).
 */
import type { Logger } from '../util/logger.js';
import { noopLogger } from '../util/logger.js';
import { ConsulClient } from './consul-client.js';
import { decodeCatalogServices, decodeServiceEntries } from './consul-api.js';
import { consulServiceGroup } from './consul-labels.js';
import type { ConsulOptions } from './consul-options.js';
import { defaultConsulOptions } from './consul-options.js';
import { runWatch } from './consul-watch.js';
import type { Discoverer, EmitGroups, TargetGroup } from './discoverer.js';
import { GroupTracker } from './group-tracker.js';

/** Dependencies of {@link ConsulDiscoverer}. */
export interface ConsulDeps {
  logger: Logger;
}

interface ServiceWatch {
  readonly abort: AbortController;
  readonly done: Promise<void>;
  readonly ready: Promise<void>;
}

/**
 * Follows a Consul catalog. The catalog watch picks the services to follow (named in `services`, or
 * all, and carrying every tag of `tags`); each gets its own watch and a group whose source is the
 * service name. A service leaving the catalog is emitted once with no targets. The first emit waits
 * until every initial service answered once (or failed). Failed requests are logged, the last
 * targets kept, and retried with exponential backoff. The constructor throws a `DiscoveryError` for
 * an invalid scheme or server.
 */
export class ConsulDiscoverer implements Discoverer {
  readonly #opts: ConsulOptions;
  readonly #logger: Logger;
  readonly #client: ConsulClient;

  constructor(options: Partial<ConsulOptions>, deps: Partial<ConsulDeps> = {}) {
    this.#opts = { ...defaultConsulOptions(), ...options };
    this.#logger = deps.logger ?? noopLogger;
    this.#client = new ConsulClient(this.#opts);
  }

  async run(signal: AbortSignal, emit: EmitGroups): Promise<void> {
    const o = this.#opts;
    const tracker = new GroupTracker();
    const current = new Map<string, TargetGroup>();
    const watches = new Map<string, ServiceWatch>();
    const stopping = new Set<Promise<void>>();
    let started = false;

    const publish = (name: string, group: TargetGroup | undefined): void => {
      if (group === undefined) current.delete(name);
      else current.set(name, group);
      if (!started) return;
      const changed = tracker.update(group === undefined ? [] : [group], (s) => s === name);
      if (changed.length > 0) emit(changed);
    };

    const watchService = (name: string): ServiceWatch => {
      const abort = new AbortController();
      const sig = AbortSignal.any([signal, abort.signal]);
      let markReady = (): void => {};
      const ready = new Promise<void>((resolve) => (markReady = resolve));
      const params: [string, string][] = o.tags.map((t) => ['tag', t]);
      if (o.healthFilter !== '') params.push(['filter', o.healthFilter]);
      const path = `/v1/health/service/${encodeURIComponent(name)}`;
      const done = runWatch(
        sig,
        o,
        (index) => this.#client.get(path, params, index, sig, decodeServiceEntries),
        (entries) => {
          if (!sig.aborted) publish(name, consulServiceGroup(name, entries, o.tagSeparator));
          markReady();
        },
        (err) => {
          this.#logger.error('Error refreshing service', { service: name, err: asError(err) });
          markReady();
        },
      ).finally(markReady);
      return { abort, done, ready };
    };

    const onCatalog = async (services: Map<string, string[]>): Promise<void> => {
      const wanted = new Set<string>();
      for (const [name, tags] of services) {
        if (o.services.length > 0 && !o.services.includes(name)) continue;
        if (!o.tags.every((t) => tags.includes(t))) continue;
        wanted.add(name);
      }
      for (const [name, w] of watches) {
        if (wanted.has(name)) continue;
        w.abort.abort();
        // Kept until it settles so run() can wait for it; removed then so a long run does not grow.
        stopping.add(w.done);
        void w.done.finally(() => stopping.delete(w.done));
        watches.delete(name);
        publish(name, undefined);
      }
      const fresh: Promise<void>[] = [];
      for (const name of wanted) {
        if (watches.has(name)) continue;
        const w = watchService(name);
        watches.set(name, w);
        fresh.push(w.ready);
      }
      if (started) return;
      await Promise.all(fresh);
      if (signal.aborted) return;
      started = true;
      emit(tracker.update([...current.values()]));
    };

    const catalogParams: [string, string][] = o.filter === '' ? [] : [['filter', o.filter]];
    await runWatch(
      signal,
      o,
      (index) =>
        this.#client.get('/v1/catalog/services', catalogParams, index, signal, decodeCatalogServices),
      onCatalog,
      (err) => this.#logger.error('Error refreshing service list', { err: asError(err) }),
    );
    await Promise.all([...stopping, ...[...watches.values()].map((w) => w.done)]);
  }
}

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}
