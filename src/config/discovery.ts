/**
 * Service discovery blocks of a scrape or alertmanager config: static, file, DNS, HTTP, Consul and
 * Kubernetes, with their documented fields and defaults.
 */
import type { Decoder, YamlNode } from './decoder.js';
import { defaultHTTPClientConfig, httpClientFields, validateHTTPClientConfig } from './http-client.js';
import type { HTTPClientConfig } from './http-client.js';

/** A `static_config`: fixed targets with common labels. */
export interface StaticConfig {
  targets: string[];
  labels: Record<string, string>;
}

/** A `file_sd_config`. */
export interface FileSDConfig {
  files: string[];
  refreshInterval: number;
}

/** A `dns_sd_config`. */
export interface DNSSDConfig {
  names: string[];
  type: 'SRV' | 'A' | 'AAAA' | 'MX' | 'NS';
  port: number;
  refreshInterval: number;
}

/** An `http_sd_config`. */
export interface HTTPSDConfig {
  url: string;
  refreshInterval: number;
  httpClient: HTTPClientConfig;
}

/** A `consul_sd_config`. */
export interface ConsulSDConfig {
  server: string;
  pathPrefix: string;
  token: string;
  datacenter: string;
  namespace: string;
  partition: string;
  scheme: string;
  username: string;
  password: string;
  services: string[];
  filter: string;
  healthFilter: string;
  tags: string[];
  nodeMeta: Record<string, string>;
  tagSeparator: string;
  allowStale: boolean;
  refreshInterval: number;
  httpClient: HTTPClientConfig;
}

/** The roles Kubernetes discovery knows. */
export const KUBERNETES_ROLES = ['pod', 'service', 'endpoints', 'endpointslice', 'node', 'ingress'] as const;

/** One of `KUBERNETES_ROLES`. */
export type KubernetesRole = (typeof KUBERNETES_ROLES)[number];

/** A `kubernetes_sd_config`. */
export interface KubernetesSDConfig {
  apiServer: string;
  role: KubernetesRole;
  kubeconfigFile: string;
  namespaces: { ownNamespace: boolean; names: string[] };
  selectors: { role: KubernetesRole; label: string; field: string }[];
  attachMetadata: { node: boolean; namespace: boolean; deployment: boolean; job: boolean; cronjob: boolean };
  httpClient: HTTPClientConfig;
}

/** Every discovery block of one scrape or alertmanager config. */
export interface ServiceDiscoveryConfigs {
  staticConfigs: StaticConfig[];
  fileSdConfigs: FileSDConfig[];
  dnsSdConfigs: DNSSDConfig[];
  httpSdConfigs: HTTPSDConfig[];
  consulSdConfigs: ConsulSDConfig[];
  kubernetesSdConfigs: KubernetesSDConfig[];
}

/** No discovery at all. */
export function emptyServiceDiscoveryConfigs(): ServiceDiscoveryConfigs {
  return {
    staticConfigs: [],
    fileSdConfigs: [],
    dnsSdConfigs: [],
    httpSdConfigs: [],
    consulSdConfigs: [],
    kubernetesSdConfigs: [],
  };
}

/** Handlers for the `*_configs` fields, to merge into a struct's handlers. */
export function discoveryFields(
  d: Decoder,
  sd: ServiceDiscoveryConfigs,
): Record<string, (v: YamlNode) => void> {
  return {
    static_configs: (v) =>
      (sd.staticConfigs = d.list(v, '[]*targetgroup.Group', (n) => decodeStaticConfig(d, n))),
    file_sd_configs: (v) => (sd.fileSdConfigs = d.list(v, '[]*file.SDConfig', (n) => decodeFileSD(d, n))),
    dns_sd_configs: (v) => (sd.dnsSdConfigs = d.list(v, '[]*dns.SDConfig', (n) => decodeDNSSD(d, n))),
    http_sd_configs: (v) => (sd.httpSdConfigs = d.list(v, '[]*http.SDConfig', (n) => decodeHTTPSD(d, n))),
    consul_sd_configs: (v) =>
      (sd.consulSdConfigs = d.list(v, '[]*consul.SDConfig', (n) => decodeConsulSD(d, n))),
    kubernetes_sd_configs: (v) =>
      (sd.kubernetesSdConfigs = d.list(v, '[]*kubernetes.SDConfig', (n) => decodeKubernetesSD(d, n))),
  };
}

