/**
 * The `endpoints` role: per endpoint address and port one target, with the labels of the backing
 * pod and service, plus the backing pods' container ports that no endpoint port covers.
 */
import type { Labels } from '../model/labels.js';
import { LabelsBuilder } from '../model/labels.js';
import type { TargetGroup } from './discoverer.js';
import { ADDRESS_LABEL } from './discoverer.js';
import { arrayField, asObject, intField, objectField, stringField } from './kubernetes-json.js';
import { META_KUBERNETES_NAMESPACE, addObjectLabels, joinHostPort } from './kubernetes-meta.js';
import type { ObjectMeta, Pod, Service } from './kubernetes-objects.js';
import { parseObjectMeta } from './kubernetes-objects.js';
import { containerLabels, podLabels } from './kubernetes-pod.js';
import { serviceLabels } from './kubernetes-service.js';

/** An endpoint address; `targetKind`/`targetName` come from its `targetRef`. */
export interface EndpointAddress {
  ip: string;
  hostname: string;
  nodeName: string;
  targetKind: string;
  targetName: string;
}

/** An Endpoints object. */
export interface Endpoints {
  metadata: ObjectMeta;
  subsets: {
    addresses: EndpointAddress[];
    notReadyAddresses: EndpointAddress[];
    ports: { name: string; port: number; protocol: string }[];
  }[];
}

/** Looks up the objects an endpoints group draws labels from. */
export interface EndpointsLookups {
  service(namespace: string, name: string): Service | undefined;
  pod(namespace: string, name: string): Pod | undefined;
}

function parseAddress(v: unknown, path: string): EndpointAddress {
  const a = asObject(v, path);
  const ref = objectField(a, 'targetRef', path);
  return {
    ip: stringField(a, 'ip', path),
    hostname: stringField(a, 'hostname', path),
    nodeName: stringField(a, 'nodeName', path),
    targetKind: stringField(ref, 'kind', `${path}.targetRef`),
    targetName: stringField(ref, 'name', `${path}.targetRef`),
  };
}

/** Decodes an Endpoints object. Throws a `DiscoveryError` for a malformed object. */
export function parseEndpoints(v: unknown, path = 'endpoints'): Endpoints {
  const o = asObject(v, path);
  return {
    metadata: parseObjectMeta(o, path),
    subsets: arrayField(o, 'subsets', path, (x, q) => {
      const s = asObject(x, q);
      return {
        addresses: arrayField(s, 'addresses', q, parseAddress),
        notReadyAddresses: arrayField(s, 'notReadyAddresses', q, parseAddress),
        ports: arrayField(s, 'ports', q, (p, pq) => {
          const port = asObject(p, pq);
          return {
            name: stringField(port, 'name', pq),
            port: intField(port, 'port', pq),
            protocol: stringField(port, 'protocol', pq) || 'TCP',
          };
        }),
      };
    }),
  };
}

/** The group source of an endpoints object: `endpoints/<namespace>/<name>`. */
export function endpointsSource(namespace: string, name: string): string {
  return `endpoints/${namespace}/${name}`;
}

/** Copies every label of `from` into `to`. */
export function copyInto(to: LabelsBuilder, from: LabelsBuilder): void {
  from.forEach((n, v) => to.set(n, v));
}

/**
 * Builds the group of an endpoints object. Group labels: namespace, name, labels and annotations,
 * and the labels of the service of the same name when known. Targets backed by a known pod carry
 * the pod's labels and, when a container declares the endpoint's port, that container's labels.
 */
