/**
 * A loaded configuration written back as YAML the way Prometheus 3 answers
 * `/api/v1/status/config`: its `Config` struct marshalled by yaml.v2, so every default is filled
 * in, fields come in Go's declaration order, empty optional fields are left out, durations read
 * `1m30s` and secrets `<secret>`. Blocks Vigil accepts but does not use (`runtime`, `tracing`,
 * `otlp`, and of `storage` all but the out-of-order window) are not shown.
 *
 * One departure: a field whose default is not zero is printed even when zero (Go's `omitempty`
 * would drop `filter_external_labels: false` or `replacement: ""`, and the text would then read
 * back as the default), so what is shown is always what runs.
 */
import { Document } from 'yaml';
import type { Scalar, ToStringOptions, YAMLMap } from 'yaml';
import type { RelabelConfig } from '../relabel/index.js';
import type { AlertingConfig, AlertmanagerConfig } from './alerting.js';
import type { GlobalConfig } from './global.js';
import type { Config } from './load.js';
import type { RemoteReadConfig, RemoteWriteConfig } from './remote.js';
import type { ScrapeConfig } from './scrape.js';
import type { StorageConfig } from './storage.js';
import { discoveryFields } from './serialize-discovery.js';
import { httpClientFields } from './serialize-http.js';
import {
  bool,
  boolOmit,
  dur,
  num,
  durOmit,
  listOmit,
  numOmit,
  redactedURL,
  str,
  stringMapOmit,
  mapOmit,
  strList,
  strListOmit,
  strOmit,
  struct,
} from './serialize-nodes.js';

/** How `configToYaml` writes. */
export interface ConfigToYamlOptions {
  /** Print secrets in clear instead of `<secret>` (Prometheus' `MarshalSecretValue`); for tests. */
  showSecrets: boolean;
}

/** Secrets redacted, as the API must show them. */
export function defaultConfigToYamlOptions(): ConfigToYamlOptions {
  return { showSecrets: false };
}

/**
 * `cfg` as Prometheus' `Config.String()` writes it. The text loads back through `loadConfig`
 * into the same configuration, secrets aside.
 */
export function configToYaml(cfg: Config, options = defaultConfigToYamlOptions()): string {
  const show = options.showSecrets;
  const alerting = cfg.alerting;
  const root = struct([
    ['global', globalConfig(cfg.global)],
    [
      'alerting',
      alerting.alertmanagers.length > 0 || alerting.alertRelabelConfigs.length > 0
        ? alertingConfig(alerting, show)
        : undefined,
    ],
    ['rule_files', strListOmit(cfg.ruleFiles)],
    ['scrape_config_files', strListOmit(cfg.scrapeConfigFiles)],
    ['scrape_configs', listOmit(cfg.scrapeConfigs, (s) => scrapeConfig(s, show))],
    ['storage', storageConfig(cfg.storage)],
    ['remote_write', listOmit(cfg.remoteWrite, (w) => remoteWrite(w, show))],
    ['remote_read', listOmit(cfg.remoteRead, (r) => remoteRead(r, show))],
  ]);
  return new Document(root, { version: '1.1' }).toString(YAML_V2_LAYOUT);
}

/** `storage`: only the out-of-order window is used; an unset block is left out, as Go's empty struct. */
function storageConfig(c: StorageConfig): YAMLMap | undefined {
  const window = durOmit(c.tsdb.outOfOrderTimeWindow);
  return window === undefined
    ? undefined
    : struct([['tsdb', struct([['out_of_order_time_window', window]])]]);
}

/** The `yaml` package's output options that give yaml.v2's layout. */
export const YAML_V2_LAYOUT: Readonly<ToStringOptions> = {
  // Block sequences at their key's indentation, `[a, b]` for flow lists, single quotes where a
  // plain scalar cannot stand.
  indentSeq: false,
  flowCollectionPadding: false,
  singleQuote: true,
  // yaml.v2 folds long plain scalars at 80 columns; one line each reads better and loads the same.
  lineWidth: 0,
};

