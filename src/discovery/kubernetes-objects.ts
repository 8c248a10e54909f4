/**
 * The parts of Kubernetes API objects that discovery reads (Pod, Node, Service from `v1`), decoded
 * from untrusted JSON. Absent optional fields become empty values, as in the Go client.
 */
import type { JsonObject } from './kubernetes-json.js';
import {
  arrayField,
  asObject,
  boolField,
  intField,
  objectField,
  stringField,
  stringMapField,
} from './kubernetes-json.js';

/** An owner reference; `controller` marks the managing controller. */
export interface OwnerReference {
  kind: string;
  name: string;
  controller: boolean;
}

/** `metadata` of any object. */
export interface ObjectMeta {
  name: string;
  namespace: string;
  uid: string;
  resourceVersion: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  ownerReferences: OwnerReference[];
}

/** A container port. */
export interface ContainerPort {
  name: string;
  containerPort: number;
  protocol: string;
}

/** A container of a pod spec. */
export interface Container {
  name: string;
  image: string;
  ports: ContainerPort[];
}

/** A Pod. `ready` is the status of its `Ready` condition in lower case, `unknown` when absent. */
export interface Pod {
  metadata: ObjectMeta;
  spec: { nodeName: string; containers: Container[]; initContainers: Container[] };
  status: {
    phase: string;
    podIP: string;
    hostIP: string;
    ready: string;
    /** Container name → container ID (`<runtime>://<id>`), from regular and init statuses. */
    containerIDs: Map<string, string>;
  };
}

/** A Node. */
export interface Node {
  metadata: ObjectMeta;
  spec: { providerID: string };
  status: {
    addresses: { type: string; address: string }[];
    conditions: { type: string; status: string }[];
    kubeletPort: number;
  };
}

/** A service port. */
export interface ServicePort {
  name: string;
  port: number;
  protocol: string;
}

/** A Service. */
export interface Service {
  metadata: ObjectMeta;
  spec: {
    type: string;
    clusterIP: string;
    externalName: string;
    loadBalancerIP: string;
    ports: ServicePort[];
  };
  status: { loadBalancerIngress: { ip: string; hostname: string }[] };
}

/** Decodes `metadata`. */
export function parseObjectMeta(o: JsonObject, path: string): ObjectMeta {
  const m = objectField(o, 'metadata', path);
  const p = `${path}.metadata`;
  return {
    name: stringField(m, 'name', p),
    namespace: stringField(m, 'namespace', p),
    uid: stringField(m, 'uid', p),
    resourceVersion: stringField(m, 'resourceVersion', p),
    labels: stringMapField(m, 'labels', p),
    annotations: stringMapField(m, 'annotations', p),
    ownerReferences: arrayField(m, 'ownerReferences', p, (v, q) => {
      const r = asObject(v, q);
      return {
        kind: stringField(r, 'kind', q),
        name: stringField(r, 'name', q),
        controller: boolField(r, 'controller', q) === true,
      };
    }),
  };
}

function parseContainer(v: unknown, path: string): Container {
  const c = asObject(v, path);
  return {
    name: stringField(c, 'name', path),
    image: stringField(c, 'image', path),
    ports: arrayField(c, 'ports', path, (x, q) => {
      const p = asObject(x, q);
      return {
        name: stringField(p, 'name', q),
        containerPort: intField(p, 'containerPort', q),
        // The API defaults the protocol to TCP; recorded objects always carry it, but be lenient.
        protocol: stringField(p, 'protocol', q) || 'TCP',
      };
    }),
  };
}

function parseConditions(o: JsonObject, path: string): { type: string; status: string }[] {
  return arrayField(o, 'conditions', path, (v, q) => {
    const c = asObject(v, q);
    return { type: stringField(c, 'type', q), status: stringField(c, 'status', q) };
  });
}

/** Decodes a Pod. Throws a `DiscoveryError` for a malformed object. */
export function parsePod(v: unknown, path = 'pod'): Pod {
  const o = asObject(v, path);
  const spec = objectField(o, 'spec', path);
  const status = objectField(o, 'status', path);
  const sp = `${path}.status`;
  const containerIDs = new Map<string, string>();
  for (const key of ['initContainerStatuses', 'containerStatuses']) {
    for (const s of arrayField(status, key, sp, asObject)) {
      containerIDs.set(stringField(s, 'name', sp), stringField(s, 'containerID', sp));
    }
  }
  const ready = parseConditions(status, sp).find((c) => c.type === 'Ready');
  return {
    metadata: parseObjectMeta(o, path),
    spec: {
      nodeName: stringField(spec, 'nodeName', `${path}.spec`),
      containers: arrayField(spec, 'containers', `${path}.spec`, parseContainer),
      initContainers: arrayField(spec, 'initContainers', `${path}.spec`, parseContainer),
    },
    status: {
      phase: stringField(status, 'phase', sp),
      podIP: stringField(status, 'podIP', sp),
      hostIP: stringField(status, 'hostIP', sp),
      ready: ready === undefined ? 'unknown' : ready.status.toLowerCase(),
      containerIDs,
    },
  };
}

/** Decodes a Node. Throws a `DiscoveryError` for a malformed object. */
export function parseNode(v: unknown, path = 'node'): Node {
  const o = asObject(v, path);
  const status = objectField(o, 'status', path);
  const sp = `${path}.status`;
  const kubelet = objectField(objectField(status, 'daemonEndpoints', sp), 'kubeletEndpoint', sp);
  return {
    metadata: parseObjectMeta(o, path),
    spec: { providerID: stringField(objectField(o, 'spec', path), 'providerID', `${path}.spec`) },
    status: {
      addresses: arrayField(status, 'addresses', sp, (x, q) => {
        const a = asObject(x, q);
        return { type: stringField(a, 'type', q), address: stringField(a, 'address', q) };
      }),
      conditions: parseConditions(status, sp),
      kubeletPort: intField(kubelet, 'Port', `${sp}.daemonEndpoints.kubeletEndpoint`),
    },
  };
}

/** Decodes a Service. Throws a `DiscoveryError` for a malformed object. */
export function parseService(v: unknown, path = 'service'): Service {
  const o = asObject(v, path);
  const spec = objectField(o, 'spec', path);
  const p = `${path}.spec`;
  const lb = objectField(objectField(o, 'status', path), 'loadBalancer', `${path}.status`);
  return {
    metadata: parseObjectMeta(o, path),
    spec: {
      type: stringField(spec, 'type', p) || 'ClusterIP',
      clusterIP: stringField(spec, 'clusterIP', p),
      externalName: stringField(spec, 'externalName', p),
      loadBalancerIP: stringField(spec, 'loadBalancerIP', p),
      ports: arrayField(spec, 'ports', p, (x, q) => {
        const sp = asObject(x, q);
        return {
          name: stringField(sp, 'name', q),
          port: intField(sp, 'port', q),
          protocol: stringField(sp, 'protocol', q) || 'TCP',
        };
      }),
    },
    status: {
      loadBalancerIngress: arrayField(lb, 'ingress', `${path}.status.loadBalancer`, (x, q) => {
        const i = asObject(x, q);
        return { ip: stringField(i, 'ip', q), hostname: stringField(i, 'hostname', q) };
      }),
    },
  };
}