export function buildEndpointsGroup(ep: Endpoints, lookups: EndpointsLookups): TargetGroup {
  const { namespace, name } = ep.metadata;
  const P = '__meta_kubernetes_endpoint_';
  const g = new LabelsBuilder();
  g.set(META_KUBERNETES_NAMESPACE, namespace);
  g.set('__meta_kubernetes_endpoints_name', name);
  addObjectLabels(g, '__meta_kubernetes_endpoints_', ep.metadata);
  const svc = lookups.service(namespace, name);
  if (svc !== undefined) copyInto(g, serviceLabels(svc));

  const targets: Labels[] = [];
  /** Pods seen behind an address, with the container ports already covered by an endpoint port. */
  const pods = new Map<string, BackingPod>();
  for (const subset of ep.subsets) {
    const all = [
      ...subset.addresses.map((a) => ({ a, ready: true })),
      ...subset.notReadyAddresses.map((a) => ({ a, ready: false })),
    ];
    for (const { a, ready } of all) {
      const pod = a.targetKind === 'Pod' ? lookups.pod(namespace, a.targetName) : undefined;
      let seen = pod === undefined ? undefined : pods.get(a.targetName);
      if (pod !== undefined && seen === undefined) pods.set(a.targetName, (seen = { pod, used: new Set() }));
      for (const port of subset.ports) {
        const b = new LabelsBuilder();
        b.set(ADDRESS_LABEL, joinHostPort(a.ip, port.port));
        b.set(`${P}port_name`, port.name);
        b.set(`${P}port_protocol`, port.protocol);
        b.set(`${P}ready`, String(ready));
        b.set(`${P}hostname`, a.hostname);
        b.set(`${P}node_name`, a.nodeName);
        b.set(`${P}address_target_kind`, a.targetKind);
        b.set(`${P}address_target_name`, a.targetName);
        if (pod !== undefined && seen !== undefined) addBackingPodLabels(b, seen, port.port, port.protocol);
        targets.push(b.labels());
      }
    }
  }
  targets.push(...unlistedPodTargets(pods.values()));
  return { source: endpointsSource(namespace, name), targets, labels: g.labels() };
}

/** A pod behind endpoint addresses and the container ports (`name/port/protocol`) already targeted. */
export interface BackingPod {
  pod: Pod;
  used: Set<string>;
}

/**
 * Adds the pod's labels to an endpoint target and, when a container declares `port`/`protocol`, that
 * container's labels, marking the port as used.
 */
export function addBackingPodLabels(
  b: LabelsBuilder,
  seen: BackingPod,
  port: number,
  protocol: string,
): void {
  const { pod } = seen;
  copyInto(b, podLabels(pod));
  const match = findContainerPort(pod, port, protocol);
  if (match !== undefined) {
    copyInto(b, containerLabels(pod, match.c, match.init, match.p));
    seen.used.add(`${match.c.name}/${match.p.containerPort}/${match.p.protocol}`);
  }
}

/** Targets `<podIP>:<port>` for the backing pods' container ports that no endpoint port covered. */
export function unlistedPodTargets(pods: Iterable<BackingPod>): Labels[] {
  const targets: Labels[] = [];
  for (const { pod, used } of pods) {
    if (pod.status.podIP === '') continue;
    const each = (cs: Pod['spec']['containers'], init: boolean): void => {
      for (const c of cs) {
        for (const p of c.ports) {
          if (used.has(`${c.name}/${p.containerPort}/${p.protocol}`)) continue;
          const b = podLabels(pod);
          copyInto(b, containerLabels(pod, c, init, p));
          b.set(ADDRESS_LABEL, joinHostPort(pod.status.podIP, p.containerPort));
          targets.push(b.labels());
        }
      }
    };
    each(pod.spec.containers, false);
    each(pod.spec.initContainers, true);
  }
  return targets;
}

function findContainerPort(
  pod: Pod,
  port: number,
  protocol: string,
):
  | {
      c: Pod['spec']['containers'][number];
      p: Pod['spec']['containers'][number]['ports'][number];
      init: boolean;
    }
  | undefined {
  for (const [cs, init] of [
    [pod.spec.containers, false],
    [pod.spec.initContainers, true],
  ] as const) {
    for (const c of cs) {
      const p = c.ports.find((x) => x.containerPort === port && x.protocol === protocol);
      if (p !== undefined) return { c, p, init };
    }
  }
  return undefined;
}
