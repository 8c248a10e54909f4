/** A `scrape_config`: one job, its targets, how to scrape them and how to relabel. */
import { DEFAULT_PROTO_FIRST_SCRAPE_PROTOCOLS, DEFAULT_SCRAPE_PROTOCOLS } from '../exposition/negotiation.js';
import type { NameValidationScheme } from '../model/index.js';
import type { RelabelConfig } from '../relabel/index.js';
import type { Decoder, YamlNode } from './decoder.js';
import { discoveryFields, emptyServiceDiscoveryConfigs } from './discovery.js';
import type { ServiceDiscoveryConfigs } from './discovery.js';
import {
  decodeScrapeProtocols,
  decodeValidationScheme,
  inheritedScrapeFields,
  inheritedScrapeSettings,
  SCRAPE_PROTOCOLS,
} from './global.js';
import type { GlobalConfig, ScrapeProtocol } from './global.js';
import { defaultHTTPClientConfig, httpClientFields, validateHTTPClientConfig } from './http-client.js';
import type { HTTPClientConfig } from './http-client.js';
import { decodeRelabelConfigs } from './relabel-configs.js';

/** A scrape config with the global defaults applied. Durations are milliseconds. */
export interface ScrapeConfig extends ServiceDiscoveryConfigs {
  jobName: string;
  scrapeInterval: number;
  scrapeTimeout: number;
  /** As written, else the global list, else the default for `scrapeNativeHistograms`. */
  scrapeProtocols: ScrapeProtocol[];
  fallbackScrapeProtocol: ScrapeProtocol | undefined;
  metricsPath: string;
  scheme: 'http' | 'https';
  params: Record<string, string[]>;
  honorLabels: boolean;
  honorTimestamps: boolean;
  trackTimestampsStaleness: boolean;
  enableCompression: boolean;
  scrapeFailureLogFile: string;
  bodySizeLimit: number;
  sampleLimit: number;
  labelLimit: number;
  labelNameLengthLimit: number;
  labelValueLengthLimit: number;
  targetLimit: number;
  keepDroppedTargets: number;
  metricNameValidationScheme: NameValidationScheme;
  /** As written, else derived from the validation schemes as Prometheus does (never empty). */
  metricNameEscapingScheme: string;
  nativeHistogramBucketLimit: number;
  nativeHistogramMinBucketFactor: number;
  scrapeNativeHistograms: boolean;
  convertClassicHistogramsToNhcb: boolean;
  alwaysScrapeClassicHistograms: boolean;
  extraScrapeMetrics: boolean;
  httpClient: HTTPClientConfig;
  relabelConfigs: RelabelConfig[];
  metricRelabelConfigs: RelabelConfig[];
}