function globalConfig(g: GlobalConfig): YAMLMap {
  return struct([
    ['scrape_interval', durOmit(g.scrapeInterval)],
    ['scrape_timeout', durOmit(g.scrapeTimeout)],
    ['scrape_protocols', g.scrapeProtocols && strListOmit(g.scrapeProtocols)],
    ['evaluation_interval', durOmit(g.evaluationInterval)],
    ['rule_query_offset', durOmit(g.ruleQueryOffset)],
    ['query_log_file', strOmit(g.queryLogFile)],
    ['scrape_failure_log_file', strOmit(g.scrapeFailureLogFile)],
    ['external_labels', stringMapOmit(g.externalLabels)],
    ['body_size_limit', sizeOmit(g.bodySizeLimit)],
    ['sample_limit', numOmit(g.sampleLimit)],
    ['target_limit', numOmit(g.targetLimit)],
    ['label_limit', numOmit(g.labelLimit)],
    ['label_name_length_limit', numOmit(g.labelNameLengthLimit)],
    ['label_value_length_limit', numOmit(g.labelValueLengthLimit)],
    ['keep_dropped_targets', numOmit(g.keepDroppedTargets)],
    ['metric_name_validation_scheme', str(g.metricNameValidationScheme)],
    ['metric_name_escaping_scheme', strOmit(g.metricNameEscapingScheme)],
    // A `*bool` that loading always sets, so `false` shows.
    ['scrape_native_histograms', bool(g.scrapeNativeHistograms)],
    ['convert_classic_histograms_to_nhcb', boolOmit(g.convertClassicHistogramsToNhcb)],
    ['always_scrape_classic_histograms', boolOmit(g.alwaysScrapeClassicHistograms)],
    ['extra_scrape_metrics', boolOmit(g.extraScrapeMetrics)],
  ]);
}

function scrapeConfig(c: ScrapeConfig, show: boolean): YAMLMap {
  return struct([
    ['job_name', str(c.jobName)],
    ['honor_labels', boolOmit(c.honorLabels)],
    ['honor_timestamps', bool(c.honorTimestamps)],
    ['track_timestamps_staleness', bool(c.trackTimestampsStaleness)],
    ['params', mapOmit(c.params, (values) => strList(values))],
    ['scrape_interval', durOmit(c.scrapeInterval)],
    ['scrape_timeout', durOmit(c.scrapeTimeout)],
    ['scrape_protocols', strListOmit(c.scrapeProtocols)],
    ['fallback_scrape_protocol', c.fallbackScrapeProtocol && str(c.fallbackScrapeProtocol)],
    // These `*bool`s inherit from `global` on load, so they always print.
    ['scrape_native_histograms', bool(c.scrapeNativeHistograms)],
    ['always_scrape_classic_histograms', bool(c.alwaysScrapeClassicHistograms)],
    ['convert_classic_histograms_to_nhcb', bool(c.convertClassicHistogramsToNhcb)],
    ['scrape_failure_log_file', strOmit(c.scrapeFailureLogFile)],
    ['metrics_path', str(c.metricsPath)],
    ['scheme', str(c.scheme)],
    ['enable_compression', bool(c.enableCompression)],
    ['body_size_limit', sizeOmit(c.bodySizeLimit)],
    ['sample_limit', numOmit(c.sampleLimit)],
    ['target_limit', numOmit(c.targetLimit)],
    ['label_limit', numOmit(c.labelLimit)],
    ['label_name_length_limit', numOmit(c.labelNameLengthLimit)],
    ['label_value_length_limit', numOmit(c.labelValueLengthLimit)],
    ['native_histogram_bucket_limit', numOmit(c.nativeHistogramBucketLimit)],
    ['native_histogram_min_bucket_factor', numOmit(c.nativeHistogramMinBucketFactor)],
    ['keep_dropped_targets', numOmit(c.keepDroppedTargets)],
    ['metric_name_validation_scheme', str(c.metricNameValidationScheme)],
    ['metric_name_escaping_scheme', strOmit(c.metricNameEscapingScheme)],
    ['extra_scrape_metrics', bool(c.extraScrapeMetrics)],
    ...httpClientFields(c.httpClient, show),
    ['relabel_configs', listOmit(c.relabelConfigs, relabelConfig)],
    ['metric_relabel_configs', listOmit(c.metricRelabelConfigs, relabelConfig)],
    ...discoveryFields(c, show),
  ]);
}

