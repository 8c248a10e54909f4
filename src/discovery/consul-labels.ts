/** The `__meta_consul_*` labels of a Consul service instance, as Prometheus sets them. */
import { Labels } from '../model/labels.js';
import type { TargetGroup } from './discoverer.js';
import { ADDRESS_LABEL } from './discoverer.js';
import type { ConsulServiceEntry } from './consul-api.js';
import { aggregatedStatus } from './consul-api.js';

/** The prefix of every Consul meta label. */
export const META_CONSUL_PREFIX = '__meta_consul_';

/** Replaces every character not allowed in a label name with `_` (Prometheus' SanitizeLabelName). */
export function sanitizeLabelName(name: string): string {
  return name.replace(/[^a-zA-Z0-9_]/g, '_');
}

/** `host:port`, with brackets around an IPv6 host (Go's net.JoinHostPort). */
export function joinHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** The labels of one instance: `__address__` is the service address, else the node address. */
export function consulTargetLabels(e: ConsulServiceEntry, tagSeparator: string): Labels {
  const p = META_CONSUL_PREFIX;
  const host = e.service.address !== '' ? e.service.address : e.node.address;
  const rec: Record<string, string> = {
    [ADDRESS_LABEL]: joinHostPort(host, e.service.port),
    [`${p}address`]: e.node.address,
    [`${p}dc`]: e.node.datacenter,
    [`${p}health`]: aggregatedStatus(e.checks),
    [`${p}namespace`]: e.service.namespace,
    [`${p}partition`]: e.service.partition,
    [`${p}node`]: e.node.node,
    [`${p}service_address`]: e.service.address,
    [`${p}service_id`]: e.service.id,
    [`${p}service_port`]: String(e.service.port),
    // Leading and trailing separators let a regex match one whole tag: `.*,prod,.*`.
    [`${p}tags`]: tagSeparator + e.service.tags.join(tagSeparator) + tagSeparator,
  };
  for (const [k, v] of Object.entries(e.node.meta)) rec[`${p}metadata_${sanitizeLabelName(k)}`] = v;
  for (const [k, v] of Object.entries(e.service.meta)) {
    rec[`${p}service_metadata_${sanitizeLabelName(k)}`] = v;
  }
  for (const [k, v] of Object.entries(e.node.taggedAddresses)) {
    rec[`${p}tagged_address_${sanitizeLabelName(k)}`] = v;
  }
  return Labels.from(rec);
}

/** The group of one service: source and `__meta_consul_service` are the service name. */
export function consulServiceGroup(
  name: string,
  entries: readonly ConsulServiceEntry[],
  tagSeparator: string,
): TargetGroup {
  return {
    source: name,
    targets: entries.map((e) => consulTargetLabels(e, tagSeparator)),
    labels: Labels.from({ [`${META_CONSUL_PREFIX}service`]: name }),
  };
}
