/**
 * `kubernetes_sd_configs`: targets from the Kubernetes API by list + watch, for the roles `pod`,
 * `node`, `service` and `ingress` (see configuration.md, `<kubernetes_sd_config>`).
 */
import type { KubernetesRole } from '../config/discovery.js';
import type { Logger } from '../util/logger.js';
import { noopLogger } from '../util/logger.js';
import type { Discoverer, EmitGroups, TargetGroup } from './discoverer.js';
import { DiscoveryError } from './errors.js';
import { GroupTracker } from './group-tracker.js';
import type { KubernetesConnection } from './kubernetes-client.js';
import { KubernetesClient } from './kubernetes-client.js';
import type { Ingress } from './kubernetes-ingress.js';
import { buildIngressGroup, parseIngress } from './kubernetes-ingress.js';
import { buildNodeGroup } from './kubernetes-node.js';
import { parseNode, parsePod, parseService } from './kubernetes-objects.js';
import { buildPodGroup } from './kubernetes-pod.js';
import { buildServiceGroup } from './kubernetes-service.js';
import { ResourceWatch } from './kubernetes-watch.js';

/** The roles this implementation supports so far. */
export const SUPPORTED_KUBERNETES_ROLES: readonly KubernetesRole[] = ['pod', 'node', 'service', 'ingress'];

/** Options of {@link KubernetesDiscoverer}: one `<kubernetes_sd_config>` with credentials resolved. */
export interface KubernetesOptions {
  role: KubernetesRole;
  /** Namespaces to watch; empty means all. Ignored by the cluster-scoped `node` role. */
  namespaces: string[];
  /** The `labelSelector` sent to the API server, empty for none. */
  labelSelector: string;
  /** The `fieldSelector` sent to the API server, empty for none. */
  fieldSelector: string;
  /** Wait after a failed list or watch before trying again, in milliseconds (default 1s). */
  retryMs: number;
}

/** Defaults: role `pod`, all namespaces, no selectors, retry after a second. */
export function defaultKubernetesOptions(): KubernetesOptions {
  return { role: 'pod', namespaces: [], labelSelector: '', fieldSelector: '', retryMs: 1000 };
}

/** Dependencies of {@link KubernetesDiscoverer}. */
export interface KubernetesDeps {
  /** How to reach the API server (see `resolveKubernetesConnection`). */
  connection: KubernetesConnection;
  logger: Logger;
}

/** How one role is listed, decoded and turned into groups. */
interface RoleSpec<T> {
  /** The API group path, `/api/v1` for core objects. */
  api: string;
  /** The collection under `api`, e.g. `pods`. */
  collection: string;
  /** The first element of the role's group sources, e.g. `pod`. */
  sourceKind: string;
  namespaced: boolean;
  parse: (v: unknown, path: string) => T;
  build: (item: T) => TargetGroup;
}

const POD: RoleSpec<ReturnType<typeof parsePod>> = {
  api: '/api/v1',
  collection: 'pods',
  sourceKind: 'pod',
  namespaced: true,
  parse: parsePod,
  build: buildPodGroup,
};
const NODE: RoleSpec<ReturnType<typeof parseNode>> = {
  api: '/api/v1',
  collection: 'nodes',
  sourceKind: 'node',
  namespaced: false,
  parse: parseNode,
  build: buildNodeGroup,
};
const INGRESS: RoleSpec<Ingress> = {
  api: '/apis/networking.k8s.io/v1',
  collection: 'ingresses',
  sourceKind: 'ingress',
  namespaced: true,
  parse: parseIngress,
  build: buildIngressGroup,
};
const SERVICE: RoleSpec<ReturnType<typeof parseService>> = {
  api: '/api/v1',
  collection: 'services',
  sourceKind: 'svc',
  namespaced: true,
  parse: parseService,
  build: buildServiceGroup,
};

/**
 * Discovers targets of one role. One list + watch runs per namespace (or one cluster-wide). The
 * first emit comes once every collection has been listed; then each watch event emits the group
 * of the object it changed (a deleted object's group is emitted empty). Failures are logged and
 * retried after `retryMs`, keeping the last targets. The constructor throws a `DiscoveryError` for
 * a role not yet supported.
 */
export class KubernetesDiscoverer implements Discoverer {
  readonly #opts: KubernetesOptions;
  readonly #client: KubernetesClient;
  readonly #logger: Logger;

  constructor(
    options: Partial<KubernetesOptions>,
    deps: Pick<KubernetesDeps, 'connection'> & Partial<KubernetesDeps>,
  ) {
    this.#opts = { ...defaultKubernetesOptions(), ...options };
    this.#client = new KubernetesClient(deps.connection);
    this.#logger = deps.logger ?? noopLogger;
    if (!SUPPORTED_KUBERNETES_ROLES.includes(this.#opts.role)) {
      throw new DiscoveryError(
        'ERR_SD_K8S_CONFIG',
        `Kubernetes SD role "${this.#opts.role}" is not supported yet`,
      );
    }
  }

  run(signal: AbortSignal, emit: EmitGroups): Promise<void> {
    switch (this.#opts.role) {
      case 'node':
        return this.#run(NODE, signal, emit);
      case 'service':
        return this.#run(SERVICE, signal, emit);
      case 'ingress':
        return this.#run(INGRESS, signal, emit);
      default:
        return this.#run(POD, signal, emit);
    }
  }

  async #run<T>(spec: RoleSpec<T>, signal: AbortSignal, emit: EmitGroups): Promise<void> {
    const { namespaces, labelSelector, fieldSelector, retryMs } = this.#opts;
    const query = new URLSearchParams();
    if (labelSelector !== '') query.set('labelSelector', labelSelector);
    if (fieldSelector !== '') query.set('fieldSelector', fieldSelector);
    const scopes: { path: string; prefix: string }[] =
      !spec.namespaced || namespaces.length === 0
        ? [{ path: `${spec.api}/${spec.collection}`, prefix: `${spec.sourceKind}/` }]
        : namespaces.map((ns) => ({
            path: `${spec.api}/namespaces/${encodeURIComponent(ns)}/${spec.collection}`,
            prefix: `${spec.sourceKind}/${ns}/`,
          }));

    const tracker = new GroupTracker();
    // Until every collection has been listed once, changes are held back so that the first emit
    // carries the whole initial state.
    const unlisted = new Set(scopes.map((s) => s.path));
    const held = new Map<string, TargetGroup>();
    const report = (changed: TargetGroup[], path?: string): void => {
      if (unlisted.size > 0) {
        for (const g of changed) held.set(g.source, g);
        if (path !== undefined) unlisted.delete(path);
        if (unlisted.size === 0) emit([...held.values()]);
        return;
      }
      if (changed.length > 0) emit(changed);
    };

    await Promise.all(
      scopes.map(({ path, prefix }) =>
        new ResourceWatch(
          { client: this.#client, path, query, parse: spec.parse, retryMs, logger: this.#logger },
          {
            onList: (items) =>
              report(
                tracker.update(items.map(spec.build), (s) => s.startsWith(prefix)),
                path,
              ),
            onEvent: (item, deleted) => {
              const g = spec.build(item);
              report(tracker.update(deleted ? [] : [g], (s) => s === g.source));
            },
          },
        ).run(signal),
      ),
    );
  }
}