/** Decodes one scrape config, inheriting unset values from `global`. */
export function decodeScrapeConfig(d: Decoder, node: YamlNode, global: GlobalConfig): ScrapeConfig {
  const c: ScrapeConfig = {
    ...emptyServiceDiscoveryConfigs(),
    jobName: '',
    scrapeInterval: 0,
    scrapeTimeout: 0,
    scrapeProtocols: [],
    fallbackScrapeProtocol: undefined,
    metricsPath: '/metrics',
    scheme: 'http',
    params: {},
    honorLabels: false,
    honorTimestamps: true,
    trackTimestampsStaleness: false,
    enableCompression: true,
    ...inheritedScrapeSettings(global),
    nativeHistogramBucketLimit: 0,
    nativeHistogramMinBucketFactor: 0,
    httpClient: defaultHTTPClientConfig(),
    relabelConfigs: [],
    metricRelabelConfigs: [],
  };
  const sd: ServiceDiscoveryConfigs = emptyServiceDiscoveryConfigs();
  let jobNode: YamlNode;
  let timeoutNode: YamlNode;
  let relabelNode: YamlNode;
  let metricRelabelNode: YamlNode;
  let protocolsSet = false;
  let validationSet = false;
  let escapingSet = false;
  d.struct(node, 'config.ScrapeConfig', {
    ...httpClientFields(d, c.httpClient),
    ...discoveryFields(d, sd),
    job_name: (v) => {
      jobNode = v;
      c.jobName = d.string(v);
    },
    scrape_interval: (v) => (c.scrapeInterval = d.duration(v)),
    scrape_timeout: (v) => {
      timeoutNode = v;
      c.scrapeTimeout = d.duration(v);
    },
    scrape_protocols: (v) => {
      c.scrapeProtocols = decodeScrapeProtocols(d, v);
      protocolsSet = true;
    },
    fallback_scrape_protocol: (v) => {
      c.fallbackScrapeProtocol = d.oneOf(
        v,
        SCRAPE_PROTOCOLS,
        (s) =>
          `invalid fallback_scrape_protocol for scrape config with job name "${c.jobName}": unknown scrape protocol ${s}, supported: [${SCRAPE_PROTOCOLS.join(' ')}]`,
      );
    },
    metrics_path: (v) => (c.metricsPath = d.string(v)),
    scheme: (v) =>
      (c.scheme = d.oneOf(v, ['http', 'https'], (s) => `invalid scheme "${s}": must be http or https`)),
    params: (v) => {
      for (const e of d.entries(v, 'url.Values')) c.params[e.key] = d.strings(e.value);
    },
    honor_labels: (v) => (c.honorLabels = d.bool(v)),
    honor_timestamps: (v) => (c.honorTimestamps = d.bool(v)),
    track_timestamps_staleness: (v) => (c.trackTimestampsStaleness = d.bool(v)),
    enable_compression: (v) => (c.enableCompression = d.bool(v)),
    ...inheritedScrapeFields(d, c),
    // The job's own scheme and escaping decide what is derived below, so note which are written.
    metric_name_validation_scheme: (v) => {
      c.metricNameValidationScheme = decodeValidationScheme(d, v);
      validationSet = true;
    },
    metric_name_escaping_scheme: (v) => {
      c.metricNameEscapingScheme = d.string(v);
      escapingSet = c.metricNameEscapingScheme !== '';
    },
    native_histogram_bucket_limit: (v) => (c.nativeHistogramBucketLimit = d.uint(v)),
    native_histogram_min_bucket_factor: (v) => (c.nativeHistogramMinBucketFactor = d.float(v)),
    relabel_configs: (v) => (relabelNode = v),
    metric_relabel_configs: (v) => (metricRelabelNode = v),
  });
  // Rules are decoded last, under this job's name validation scheme wherever it was set.
  const outer = d.scheme;
  d.scheme = c.metricNameValidationScheme;
  try {
    c.relabelConfigs = decodeRelabelConfigs(d, relabelNode);
    c.metricRelabelConfigs = decodeRelabelConfigs(d, metricRelabelNode);
  } finally {
    d.scheme = outer;
  }
  Object.assign(c, sd);
  if (c.jobName === '') throw d.error(jobNode ?? node, 'job_name is empty');
  validateHTTPClientConfig(d, node, c.httpClient);
  // Inheritance as in Prometheus' Config.UnmarshalYAML: the interval first, then the timeout,
  // which may not exceed the interval.
  if (c.scrapeInterval === 0) c.scrapeInterval = global.scrapeInterval;
  if (c.scrapeTimeout > c.scrapeInterval) {
    throw d.error(
      timeoutNode ?? node,
      `scrape timeout greater than scrape interval for scrape config with job name "${c.jobName}"`,
    );
  }
  if (c.scrapeTimeout === 0) c.scrapeTimeout = Math.min(global.scrapeTimeout, c.scrapeInterval);
  if (!protocolsSet) c.scrapeProtocols = defaultScrapeProtocols(global, c.scrapeNativeHistograms);
  if (!escapingSet) {
    c.metricNameEscapingScheme = validationSet
      ? escapingFor(c.metricNameValidationScheme)
      : global.metricNameEscapingScheme || escapingFor(global.metricNameValidationScheme);
  }
  return c;
}

/** Prometheus' `ScrapeConfig.Validate`: the global list wins over the native-histogram default. */
function defaultScrapeProtocols(global: GlobalConfig, nativeHistograms: boolean): ScrapeProtocol[] {
  if (global.scrapeProtocols !== undefined) return [...global.scrapeProtocols];
  return [...(nativeHistograms ? DEFAULT_PROTO_FIRST_SCRAPE_PROTOCOLS : DEFAULT_SCRAPE_PROTOCOLS)];
}

/** The escaping a validation scheme implies when none is written. */
function escapingFor(scheme: NameValidationScheme): string {
  return scheme === 'legacy' ? 'underscores' : 'allow-utf-8';
}