function decodeStaticConfig(d: Decoder, node: YamlNode): StaticConfig {
  const c: StaticConfig = { targets: [], labels: {} };
  d.struct(node, 'targetgroup.Group', {
    targets: (v) => {
      c.targets = d.list(v, '[]string', (n) => {
        const t = d.string(n);
        // Prometheus' CheckTargetAddress: a URL is a common mistake for host:port.
        if (t.includes('/')) throw d.error(n, `"${t}" is not a valid hostname`);
        return t;
      });
    },
    labels: (v) => (c.labels = d.labelSet(v)),
  });
  return c;
}

const FILE_PATTERN = /^[^*]*(\*[^/]*)?\.(json|yml|yaml|JSON|YML|YAML)$/;

function decodeFileSD(d: Decoder, node: YamlNode): FileSDConfig {
  const c: FileSDConfig = { files: [], refreshInterval: 5 * 60_000 };
  d.struct(node, 'file.SDConfig', {
    files: (v) => {
      c.files = d.list(v, '[]string', (n) => {
        const f = d.string(n);
        if (!FILE_PATTERN.test(f)) throw d.error(n, `path name "${f}" is not valid for file discovery`);
        return f;
      });
    },
    refresh_interval: (v) => (c.refreshInterval = d.duration(v)),
  });
  if (c.files.length === 0)
    throw d.error(node, 'file service discovery config must contain at least one path name');
  return c;
}

function decodeDNSSD(d: Decoder, node: YamlNode): DNSSDConfig {
  const c: DNSSDConfig = { names: [], type: 'SRV', port: 0, refreshInterval: 30_000 };
  d.struct(node, 'dns.SDConfig', {
    names: (v) => (c.names = d.strings(v)),
    type: (v) =>
      (c.type = d.oneOf(v, ['SRV', 'A', 'AAAA', 'MX', 'NS'], (s) => `invalid DNS-SD records type ${s}`)),
    port: (v) => (c.port = d.uint(v)),
    refresh_interval: (v) => (c.refreshInterval = d.duration(v)),
  });
  if (c.names.length === 0) throw d.error(node, 'DNS-SD config must contain at least one SRV record name');
  if (c.type !== 'SRV' && c.port === 0) {
    throw d.error(node, 'a port is required in DNS-SD configs for all record types except SRV');
  }
  return c;
}

function decodeHTTPSD(d: Decoder, node: YamlNode): HTTPSDConfig {
  const c: HTTPSDConfig = { url: '', refreshInterval: 60_000, httpClient: defaultHTTPClientConfig() };
  let urlNode: YamlNode;
  d.struct(node, 'http.SDConfig', {
    ...httpClientFields(d, c.httpClient),
    url: (v) => {
      urlNode = v;
      c.url = d.string(v);
    },
    refresh_interval: (v) => (c.refreshInterval = d.duration(v)),
  });
  if (c.url === '') throw d.error(node, 'URL is missing');
  const parsed = URL.canParse(c.url) ? new URL(c.url) : undefined;
  if (parsed === undefined) throw d.error(urlNode ?? node, `parse "${c.url}": invalid URL`);
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw d.error(urlNode ?? node, "URL scheme must be 'http' or 'https'");
  }
  if (parsed.host === '') throw d.error(urlNode ?? node, 'host is missing in URL');
  validateHTTPClientConfig(d, node, c.httpClient);
  return c;
}

