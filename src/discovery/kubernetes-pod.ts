/** The `pod` role: one target per declared container port, or per container without ports. */
import { Labels, LabelsBuilder } from '../model/labels.js';
import type { TargetGroup } from './discoverer.js';
import { ADDRESS_LABEL } from './discoverer.js';
import { META_KUBERNETES_NAMESPACE, addObjectLabels, joinHostPort } from './kubernetes-meta.js';
import type { Container, Node, Pod } from './kubernetes-objects.js';

const P = '__meta_kubernetes_pod_';

/** The group source of a pod: `pod/<namespace>/<name>`, as in Prometheus. */
export function podSource(namespace: string, name: string): string {
  return `pod/${namespace}/${name}`;
}

/** The labels every target of the pod shares. */
export function podLabels(pod: Pod): LabelsBuilder {
  const { metadata: m, spec, status } = pod;
  const b = new LabelsBuilder();
  b.set(META_KUBERNETES_NAMESPACE, m.namespace);
  b.set(`${P}name`, m.name);
  b.set(`${P}ip`, status.podIP);
  b.set(`${P}ready`, status.ready);
  b.set(`${P}phase`, status.phase);
  b.set(`${P}node_name`, spec.nodeName);
  b.set(`${P}host_ip`, status.hostIP);
  b.set(`${P}uid`, m.uid);
  addObjectLabels(b, P, m);
  const controller = m.ownerReferences.find((r) => r.controller);
  if (controller !== undefined) {
    b.set(`${P}controller_kind`, controller.kind);
    b.set(`${P}controller_name`, controller.name);
  }
  return b;
}

/**
 * The labels of one container target without `__address__`: name, ID, image, init flag and, when
 * `port` is given, the port's name, number and protocol.
 */
export function containerLabels(
  pod: Pod,
  c: Container,
  init: boolean,
  port?: Container['ports'][number],
): LabelsBuilder {
  const b = new LabelsBuilder();
  b.set(`${P}container_name`, c.name);
  b.set(`${P}container_id`, pod.status.containerIDs.get(c.name) ?? '');
  b.set(`${P}container_image`, c.image);
  b.set(`${P}container_init`, String(init));
  if (port !== undefined) {
    b.set(`${P}container_port_name`, port.name);
    b.set(`${P}container_port_number`, String(port.containerPort));
    b.set(`${P}container_port_protocol`, port.protocol);
  }
  return b;
}

/**
 * Builds the group of a pod. A pod without an IP (not yet scheduled) has no targets. Each container
 * port gives the target `<podIP>:<port>`; a container with no ports gives one target `<podIP>`.
 * With `node` (`attach_metadata.node`), the node's name, labels and annotations are added as
 * `__meta_kubernetes_node_*` group labels.
 */
export function buildPodGroup(pod: Pod, node?: Node): TargetGroup {
  const source = podSource(pod.metadata.namespace, pod.metadata.name);
  const ip = pod.status.podIP;
  if (ip === '') return { source, targets: [], labels: Labels.EMPTY };
  const targets: Labels[] = [];
  const add = (c: Container, init: boolean): void => {
    if (c.ports.length === 0) {
      targets.push(containerLabels(pod, c, init).set(ADDRESS_LABEL, ip).labels());
      return;
    }
    for (const port of c.ports) {
      const b = containerLabels(pod, c, init, port);
      targets.push(b.set(ADDRESS_LABEL, joinHostPort(ip, port.containerPort)).labels());
    }
  };
  for (const c of pod.spec.containers) add(c, false);
  for (const c of pod.spec.initContainers) add(c, true);
  const labels = podLabels(pod);
  if (node !== undefined) {
    labels.set('__meta_kubernetes_node_name', node.metadata.name);
    addObjectLabels(labels, '__meta_kubernetes_node_', node.metadata);
  }
  return { source, targets, labels: labels.labels() };
}
