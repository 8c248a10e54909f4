/**
 * The discoverers of one job's discovery blocks: one for all `static_configs` together (as
 * Prometheus' static provider), one per other block. Each has a key that changes exactly when its
 * config does, so a reload can keep the ones that did not change.
 */
import type { ServiceDiscoveryConfigs } from '../config/discovery.js';
import type { Logger } from '../util/logger.js';
import { ConsulDiscoverer } from './consul.js';
import { consulOptionsFromConfig } from './consul-options.js';
import type { Discoverer } from './discoverer.js';
import { DnsDiscoverer } from './dns.js';
import { FileDiscoverer } from './file.js';
import { HttpDiscoverer } from './http.js';
import { KubernetesDiscoverer } from './kubernetes.js';
import { kubernetesOptionsFromConfig } from './kubernetes-config.js';
import { defaultKubernetesEnvironment, resolveKubernetesConnection } from './kubernetes-connection.js';
import type { KubernetesEnvironment } from './kubernetes-connection.js';
import { StaticDiscoverer } from './static.js';

/** How to build one discoverer, and the key that identifies its config. */
export interface ProviderSpec {
  /** `<mechanism>/<index>`, for logs and errors (`file/0`). */
  readonly name: string;
  readonly key: string;
  /** Builds the discoverer; rejects (or throws) for an invalid config. */
  create(): Promise<Discoverer>;
}

/** What building discoverers needs. */
export interface ProviderDeps {
  logger: Logger;
  /** The in-cluster environment Kubernetes discovery reads (tests point it elsewhere). */
  kubernetesEnvironment: KubernetesEnvironment;
}

/** The providers of one job's discovery blocks, in a stable order. */
export function providerSpecs(sd: ServiceDiscoveryConfigs, deps: Partial<ProviderDeps>): ProviderSpec[] {
  const logger = deps.logger;
  const env = deps.kubernetesEnvironment ?? defaultKubernetesEnvironment();
  const specs: ProviderSpec[] = [];
  const add = (
    mechanism: string,
    index: number,
    config: unknown,
    create: () => Promise<Discoverer>,
  ): void => {
    specs.push({
      name: `${mechanism}/${index}`,
      key: `${mechanism}/${index}:${JSON.stringify(config)}`,
      create,
    });
  };
  if (sd.staticConfigs.length > 0) {
    add('static', 0, sd.staticConfigs, () =>
      Promise.resolve(new StaticDiscoverer({ configs: sd.staticConfigs })),
    );
  }
  sd.fileSdConfigs.forEach((c, i) =>
    add('file', i, c, () =>
      Promise.resolve(
        new FileDiscoverer({ files: c.files, refreshIntervalMs: c.refreshInterval }, { logger }),
      ),
    ),
  );
  sd.dnsSdConfigs.forEach((c, i) =>
    add('dns', i, c, () =>
      Promise.resolve(
        new DnsDiscoverer(
          { names: c.names, type: c.type, port: c.port, refreshIntervalMs: c.refreshInterval },
          { logger },
        ),
      ),
    ),
  );
  sd.httpSdConfigs.forEach((c, i) =>
    add('http', i, c, () =>
      Promise.resolve(new HttpDiscoverer({ url: c.url, refreshIntervalMs: c.refreshInterval }, { logger })),
    ),
  );
  sd.consulSdConfigs.forEach((c, i) =>
    add('consul', i, c, () => Promise.resolve(new ConsulDiscoverer(consulOptionsFromConfig(c), { logger }))),
  );
  sd.kubernetesSdConfigs.forEach((c, i) =>
    add('kubernetes', i, c, async () => {
      const connection = await resolveKubernetesConnection(c, env);
      const options = await kubernetesOptionsFromConfig(c, env);
      return new KubernetesDiscoverer(options, { connection, logger });
    }),
  );
  return specs;
}
