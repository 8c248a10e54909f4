/**
 * `kubernetes_sd_configs`: targets from the Kubernetes API by list + watch, for the roles `pod`,
 * `node`, `service`, `ingress`, `endpoints` and `endpointslice` (see configuration.md, `<kubernetes_sd_config>`).
 */
import type { KubernetesRole } from '../config/discovery.js';
import type { Logger } from '../util/logger.js';
import { noopLogger } from '../util/logger.js';
import type { Discoverer, EmitGroups, TargetGroup } from './discoverer.js';
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
import type { ResourceWatchHandlers } from './kubernetes-watch.js';
import type { Endpoints, EndpointsLookups } from './kubernetes-endpoints.js';
import { buildEndpointsGroup, parseEndpoints } from './kubernetes-endpoints.js';
import type { EndpointSlice } from './kubernetes-endpointslice.js';
import { buildEndpointSliceGroup, parseEndpointSlice } from './kubernetes-endpointslice.js';
import type { Node, ObjectMeta, Pod, Service } from './kubernetes-objects.js';

/** Options of {@link KubernetesDiscoverer}: one `<kubernetes_sd_config>` with credentials resolved. */
export interface KubernetesOptions {
  role: KubernetesRole;
  /** Namespaces to watch; empty means all. Ignored by the cluster-scoped `node` role. */
  namespaces: string[];
  /** The `labelSelector` sent to the API server, empty for none. */
  labelSelector: string;
  /** The `fieldSelector` sent to the API server, empty for none. */
  fieldSelector: string;
  /** `attach_metadata.node`: the pod role also watches nodes and adds their metadata labels. */
  attachNodeMetadata: boolean;
  /** Wait after a failed list or watch before trying again, in milliseconds (default 1s). */
  retryMs: number;
}