function alertingConfig(a: AlertingConfig, show: boolean): YAMLMap {
  return struct([
    ['alert_relabel_configs', listOmit(a.alertRelabelConfigs, relabelConfig)],
    ['alertmanagers', listOmit(a.alertmanagers, (am) => alertmanager(am, show))],
  ]);
}

function alertmanager(c: AlertmanagerConfig, show: boolean): YAMLMap {
  return struct([
    ...httpClientFields(c.httpClient, show),
    ['scheme', str(c.scheme)],
    ['path_prefix', strOmit(c.pathPrefix)],
    ['timeout', dur(c.timeout)],
    ['api_version', str(c.apiVersion)],
    ['relabel_configs', listOmit(c.relabelConfigs, relabelConfig)],
    ['alert_relabel_configs', listOmit(c.alertRelabelConfigs, relabelConfig)],
    ...discoveryFields(c, show),
  ]);
}

/**
 * A relabel rule with its defaults (`separator: ;`, `regex: (.*)`, `replacement: $1`, …). An
 * empty separator, regex or replacement prints as `""` where Go's `omitempty` would drop it and
 * the text would read back as the default.
 */
function relabelConfig(r: RelabelConfig): YAMLMap {
  return struct([
    ['source_labels', strListOmit(r.sourceLabels, true)],
    ['separator', str(r.separator)],
    ['regex', str(r.regex.source)],
    ['modulus', numOmit(r.modulus)],
    ['target_label', strOmit(r.targetLabel)],
    ['replacement', str(r.replacement)],
    ['action', str(r.action)],
  ]);
}

function remoteWrite(c: RemoteWriteConfig, show: boolean): YAMLMap {
  const q = c.queueConfig;
  const m = c.metadataConfig;
  return struct([
    ['url', redactedURL(c.url, show)],
    ['remote_timeout', dur(c.remoteTimeout)],
    ['headers', stringMapOmit(c.headers)],
    ['write_relabel_configs', listOmit(c.writeRelabelConfigs, relabelConfig)],
    ['name', strOmit(c.name)],
    ['send_exemplars', boolOmit(c.sendExemplars)],
    ['send_native_histograms', boolOmit(c.sendNativeHistograms)],
    ['round_robin_dns', boolOmit(c.roundRobinDns)],
    ['protobuf_message', strOmit(c.protobufMessage)],
    ...httpClientFields(c.httpClient, show),
    [
      'queue_config',
      struct([
        ['capacity', num(q.capacity)],
        ['max_shards', num(q.maxShards)],
        ['min_shards', num(q.minShards)],
        ['max_samples_per_send', num(q.maxSamplesPerSend)],
        ['batch_send_deadline', dur(q.batchSendDeadline)],
        ['min_backoff', dur(q.minBackoff)],
        ['max_backoff', dur(q.maxBackoff)],
        ['retry_on_http_429', boolOmit(q.retryOnHttp429)],
        ['sample_age_limit', durOmit(q.sampleAgeLimit)],
      ]),
    ],
    [
      'metadata_config',
      struct([
        ['send', bool(m.send)],
        ['send_interval', dur(m.sendInterval)],
        ['max_samples_per_send', num(m.maxSamplesPerSend)],
      ]),
    ],
  ]);
}

function remoteRead(c: RemoteReadConfig, show: boolean): YAMLMap {
  return struct([
    ['url', redactedURL(c.url, show)],
    ['remote_timeout', dur(c.remoteTimeout)],
    ['chunked_read_limit', num(c.chunkedReadLimit)],
    ['headers', stringMapOmit(c.headers)],
    ['read_recent', boolOmit(c.readRecent)],
    ['name', strOmit(c.name)],
    ...httpClientFields(c.httpClient, show),
    ['required_matchers', stringMapOmit(c.requiredMatchers)],
    ['filter_external_labels', bool(c.filterExternalLabels)],
  ]);
}

/** A byte size as `units.Base2Bytes` prints it: `10MiB`, `1KiB512B`; nothing when zero. */
function sizeOmit(bytes: number): Scalar | undefined {
  if (bytes === 0) return undefined;
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];
  const parts: string[] = [];
  let n = bytes;
  for (let i = 0; i < units.length && n > 0; i++) {
    const rest = n % 1024;
    if (rest !== 0) parts.unshift(`${rest}${units[i]}`);
    n = Math.floor(n / 1024);
  }
  return str(parts.join(''));
}
