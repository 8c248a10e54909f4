/** The `ingress` role (networking.k8s.io/v1): one target per host and path of each ingress rule. */
import type { Labels } from '../model/labels.js';
import { LabelsBuilder } from '../model/labels.js';
import type { TargetGroup } from './discoverer.js';
import { ADDRESS_LABEL } from './discoverer.js';
import { arrayField, asObject, asString, objectField, stringField } from './kubernetes-json.js';
import { META_KUBERNETES_NAMESPACE, addObjectLabels } from './kubernetes-meta.js';
import type { ObjectMeta } from './kubernetes-objects.js';
import { parseObjectMeta } from './kubernetes-objects.js';

const P = '__meta_kubernetes_ingress_';

/** An Ingress: its class, TLS hosts and rules (host plus paths). */
export interface Ingress {
  metadata: ObjectMeta;
  spec: { ingressClassName: string; tlsHosts: string[]; rules: { host: string; paths: string[] }[] };
}

/** Decodes an Ingress. Throws a `DiscoveryError` for a malformed object. */
export function parseIngress(v: unknown, path = 'ingress'): Ingress {
  const o = asObject(v, path);
  const spec = objectField(o, 'spec', path);
  const sp = `${path}.spec`;
  return {
    metadata: parseObjectMeta(o, path),
    spec: {
      ingressClassName: stringField(spec, 'ingressClassName', sp),
      tlsHosts: arrayField(spec, 'tls', sp, (x, q) =>
        arrayField(asObject(x, q), 'hosts', q, asString),
      ).flat(),
      rules: arrayField(spec, 'rules', sp, (x, q) => {
        const r = asObject(x, q);
        const http = objectField(r, 'http', q);
        return {
          host: stringField(r, 'host', q),
          paths: arrayField(http, 'paths', `${q}.http`, (p, pq) => stringField(asObject(p, pq), 'path', pq)),
        };
      }),
    },
  };
}

/** The group source of an ingress: `ingress/<namespace>/<name>`, as in Prometheus. */
export function ingressSource(namespace: string, name: string): string {
  return `ingress/${namespace}/${name}`;
}

/** Whether `host` matches a TLS host pattern, where a leading `*.` matches exactly one label. */
function matchesHost(pattern: string, host: string): boolean {
  if (pattern === host) return true;
  if (!pattern.startsWith('*.')) return false;
  const dot = host.indexOf('.');
  return dot > 0 && host.slice(dot) === pattern.slice(1);
}

/**
 * Builds the group of an ingress: per rule and path, the target `<host>` with the scheme (`https`
 * when a TLS entry covers the host) and the path (`/` when none). The class name comes from
 * `spec.ingressClassName`, else the `kubernetes.io/ingress.class` annotation.
 */
export function buildIngressGroup(ing: Ingress): TargetGroup {
  const m = ing.metadata;
  const b = new LabelsBuilder();
  b.set(META_KUBERNETES_NAMESPACE, m.namespace);
  b.set(`${P}name`, m.name);
  addObjectLabels(b, P, m);
  const className = ing.spec.ingressClassName || (m.annotations['kubernetes.io/ingress.class'] ?? '');
  b.set(`${P}class_name`, className);
  const targets: Labels[] = [];
  for (const rule of ing.spec.rules) {
    const scheme = ing.spec.tlsHosts.some((p) => matchesHost(p, rule.host)) ? 'https' : 'http';
    const paths = rule.paths.length === 0 ? ['/'] : rule.paths.map((p) => p || '/');
    for (const path of paths) {
      const t = new LabelsBuilder();
      t.set(ADDRESS_LABEL, rule.host);
      t.set(`${P}scheme`, scheme);
      t.set(`${P}path`, path);
      targets.push(t.labels());
    }
  }
  return { source: ingressSource(m.namespace, m.name), targets, labels: b.labels() };
}
