/**
 * The `endpointslice` role (discovery.k8s.io/v1): per endpoint and port one target at the
 * endpoint's first address, with the labels of the backing pod and of the slice's service, plus
 * the backing pods' container ports that no slice port covers.
 */
import type { Labels } from '../model/labels.js';
import { LabelsBuilder } from '../model/labels.js';
import type { TargetGroup } from './discoverer.js';
import { ADDRESS_LABEL } from './discoverer.js';
import type { BackingPod, EndpointsLookups } from './kubernetes-endpoints.js';
import { addBackingPodLabels, copyInto, unlistedPodTargets } from './kubernetes-endpoints.js';
import {
  arrayField,
  asObject,
  asString,
  boolField,
  intField,
  objectField,
  stringField,
  stringMapField,
} from './kubernetes-json.js';
import {
  META_KUBERNETES_NAMESPACE,
  addObjectLabels,
  joinHostPort,
  sanitizeLabelName,
} from './kubernetes-meta.js';
import type { ObjectMeta } from './kubernetes-objects.js';
import { parseObjectMeta } from './kubernetes-objects.js';
import { serviceLabels } from './kubernetes-service.js';

const P = '__meta_kubernetes_endpointslice_';

/** The label naming the service an EndpointSlice belongs to. */
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

/** One endpoint of a slice; conditions are `undefined` when the API left them unset. */
export interface SliceEndpoint {
  addresses: string[];
  ready: boolean | undefined;
  serving: boolean | undefined;
  terminating: boolean | undefined;
  hostname: string;
  nodeName: string;
  zone: string;
  deprecatedTopology: Record<string, string>;
  targetKind: string;
  targetName: string;
}

/** An EndpointSlice. */
export interface EndpointSlice {
  metadata: ObjectMeta;
  addressType: string;
  endpoints: SliceEndpoint[];
  ports: { name: string; port: number; protocol: string; appProtocol: string }[];
}

/** Decodes an EndpointSlice. Throws a `DiscoveryError` for a malformed object. */
export function parseEndpointSlice(v: unknown, path = 'endpointslice'): EndpointSlice {
  const o = asObject(v, path);
  return {
    metadata: parseObjectMeta(o, path),
    addressType: stringField(o, 'addressType', path),
    endpoints: arrayField(o, 'endpoints', path, (x, q) => {
      const e = asObject(x, q);
      const c = objectField(e, 'conditions', q);
      const ref = objectField(e, 'targetRef', q);
      return {
        addresses: arrayField(e, 'addresses', q, asString),
        ready: boolField(c, 'ready', `${q}.conditions`),
        serving: boolField(c, 'serving', `${q}.conditions`),
        terminating: boolField(c, 'terminating', `${q}.conditions`),
        hostname: stringField(e, 'hostname', q),
        nodeName: stringField(e, 'nodeName', q),
        zone: stringField(e, 'zone', q),
        deprecatedTopology: stringMapField(e, 'deprecatedTopology', q),
        targetKind: stringField(ref, 'kind', `${q}.targetRef`),
        targetName: stringField(ref, 'name', `${q}.targetRef`),
      };
    }),
    ports: arrayField(o, 'ports', path, (x, q) => {
      const p = asObject(x, q);
      return {
        name: stringField(p, 'name', q),
        port: intField(p, 'port', q),
        protocol: stringField(p, 'protocol', q) || 'TCP',
        appProtocol: stringField(p, 'appProtocol', q),
      };
    }),
  };
}

/** The group source of an EndpointSlice: `endpointslice/<namespace>/<name>`. */
export function endpointSliceSource(namespace: string, name: string): string {
  return `endpointslice/${namespace}/${name}`;
}

/** Builds the group of an EndpointSlice (see the module comment). */
export function buildEndpointSliceGroup(slice: EndpointSlice, lookups: EndpointsLookups): TargetGroup {
  const { namespace, name } = slice.metadata;
  const g = new LabelsBuilder();
  g.set(META_KUBERNETES_NAMESPACE, namespace);
  g.set(`${P}name`, name);
  addObjectLabels(g, P, slice.metadata);
  const svcName = slice.metadata.labels[SERVICE_NAME_LABEL];
  const svc = svcName === undefined ? undefined : lookups.service(namespace, svcName);
  if (svc !== undefined) copyInto(g, serviceLabels(svc));

  const targets: Labels[] = [];
  const pods = new Map<string, BackingPod>();
  for (const ep of slice.endpoints) {
    const address = ep.addresses[0];
    if (address === undefined) continue;
    const pod = ep.targetKind === 'Pod' ? lookups.pod(namespace, ep.targetName) : undefined;
    let seen = pod === undefined ? undefined : pods.get(ep.targetName);
    if (pod !== undefined && seen === undefined) pods.set(ep.targetName, (seen = { pod, used: new Set() }));
    for (const port of slice.ports) {
      const b = new LabelsBuilder();
      b.set(ADDRESS_LABEL, joinHostPort(address, port.port));
      b.set(`${P}port`, String(port.port));
      b.set(`${P}port_name`, port.name);
      b.set(`${P}port_protocol`, port.protocol);
      b.set(`${P}port_app_protocol`, port.appProtocol);
      b.set(`${P}address_type`, slice.addressType);
      if (ep.ready !== undefined) b.set(`${P}endpoint_conditions_ready`, String(ep.ready));
      if (ep.serving !== undefined) b.set(`${P}endpoint_conditions_serving`, String(ep.serving));
      if (ep.terminating !== undefined) b.set(`${P}endpoint_conditions_terminating`, String(ep.terminating));
      b.set(`${P}endpoint_hostname`, ep.hostname);
      b.set(`${P}endpoint_node_name`, ep.nodeName);
      b.set(`${P}endpoint_zone`, ep.zone);
      for (const [k, v] of Object.entries(ep.deprecatedTopology)) {
        const n = sanitizeLabelName(k);
        b.set(`${P}endpoint_topology_${n}`, v);
        b.set(`${P}endpoint_topology_present_${n}`, 'true');
      }
      b.set(`${P}address_target_kind`, ep.targetKind);
      b.set(`${P}address_target_name`, ep.targetName);
      if (seen !== undefined) addBackingPodLabels(b, seen, port.port, port.protocol);
      targets.push(b.labels());
    }
  }
  targets.push(...unlistedPodTargets(pods.values()));
  return { source: endpointSliceSource(namespace, name), targets, labels: g.labels() };
}