/** Defaults: role `pod`, all namespaces, no selectors, retry after a second. */
export function defaultKubernetesOptions(): KubernetesOptions {
  return {
    role: 'pod',
    namespaces: [],
    labelSelector: '',
    fieldSelector: '',
    attachNodeMetadata: false,
    retryMs: 1000,
  };
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
  build: (pod) => buildPodGroup(pod),
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
 * retried after `retryMs`, keeping the last targets. The `endpoints` and `endpointslice` roles
 * also watch the services and pods of their namespaces to attach their labels.
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
  }

  run(signal: AbortSignal, emit: EmitGroups): Promise<void> {
    switch (this.#opts.role) {
      case 'node':
        return this.#run(NODE, signal, emit);
      case 'service':
        return this.#run(SERVICE, signal, emit);
      case 'ingress':
        return this.#run(INGRESS, signal, emit);
      case 'endpoints':
        return this.#runEndpoints(ENDPOINTS, signal, emit);
      case 'endpointslice':
        return this.#runEndpoints(ENDPOINT_SLICE, signal, emit);
      default:
        if (this.#opts.attachNodeMetadata) return this.#runPodsWithNodes(signal, emit);
        return this.#run(POD, signal, emit);
    }
  }

  /** The `labelSelector` / `fieldSelector` query of the role's own collection. */
  #query(): URLSearchParams {
    const { labelSelector, fieldSelector } = this.#opts;
    const query = new URLSearchParams();
    if (labelSelector !== '') query.set('labelSelector', labelSelector);
    if (fieldSelector !== '') query.set('fieldSelector', fieldSelector);
    return query;
  }

  /** The collection paths to watch for `spec`, with the source prefix each one owns. */
  #scopes(spec: Pick<RoleSpec<unknown>, 'api' | 'collection' | 'sourceKind' | 'namespaced'>): Scope[] {
    const { namespaces } = this.#opts;
    return !spec.namespaced || namespaces.length === 0
      ? [{ path: `${spec.api}/${spec.collection}`, prefix: `${spec.sourceKind}/` }]
      : namespaces.map((ns) => ({
          path: `${spec.api}/namespaces/${encodeURIComponent(ns)}/${spec.collection}`,
          prefix: `${spec.sourceKind}/${ns}/`,
        }));
  }

  #watch<T>(
    path: string,
    query: URLSearchParams,
    parse: (v: unknown, p: string) => T,
    h: ResourceWatchHandlers<T>,
  ): ResourceWatch<T> {
    const { retryMs } = this.#opts;
    return new ResourceWatch({ client: this.#client, path, query, parse, retryMs, logger: this.#logger }, h);
  }

  async #run<T>(spec: RoleSpec<T>, signal: AbortSignal, emit: EmitGroups): Promise<void> {
    const query = this.#query();
    const scopes = this.#scopes(spec);
    const tracker = new GroupTracker();
    const report = initialEmitGate(
      emit,
      scopes.map((s) => s.path),
    );
    await Promise.all(
      scopes.map(({ path, prefix }) =>
        this.#watch(path, query, spec.parse, {
          onList: (items) =>
            report(
              tracker.update(
                items.map((i) => spec.build(i)),
                (s) => s.startsWith(prefix),
              ),
              path,
            ),
          onEvent: (item, deleted) => {
            const g = spec.build(item);
            report(tracker.update(deleted ? [] : [g], (s) => s === g.source));
          },
        }).run(signal),
      ),
    );
  }

  /**
   * The pod role with `attach_metadata.node`: pods plus all nodes; any change rebuilds every pod
   * group (O(pods) per event), so a node's new labels reach its pods.
   */
  async #runPodsWithNodes(signal: AbortSignal, emit: EmitGroups): Promise<void> {
    const pods = new Map<string, Map<string, Pod>>();
    const nodes = new Map<string, Map<string, Node>>();
    const tracker = new GroupTracker();
    const rebuild = (): TargetGroup[] => {
      const groups: TargetGroup[] = [];
      for (const m of pods.values()) {
        for (const pod of m.values()) {
          const node = pod.spec.nodeName === '' ? undefined : findIn(nodes, `/${pod.spec.nodeName}`);
          groups.push(buildPodGroup(pod, node));
        }
      }
      return tracker.update(groups);
    };
    const podScopes = this.#scopes(POD);
    const nodePath = '/api/v1/nodes';
    const report = initialEmitGate(emit, [...podScopes.map((s) => s.path), nodePath]);
    await Promise.all([
      ...podScopes.map(({ path }) =>
        this.#watch(path, this.#query(), parsePod, storeHandlers(pods, path, rebuild, report)).run(signal),
      ),
      this.#watch(
        nodePath,
        new URLSearchParams(),
        parseNode,
        storeHandlers(nodes, nodePath, rebuild, report),
      ).run(signal),
    ]);
  }

  /**
   * The endpoints roles watch endpoints or endpoint slices (with the role's selectors), and the
   * services and pods of the same namespaces. Any change rebuilds every endpoints group and emits those that differ: simple and
   * correct when a pod or service behind several endpoints changes, at O(endpoints) per event.
   */
  async #runEndpoints<E extends { metadata: ObjectMeta }>(
    primary: EndpointsRoleSpec<E>,
    signal: AbortSignal,
    emit: EmitGroups,
  ): Promise<void> {
    const endpoints = new Map<string, Map<string, E>>();
    const services = new Map<string, Map<string, Service>>();
    const pods = new Map<string, Map<string, Pod>>();
    const lookups: EndpointsLookups = {
      service: (ns, name) => findIn(services, `${ns}/${name}`),
      pod: (ns, name) => findIn(pods, `${ns}/${name}`),
    };
    const tracker = new GroupTracker();
    const rebuild = (): TargetGroup[] => {
      const groups: TargetGroup[] = [];
      for (const m of endpoints.values())
        for (const ep of m.values()) groups.push(primary.build(ep, lookups));
      return tracker.update(groups);
    };
    const core = { api: '/api/v1', namespaced: true };
    const sets = [
      {
        scopes: this.#scopes({ ...primary, namespaced: true }),
        query: this.#query(),
      },
      {
        scopes: this.#scopes({ ...core, collection: 'services', sourceKind: 'svc' }),
        query: new URLSearchParams(),
      },
      {
        scopes: this.#scopes({ ...core, collection: 'pods', sourceKind: 'pod' }),
        query: new URLSearchParams(),
      },
    ];
    const report = initialEmitGate(
      emit,
      sets.flatMap((x) => x.scopes.map((s) => s.path)),
    );
    const into = <T extends { metadata: ObjectMeta }>(
      store: Map<string, Map<string, T>>,
      path: string,
    ): ResourceWatchHandlers<T> => storeHandlers(store, path, rebuild, report);
    const [e, sv, po] = sets;
    await Promise.all([
      ...e.scopes.map(({ path }) =>
        this.#watch(path, e.query, primary.parse, into(endpoints, path)).run(signal),
      ),
      ...sv.scopes.map(({ path }) =>
        this.#watch(path, sv.query, parseService, into(services, path)).run(signal),
      ),
      ...po.scopes.map(({ path }) => this.#watch(path, po.query, parsePod, into(pods, path)).run(signal)),
    ]);
  }
}

