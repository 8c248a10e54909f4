/** Service discovery: discoverers that find scrape targets and report them as target groups. */
export { ADDRESS_LABEL } from './discoverer.js';
export type { Discoverer, EmitGroups, TargetGroup } from './discoverer.js';
export { DiscoveryError } from './errors.js';
export type { DiscoveryErrorCode } from './errors.js';
export { GroupTracker } from './group-tracker.js';
export { decodeStaticConfigs, staticGroup } from './static-config.js';
export type { StaticConfig } from './static-config.js';
export { StaticDiscoverer, defaultStaticOptions } from './static.js';
export type { StaticOptions } from './static.js';
export { FileDiscoverer, defaultFileOptions, readGroups, META_FILEPATH } from './file.js';
export type { FileDeps, FileOptions } from './file.js';
export { HttpDiscoverer, defaultHttpOptions, META_URL } from './http.js';
export type { HttpDeps, HttpOptions } from './http.js';
export {
  DnsDiscoverer,
  defaultDnsOptions,
  META_DNS_NAME,
  META_DNS_SRV_RECORD_TARGET,
  META_DNS_SRV_RECORD_PORT,
  META_DNS_MX_RECORD_TARGET,
  META_DNS_NS_RECORD_TARGET,
} from './dns.js';
export type { DnsDeps, DnsOptions, DnsRecordType } from './dns.js';
export { ConsulDiscoverer } from './consul.js';
export type { ConsulDeps } from './consul.js';
export { defaultConsulOptions, consulOptionsFromConfig } from './consul-options.js';
export type { ConsulOptions } from './consul-options.js';
export { ConsulClient } from './consul-client.js';
export { decodeCatalogServices, decodeServiceEntries, aggregatedStatus } from './consul-api.js';
export type { ConsulCheck, ConsulNode, ConsulService, ConsulServiceEntry } from './consul-api.js';
export {
  consulTargetLabels,
  consulServiceGroup,
  joinHostPort,
  sanitizeLabelName,
  META_CONSUL_PREFIX,
} from './consul-labels.js';
export { runWatch } from './consul-watch.js';
export type { BlockingAnswer, WatchTiming } from './consul-watch.js';
export { KubernetesDiscoverer, defaultKubernetesOptions } from './kubernetes.js';
export type { KubernetesDeps, KubernetesOptions } from './kubernetes.js';
export { kubernetesOptionsFromConfig } from './kubernetes-config.js';
export {
  resolveKubernetesConnection,
  ownNamespace,
  defaultKubernetesEnvironment,
  SERVICE_ACCOUNT_DIR,
} from './kubernetes-connection.js';
export type { KubernetesEnvironment } from './kubernetes-connection.js';
export { KubernetesClient, KubernetesApiError, parseWatchEvent } from './kubernetes-client.js';
export type { KubernetesConnection, WatchEvent } from './kubernetes-client.js';
export { DiscoveryManager, defaultDiscoveryManagerOptions, scrapeDiscoveryConfigs } from './manager.js';
export type {
  DiscoveryManagerDeps,
  DiscoveryManagerOptions,
  TargetSets,
  TargetSetsListener,
} from './manager.js';
export { providerSpecs } from './manager-providers.js';
export type { ProviderDeps, ProviderSpec } from './manager-providers.js';
