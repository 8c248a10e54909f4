/**
 * Service discovery blocks written back as Prometheus marshals them: each kind under its
 * `*_sd_configs` key after the enclosing struct's own fields, the keys in name order (Prometheus
 * registers them sorted; `static_configs` sorts among them), each block with its defaults. Fields
 * with a non-zero default print even when zero (see `serialize.ts`).
 */
import type { YAMLMap } from 'yaml';
import type {
  ConsulSDConfig,
  DNSSDConfig,
  FileSDConfig,
  HTTPSDConfig,
  KubernetesSDConfig,
  ServiceDiscoveryConfigs,
  StaticConfig,
} from './discovery.js';
import { httpClientFields } from './serialize-http.js';
import type { Field } from './serialize-nodes.js';
import {
  bool,
  dur,
  listOmit,
  num,
  redactedURL,
  secretOmit,
  str,
  stringMapOmit,
  strList,
  strListOmit,
  strOmit,
  struct,
} from './serialize-nodes.js';

/** The `*_sd_configs` fields of `sd`, in Prometheus' order; `show` prints secrets. */
export function discoveryFields(sd: ServiceDiscoveryConfigs, show: boolean): Field[] {
  return [
    ['consul_sd_configs', listOmit(sd.consulSdConfigs, (c) => consul(c, show))],
    ['dns_sd_configs', listOmit(sd.dnsSdConfigs, dns)],
    ['file_sd_configs', listOmit(sd.fileSdConfigs, file)],
    ['http_sd_configs', listOmit(sd.httpSdConfigs, (c) => http(c, show))],
    ['kubernetes_sd_configs', listOmit(sd.kubernetesSdConfigs, (c) => kubernetes(c, show))],
    ['static_configs', listOmit(sd.staticConfigs, staticGroup)],
  ];
}

function staticGroup(g: StaticConfig): YAMLMap {
  return struct([
    ['targets', strList(g.targets)],
    ['labels', stringMapOmit(g.labels)],
  ]);
}

function file(c: FileSDConfig): YAMLMap {
  return struct([
    ['files', strList(c.files)],
    ['refresh_interval', dur(c.refreshInterval)],
  ]);
}

function dns(c: DNSSDConfig): YAMLMap {
  return struct([
    ['names', strList(c.names)],
    ['refresh_interval', dur(c.refreshInterval)],
    ['type', str(c.type)],
    ['port', num(c.port)],
  ]);
}

function http(c: HTTPSDConfig, show: boolean): YAMLMap {
  return struct([
    ...httpClientFields(c.httpClient, show),
    ['refresh_interval', dur(c.refreshInterval)],
    ['url', str(c.url)],
  ]);
}

function consul(c: ConsulSDConfig, show: boolean): YAMLMap {
  return struct([
    ['server', str(c.server)],
    ['path_prefix', strOmit(c.pathPrefix)],
    ['token', secretOmit(c.token, show)],
    ['datacenter', strOmit(c.datacenter)],
    ['namespace', strOmit(c.namespace)],
    ['partition', strOmit(c.partition)],
    ['tag_separator', str(c.tagSeparator)],
    ['scheme', str(c.scheme)],
    ['username', strOmit(c.username)],
    ['password', secretOmit(c.password, show)],
    ['allow_stale', bool(c.allowStale)],
    ['refresh_interval', dur(c.refreshInterval)],
    ['services', strListOmit(c.services)],
    ['tags', strListOmit(c.tags)],
    ['node_meta', stringMapOmit(c.nodeMeta)],
    ['filter', strOmit(c.filter)],
    ['health_filter', strOmit(c.healthFilter)],
    ...httpClientFields(c.httpClient, show),
  ]);
}

function kubernetes(c: KubernetesSDConfig, show: boolean): YAMLMap {
  const ns = c.namespaces;
  const meta = c.attachMetadata;
  const anyMeta = meta.node || meta.namespace || meta.deployment || meta.job || meta.cronjob;
  return struct([
    ['api_server', c.apiServer === '' ? undefined : redactedURL(c.apiServer, show)],
    ['role', str(c.role)],
    ['kubeconfig_file', str(c.kubeconfigFile)],
    ...httpClientFields(c.httpClient, show),
    [
      'namespaces',
      ns.ownNamespace || ns.names.length > 0
        ? struct([
            ['own_namespace', bool(ns.ownNamespace)],
            ['names', strList(ns.names)],
          ])
        : undefined,
    ],
    [
      'selectors',
      listOmit(c.selectors, (s) =>
        struct([
          ['role', strOmit(s.role)],
          ['label', strOmit(s.label)],
          ['field', strOmit(s.field)],
        ]),
      ),
    ],
    [
      'attach_metadata',
      anyMeta
        ? struct([
            ['node', bool(meta.node)],
            ['namespace', bool(meta.namespace)],
            ['deployment', bool(meta.deployment)],
            ['job', bool(meta.job)],
            ['cronjob', bool(meta.cronjob)],
          ])
        : undefined,
    ],
  ]);
}
