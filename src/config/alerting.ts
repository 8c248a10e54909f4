/** The `alerting` block: where alerts are sent and how they are relabeled first. */
import type { RelabelConfig } from '../relabel/index.js';
import type { Decoder, YamlNode } from './decoder.js';
import { discoveryFields, emptyServiceDiscoveryConfigs } from './discovery.js';
import type { ServiceDiscoveryConfigs } from './discovery.js';
import { defaultHTTPClientConfig, httpClientFields, validateHTTPClientConfig } from './http-client.js';
import type { HTTPClientConfig } from './http-client.js';
import { decodeRelabelConfigs } from './relabel-configs.js';

/** An `alertmanager_config`. Durations are milliseconds. */
export interface AlertmanagerConfig extends ServiceDiscoveryConfigs {
  timeout: number;
  apiVersion: 'v2';
  pathPrefix: string;
  scheme: 'http' | 'https';
  httpClient: HTTPClientConfig;
  relabelConfigs: RelabelConfig[];
  alertRelabelConfigs: RelabelConfig[];
}

/** The `alerting` block. */
export interface AlertingConfig {
  alertRelabelConfigs: RelabelConfig[];
  alertmanagers: AlertmanagerConfig[];
}

/** Decodes `alerting`; absent means no alertmanagers. */
export function decodeAlertingConfig(d: Decoder, node: YamlNode): AlertingConfig {
  const a: AlertingConfig = { alertRelabelConfigs: [], alertmanagers: [] };
  d.struct(node, 'config.AlertingConfig', {
    alert_relabel_configs: (v) => (a.alertRelabelConfigs = decodeRelabelConfigs(d, v)),
    alertmanagers: (v) =>
      (a.alertmanagers = d.list(v, 'config.AlertmanagerConfigs', (n) => decodeAlertmanager(d, n))),
  });
  return a;
}

function decodeAlertmanager(d: Decoder, node: YamlNode): AlertmanagerConfig {
  const sd = emptyServiceDiscoveryConfigs();
  const c: AlertmanagerConfig = {
    ...sd,
    timeout: 10_000,
    apiVersion: 'v2',
    // No default, as in Prometheus: the push path is joined to it.
    pathPrefix: '',
    scheme: 'http',
    httpClient: defaultHTTPClientConfig(),
    relabelConfigs: [],
    alertRelabelConfigs: [],
  };
  d.struct(node, 'config.AlertmanagerConfig', {
    ...httpClientFields(d, c.httpClient),
    ...discoveryFields(d, sd),
    timeout: (v) => (c.timeout = d.duration(v)),
    api_version: (v) =>
      (c.apiVersion = d.oneOf(
        v,
        ['v2'],
        (s) => `expected Alertmanager api version to be one of [v2] but got ${s}`,
      )),
    path_prefix: (v) => (c.pathPrefix = d.string(v)),
    scheme: (v) =>
      (c.scheme = d.oneOf(v, ['http', 'https'], (s) => `invalid scheme "${s}": must be http or https`)),
    relabel_configs: (v) => (c.relabelConfigs = decodeRelabelConfigs(d, v)),
    alert_relabel_configs: (v) => (c.alertRelabelConfigs = decodeRelabelConfigs(d, v)),
  });
  validateHTTPClientConfig(d, node, c.httpClient);
  return { ...c, ...sd };
}