/** The primary collection of the endpoints roles and how its groups are built. */
interface EndpointsRoleSpec<E> {
  api: string;
  collection: string;
  sourceKind: string;
  parse: (v: unknown, path: string) => E;
  build: (item: E, lookups: EndpointsLookups) => TargetGroup;
}

const ENDPOINTS: EndpointsRoleSpec<Endpoints> = {
  api: '/api/v1',
  collection: 'endpoints',
  sourceKind: 'endpoints',
  parse: parseEndpoints,
  build: buildEndpointsGroup,
};

const ENDPOINT_SLICE: EndpointsRoleSpec<EndpointSlice> = {
  api: '/apis/discovery.k8s.io/v1',
  collection: 'endpointslices',
  sourceKind: 'endpointslice',
  parse: parseEndpointSlice,
  build: buildEndpointSliceGroup,
};

/** Finds `key` (`<namespace>/<name>`, empty namespace for cluster objects) in per-path stores. */
function findIn<T>(stores: Map<string, Map<string, T>>, key: string): T | undefined {
  for (const m of stores.values()) {
    const v = m.get(key);
    if (v !== undefined) return v;
  }
  return undefined;
}

/** Handlers that keep `store[path]` in sync and report what `rebuild` finds changed. */
function storeHandlers<T extends { metadata: ObjectMeta }>(
  store: Map<string, Map<string, T>>,
  path: string,
  rebuild: () => TargetGroup[],
  report: (changed: TargetGroup[], listedPath?: string) => void,
): ResourceWatchHandlers<T> {
  const key = (i: T): string => `${i.metadata.namespace}/${i.metadata.name}`;
  return {
    onList: (items) => {
      store.set(path, new Map(items.map((i) => [key(i), i])));
      report(rebuild(), path);
    },
    onEvent: (item, deleted) => {
      const m = store.get(path) ?? new Map<string, T>();
      store.set(path, m);
      if (deleted) m.delete(key(item));
      else m.set(key(item), item);
      report(rebuild());
    },
  };
}

/** A collection path to watch and the prefix of the group sources it owns. */
interface Scope {
  path: string;
  prefix: string;
}

/**
 * Returns a reporter that holds changes back until every path in `paths` has been listed once (so
 * the first emit carries the whole initial state), then passes each non-empty change set to `emit`.
 */
function initialEmitGate(
  emit: EmitGroups,
  paths: readonly string[],
): (changed: TargetGroup[], listedPath?: string) => void {
  const unlisted = new Set(paths);
  const held = new Map<string, TargetGroup>();
  return (changed, listedPath) => {
    if (unlisted.size > 0) {
      for (const g of changed) held.set(g.source, g);
      if (listedPath !== undefined) unlisted.delete(listedPath);
      if (unlisted.size === 0) emit([...held.values()]);
      return;
    }
    if (changed.length > 0) emit(changed);
  };
}
