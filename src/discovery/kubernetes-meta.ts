/** Helpers shared by the Kubernetes roles to build `__meta_kubernetes_*` labels. */
import type { LabelsBuilder } from '../model/labels.js';
import type { ObjectMeta } from './kubernetes-objects.js';

/** The prefix of every Kubernetes meta label. */
export const META_KUBERNETES = '__meta_kubernetes_';

/** `__meta_kubernetes_namespace`. */
export const META_KUBERNETES_NAMESPACE = '__meta_kubernetes_namespace';

/** Replaces every character not allowed in a label name with `_`, as Prometheus' SanitizeLabelName. */
export function sanitizeLabelName(name: string): string {
  return name.replace(/[^a-zA-Z0-9_]/g, '_');
}

/**
 * Adds `<prefix>label_<name>`, `<prefix>labelpresent_<name>`, `<prefix>annotation_<name>` and
 * `<prefix>annotationpresent_<name>` for the object's labels and annotations. `prefix` is for
 * example `__meta_kubernetes_pod_`.
 */
export function addObjectLabels(b: LabelsBuilder, prefix: string, meta: ObjectMeta): void {
  for (const [k, v] of Object.entries(meta.labels)) {
    const name = sanitizeLabelName(k);
    b.set(`${prefix}label_${name}`, v);
    b.set(`${prefix}labelpresent_${name}`, 'true');
  }
  for (const [k, v] of Object.entries(meta.annotations)) {
    const name = sanitizeLabelName(k);
    b.set(`${prefix}annotation_${name}`, v);
    b.set(`${prefix}annotationpresent_${name}`, 'true');
  }
}

/** `host:port`, with an IPv6 host in brackets (Go's net.JoinHostPort). */
export function joinHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
