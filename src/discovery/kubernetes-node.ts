/** The `node` role: one target per node, at its preferred address and kubelet port. */
import { Labels, LabelsBuilder } from '../model/labels.js';
import type { TargetGroup } from './discoverer.js';
import { ADDRESS_LABEL } from './discoverer.js';
import { addObjectLabels, joinHostPort, sanitizeLabelName } from './kubernetes-meta.js';
import type { Node } from './kubernetes-objects.js';

const P = '__meta_kubernetes_node_';

/** Address types in the order Prometheus prefers them for `__address__`. */
export const NODE_ADDRESS_PREFERENCE = [
  'InternalIP',
  'InternalDNS',
  'ExternalIP',
  'ExternalDNS',
  'LegacyHostIP',
  'Hostname',
] as const;

/** The group source of a node: `node/<name>`. */
export function nodeSource(name: string): string {
  return `node/${name}`;
}

/** The node's preferred address, or `undefined` when it has none of the known types. */
export function nodeAddress(node: Node): string | undefined {
  for (const type of NODE_ADDRESS_PREFERENCE) {
    const a = node.status.addresses.find((x) => x.type === type);
    if (a !== undefined) return a.address;
  }
  return undefined;
}

/**
 * Builds the group of a node: one target `<address>:<kubelet port>` with `instance` set to the node
 * name; a node with no usable address has no targets.
 */
export function buildNodeGroup(node: Node): TargetGroup {
  const m = node.metadata;
  const source = nodeSource(m.name);
  const address = nodeAddress(node);
  if (address === undefined) return { source, targets: [], labels: Labels.EMPTY };
  const b = new LabelsBuilder();
  b.set(`${P}name`, m.name);
  b.set(`${P}provider_id`, node.spec.providerID);
  addObjectLabels(b, P, m);
  for (const a of node.status.addresses) {
    const name = `${P}address_${sanitizeLabelName(a.type)}`;
    if (!b.has(name)) b.set(name, a.address); // The first address of each type.
  }
  for (const c of node.status.conditions) {
    b.set(`${P}condition_${sanitizeLabelName(c.type.toLowerCase())}`, c.status.toLowerCase());
  }
  const target = Labels.from({
    [ADDRESS_LABEL]: joinHostPort(address, node.status.kubeletPort),
    instance: m.name,
  });
  return { source, targets: [target], labels: b.labels() };
}
