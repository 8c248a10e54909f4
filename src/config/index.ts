/** `prometheus.yml`: types, defaults and loading with positioned errors. */
export { loadConfig, loadConfigFile, defaultConfig, defaultLoadConfigOptions } from './load.js';
export type { Config, LoadConfigOptions } from './load.js';
export { ConfigError } from './error.js';
export { configToYaml, defaultConfigToYamlOptions } from './serialize.js';
export type { ConfigToYamlOptions } from './serialize.js';
export type { ConfigPosition } from './error.js';
export { defaultGlobalConfig, expandEnv, SCRAPE_PROTOCOLS } from './global.js';
export type { GlobalConfig, ScrapeProtocol } from './global.js';
export { defaultStorageConfig } from './storage.js';
export type { StorageConfig } from './storage.js';
export type { ScrapeConfig } from './scrape.js';
export { KUBERNETES_ROLES } from './discovery.js';
export type {
  StaticConfig,
  FileSDConfig,
  DNSSDConfig,
  HTTPSDConfig,
  ConsulSDConfig,
  KubernetesSDConfig,
  KubernetesRole,
  ServiceDiscoveryConfigs,
} from './discovery.js';
export { defaultHTTPClientConfig } from './http-client.js';
export type { HTTPClientConfig, BasicAuth, Authorization, TLSConfig, OAuth2 } from './http-client.js';
export type { AlertingConfig, AlertmanagerConfig } from './alerting.js';
export type { RemoteWriteConfig, RemoteReadConfig, QueueConfig, MetadataConfig } from './remote.js';
