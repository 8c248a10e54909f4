/**
 * `remote_write` and `remote_read`: parsed and validated now so that configurations load; the
 * clients that use them come later.
 */
import type { RelabelConfig } from '../relabel/index.js';
import type { Decoder, YamlNode } from './decoder.js';
import { defaultHTTPClientConfig, httpClientFields, validateHTTPClientConfig } from './http-client.js';
import type { HTTPClientConfig } from './http-client.js';
import { decodeRelabelConfigs } from './relabel-configs.js';

/** `queue_config` of a remote write. Durations are milliseconds. */
export interface QueueConfig {
  capacity: number;
  maxShards: number;
  minShards: number;
  maxSamplesPerSend: number;
  batchSendDeadline: number;
  minBackoff: number;
  maxBackoff: number;
  retryOnHttp429: boolean;
  sampleAgeLimit: number;
}

/** `metadata_config` of a remote write. */
export interface MetadataConfig {
  send: boolean;
  sendInterval: number;
  maxSamplesPerSend: number;
}

/** A `remote_write` entry. */
export interface RemoteWriteConfig {
  url: string;
  name: string;
  remoteTimeout: number;
  headers: Record<string, string>;
  protobufMessage: string;
  sendExemplars: boolean;
  sendNativeHistograms: boolean;
  roundRobinDns: boolean;
  writeRelabelConfigs: RelabelConfig[];
  queueConfig: QueueConfig;
  metadataConfig: MetadataConfig;
  httpClient: HTTPClientConfig;
}

/** A `remote_read` entry. */
export interface RemoteReadConfig {
  url: string;
  name: string;
  remoteTimeout: number;
  headers: Record<string, string>;
  requiredMatchers: Record<string, string>;
  /** Largest frame of a chunked read response, bytes. */
  chunkedReadLimit: number;
  readRecent: boolean;
  filterExternalLabels: boolean;
  httpClient: HTTPClientConfig;
}

const PROTOBUF_MESSAGES = ['prometheus.WriteRequest', 'io.prometheus.write.v2.Request'] as const;

function checkURL(d: Decoder, node: YamlNode, url: string): void {
  if (url === '') throw d.error(node, 'url for remote_write is empty');
  if (!URL.canParse(url)) throw d.error(node, `parse "${url}": invalid URL`);
}

/** Decodes one `remote_write` entry. */
export function decodeRemoteWrite(d: Decoder, node: YamlNode): RemoteWriteConfig {
  const c: RemoteWriteConfig = {
    url: '',
    name: '',
    remoteTimeout: 30_000,
    headers: {},
    protobufMessage: 'prometheus.WriteRequest',
    sendExemplars: false,
    sendNativeHistograms: false,
    roundRobinDns: false,
    writeRelabelConfigs: [],
    queueConfig: {
      capacity: 10_000,
      maxShards: 50,
      minShards: 1,
      maxSamplesPerSend: 2000,
      batchSendDeadline: 5000,
      minBackoff: 30,
      maxBackoff: 5000,
      retryOnHttp429: false,
      sampleAgeLimit: 0,
    },
    metadataConfig: { send: true, sendInterval: 60_000, maxSamplesPerSend: 2000 },
    // Prometheus 3 turns HTTP/2 off for remote write by default.
    httpClient: { ...defaultHTTPClientConfig(), enableHttp2: false },
  };
  let urlNode: YamlNode;
  const q = c.queueConfig;
  const m = c.metadataConfig;
  d.struct(node, 'config.RemoteWriteConfig', {
    ...httpClientFields(d, c.httpClient),
    url: (v) => {
      urlNode = v;
      c.url = d.string(v);
    },
    name: (v) => (c.name = d.string(v)),
    remote_timeout: (v) => (c.remoteTimeout = d.duration(v)),
    headers: (v) => (c.headers = d.stringMap(v)),
    protobuf_message: (v) =>
      (c.protobufMessage = d.oneOf(
        v,
        PROTOBUF_MESSAGES,
        (s) => `unknown remote write protobuf message ${s}`,
      )),
    send_exemplars: (v) => (c.sendExemplars = d.bool(v)),
    send_native_histograms: (v) => (c.sendNativeHistograms = d.bool(v)),
    round_robin_dns: (v) => (c.roundRobinDns = d.bool(v)),
    write_relabel_configs: (v) => (c.writeRelabelConfigs = decodeRelabelConfigs(d, v)),
    queue_config: (v) =>
      d.struct(v, 'config.QueueConfig', {
        capacity: (x) => (q.capacity = d.uint(x)),
        max_shards: (x) => (q.maxShards = d.uint(x)),
        min_shards: (x) => (q.minShards = d.uint(x)),
        max_samples_per_send: (x) => (q.maxSamplesPerSend = d.uint(x)),
        batch_send_deadline: (x) => (q.batchSendDeadline = d.duration(x)),
        min_backoff: (x) => (q.minBackoff = d.duration(x)),
        max_backoff: (x) => (q.maxBackoff = d.duration(x)),
        retry_on_http_429: (x) => (q.retryOnHttp429 = d.bool(x)),
        sample_age_limit: (x) => (q.sampleAgeLimit = d.duration(x)),
      }),
    metadata_config: (v) =>
      d.struct(v, 'config.MetadataConfig', {
        send: (x) => (m.send = d.bool(x)),
        send_interval: (x) => (m.sendInterval = d.duration(x)),
        max_samples_per_send: (x) => (m.maxSamplesPerSend = d.uint(x)),
      }),
  });
  checkURL(d, urlNode ?? node, c.url);
  validateHTTPClientConfig(d, node, c.httpClient);
  return c;
}

/** Decodes one `remote_read` entry. */
export function decodeRemoteRead(d: Decoder, node: YamlNode): RemoteReadConfig {
  const c: RemoteReadConfig = {
    url: '',
    name: '',
    remoteTimeout: 60_000,
    headers: {},
    requiredMatchers: {},
    chunkedReadLimit: 50_000_000,
    readRecent: false,
    filterExternalLabels: true,
    httpClient: defaultHTTPClientConfig(),
  };
  let urlNode: YamlNode;
  d.struct(node, 'config.RemoteReadConfig', {
    ...httpClientFields(d, c.httpClient),
    url: (v) => {
      urlNode = v;
      c.url = d.string(v);
    },
    name: (v) => (c.name = d.string(v)),
    remote_timeout: (v) => (c.remoteTimeout = d.duration(v)),
    headers: (v) => (c.headers = d.stringMap(v)),
    required_matchers: (v) => (c.requiredMatchers = d.labelSet(v)),
    chunked_read_limit: (v) => (c.chunkedReadLimit = d.uint(v)),
    read_recent: (v) => (c.readRecent = d.bool(v)),
    filter_external_labels: (v) => (c.filterExternalLabels = d.bool(v)),
  });
  if (c.url === '') throw d.error(urlNode ?? node, 'url for remote_read is empty');
  if (!URL.canParse(c.url)) throw d.error(urlNode ?? node, `parse "${c.url}": invalid URL`);
  validateHTTPClientConfig(d, node, c.httpClient);
  return c;
}