function decodeConsulSD(d: Decoder, node: YamlNode): ConsulSDConfig {
  const c: ConsulSDConfig = {
    server: 'localhost:8500',
    pathPrefix: '',
    token: '',
    datacenter: '',
    namespace: '',
    partition: '',
    scheme: 'http',
    username: '',
    password: '',
    services: [],
    filter: '',
    healthFilter: '',
    tags: [],
    nodeMeta: {},
    tagSeparator: ',',
    allowStale: true,
    refreshInterval: 30_000,
    httpClient: defaultHTTPClientConfig(),
  };
  d.struct(node, 'consul.SDConfig', {
    ...httpClientFields(d, c.httpClient),
    server: (v) => (c.server = d.string(v)),
    path_prefix: (v) => (c.pathPrefix = d.string(v)),
    token: (v) => (c.token = d.string(v)),
    datacenter: (v) => (c.datacenter = d.string(v)),
    namespace: (v) => (c.namespace = d.string(v)),
    partition: (v) => (c.partition = d.string(v)),
    scheme: (v) => (c.scheme = d.string(v)),
    username: (v) => (c.username = d.string(v)),
    password: (v) => (c.password = d.string(v)),
    services: (v) => (c.services = d.strings(v)),
    filter: (v) => (c.filter = d.string(v)),
    health_filter: (v) => (c.healthFilter = d.string(v)),
    tags: (v) => (c.tags = d.strings(v)),
    node_meta: (v) => (c.nodeMeta = d.stringMap(v)),
    tag_separator: (v) => (c.tagSeparator = d.string(v)),
    allow_stale: (v) => (c.allowStale = d.bool(v)),
    refresh_interval: (v) => (c.refreshInterval = d.duration(v)),
  });
  if (c.server.trim() === '') throw d.error(node, 'consul SD configuration requires a server address');
  if (c.token !== '' && c.httpClient.authorization !== undefined) {
    throw d.error(node, 'at most one of consul SD token, authorization, or oauth2 can be configured');
  }
  validateHTTPClientConfig(d, node, c.httpClient);
  return c;
}

function decodeKubernetesSD(d: Decoder, node: YamlNode): KubernetesSDConfig {
  const c: KubernetesSDConfig = {
    apiServer: '',
    role: 'pod',
    kubeconfigFile: '',
    namespaces: { ownNamespace: false, names: [] },
    selectors: [],
    attachMetadata: { node: false, namespace: false, deployment: false, job: false, cronjob: false },
    httpClient: defaultHTTPClientConfig(),
  };
  let roleSet = false;
  const role = (v: YamlNode): KubernetesRole =>
    d.oneOf(v, KUBERNETES_ROLES, (s) => `unknown Kubernetes SD role "${s}"`);
  d.struct(node, 'kubernetes.SDConfig', {
    ...httpClientFields(d, c.httpClient),
    api_server: (v) => {
      const s = d.string(v);
      if (s !== '' && !URL.canParse(s)) throw d.error(v, `parse "${s}": invalid URL`);
      c.apiServer = s;
    },
    role: (v) => {
      c.role = role(v);
      roleSet = true;
    },
    kubeconfig_file: (v) => (c.kubeconfigFile = d.string(v)),
    namespaces: (v) =>
      d.struct(v, 'kubernetes.NamespaceDiscovery', {
        own_namespace: (x) => (c.namespaces.ownNamespace = d.bool(x)),
        names: (x) => (c.namespaces.names = d.strings(x)),
      }),
    selectors: (v) => {
      c.selectors = d.list(v, '[]kubernetes.SelectorConfig', (n) => {
        const s = { role: 'pod' as KubernetesRole, label: '', field: '' };
        d.struct(n, 'kubernetes.SelectorConfig', {
          role: (x) => (s.role = role(x)),
          label: (x) => (s.label = d.string(x)),
          field: (x) => (s.field = d.string(x)),
        });
        return s;
      });
    },
    attach_metadata: (v) =>
      d.struct(v, 'kubernetes.AttachMetadataConfig', {
        node: (x) => (c.attachMetadata.node = d.bool(x)),
        namespace: (x) => (c.attachMetadata.namespace = d.bool(x)),
        deployment: (x) => (c.attachMetadata.deployment = d.bool(x)),
        job: (x) => (c.attachMetadata.job = d.bool(x)),
        cronjob: (x) => (c.attachMetadata.cronjob = d.bool(x)),
      }),
  });
  if (!roleSet)
    throw d.error(node, 'role missing (one of: pod, service, endpoints, endpointslice, node, ingress)');
  if (c.apiServer !== '' && c.kubeconfigFile !== '') {
    throw d.error(node, "cannot use 'kubeconfig_file' and 'api_server' simultaneously");
  }
  validateHTTPClientConfig(d, node, c.httpClient);
  return c;
}
