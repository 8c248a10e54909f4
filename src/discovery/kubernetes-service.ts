/** The `service` role: one target per service port, at the service's cluster DNS name. */
import type { Labels } from '../model/labels.js';
import { LabelsBuilder } from '../model/labels.js';
import type { TargetGroup } from './discoverer.js';
import { ADDRESS_LABEL } from './discoverer.js';
import { META_KUBERNETES_NAMESPACE, addObjectLabels } from './kubernetes-meta.js';
import type { Service } from './kubernetes-objects.js';

const P = '__meta_kubernetes_service_';

/** The group source of a service: `svc/<namespace>/<name>`, as in Prometheus. */
export function serviceSource(namespace: string, name: string): string {
  return `svc/${namespace}/${name}`;
}

/** The labels of a service shared by all its targets (also attached by the endpoints roles). */
export function serviceLabels(svc: Service): LabelsBuilder {
  const b = new LabelsBuilder();
  b.set(META_KUBERNETES_NAMESPACE, svc.metadata.namespace);
  b.set(`${P}name`, svc.metadata.name);
  addObjectLabels(b, P, svc.metadata);
  return b;
}

/** The load balancer addresses: `status.loadBalancer.ingress` joined by commas, else `spec.loadBalancerIP`. */
function loadBalancerIP(svc: Service): string {
  const ips = svc.status.loadBalancerIngress.map((i) => i.ip || i.hostname).filter((s) => s !== '');
  return ips.length > 0 ? ips.join(',') : svc.spec.loadBalancerIP;
}

/**
 * Builds the group of a service: per port, the target `<name>.<namespace>.svc:<port>` with the
 * port's name, number and protocol, the service type, and the cluster IP (or, for `ExternalName`
 * services, the external name) and for `LoadBalancer` services the load balancer IP.
 */
export function buildServiceGroup(svc: Service): TargetGroup {
  const { name, namespace } = svc.metadata;
  const targets: Labels[] = [];
  for (const port of svc.spec.ports) {
    const b = new LabelsBuilder();
    b.set(ADDRESS_LABEL, `${name}.${namespace}.svc:${port.port}`);
    b.set(`${P}port_name`, port.name);
    b.set(`${P}port_number`, String(port.port));
    b.set(`${P}port_protocol`, port.protocol);
    b.set(`${P}type`, svc.spec.type);
    if (svc.spec.type === 'ExternalName') b.set(`${P}external_name`, svc.spec.externalName);
    else b.set(`${P}cluster_ip`, svc.spec.clusterIP);
    if (svc.spec.type === 'LoadBalancer') b.set(`${P}loadbalancer_ip`, loadBalancerIP(svc));
    targets.push(b.labels());
  }
  return { source: serviceSource(namespace, name), targets, labels: serviceLabels(svc).labels() };
}
