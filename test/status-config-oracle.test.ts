/**
 * `/api/v1/status/config` against Debian's Prometheus 2.42: both load the same file (relative paths
 * included), and Vigil's YAML must equal Prometheus' byte for byte once the differences listed in
 * `KNOWN` are applied to it. Each entry says why it differs; an entry that no longer applies fails
 * the test, so the list cannot go stale. Kubernetes and Consul discovery are left out: Debian's
 * build of Prometheus does not include them.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { isMap, isScalar, isSeq, parseDocument, Scalar } from 'yaml';
import type { YAMLMap } from 'yaml';
import { loadConfigFile } from '../src/config/load.js';
import { configToYaml, YAML_V2_LAYOUT } from '../src/config/serialize.js';
import { PrometheusServer } from './helpers/prometheus-server.js';

/** Only fields Prometheus 2.42 knows; relative paths, secrets and every relabel action it has. */
const CONFIG = `
global:
  scrape_interval: 15s
  scrape_timeout: 5s
  evaluation_interval: 90s
  query_log_file: queries.log
  external_labels: {region: eu-west, replica: "1", _tmp: x, Zone: a, a10: b, a2: c}
rule_files: [rules/*.yml, /etc/prometheus/alerts.yml]
alerting:
  alert_relabel_configs:
    - action: labeldrop
      regex: replica
  alertmanagers:
    - scheme: https
      path_prefix: /am
      timeout: 5s
      basic_auth: {username: am, password: am-password}
      tls_config: {server_name: am.internal, insecure_skip_verify: true}
      relabel_configs:
        - source_labels: [__meta_dns_name]
          target_label: instance
      dns_sd_configs:
        - names: [am.example]
          type: A
          port: 9093
      static_configs:
        - targets: ['am-0:9093']
scrape_configs:
  - job_name: node
    honor_labels: true
    honor_timestamps: false
    params: {module: [http_2xx], b: ['1'], c: ['', 'yes', 'a: b', '#x']}
    scrape_interval: 1h30m
    scrape_timeout: 100ms
    metrics_path: /probe
    scheme: https
    sample_limit: 5
    body_size_limit: 1536B
    target_limit: 7
    label_limit: 3
    label_name_length_limit: 200
    label_value_length_limit: 2000
    authorization: {credentials: scrape-token}
    tls_config: {insecure_skip_verify: true, min_version: TLS12}
    follow_redirects: false
    enable_http2: false
    proxy_url: http://user:proxy-password@proxy.example:3128
    relabel_configs:
      - source_labels: [__address__, __meta_port]
        separator: ':'
        regex: '([^:]+)(?::\\d+)?;(\\d+)'
        target_label: __address__
        replacement: $1:$2
      - source_labels: [__address__]
        modulus: 8
        target_label: __tmp_hash
        action: hashmod
      - source_labels: [__tmp_hash]
        regex: '0'
        action: keep
      - source_labels: [__tmp_hash]
        regex: '1'
        action: drop
      - action: labelmap
        regex: __meta_kubernetes_pod_label_(.+)
      - source_labels: [a]
        target_label: b
        action: keepequal
      - source_labels: [a]
        target_label: c
        action: dropequal
      - source_labels: [job]
        target_label: job_upper
        action: uppercase
      - source_labels: [job]
        target_label: job_lower
        action: lowercase
      - regex: tmp_.*
        action: labeldrop
      - regex: '(job|instance|__.*)'
        action: labelkeep
      - target_label: team
        replacement: ''
    metric_relabel_configs:
      - source_labels: [__name__]
        regex: 'go_.*'
        action: drop
    dns_sd_configs:
      - names: [_node._tcp.example.org]
        refresh_interval: 1m
    file_sd_configs:
      - files: [targets/*.json]
    http_sd_configs:
      - url: https://sd.example/targets
        oauth2:
          client_id: sd-client
          client_secret: sd-secret
          scopes: [read]
          token_url: https://auth.example/token
          endpoint_params: {audience: sd}
    static_configs:
      - targets: ['127.0.0.1:1', '127.0.0.1:2']
        labels: {env: prod, zone: "1"}
      - targets: ['127.0.0.1:3']
  - job_name: plain
    oauth2: {client_id: id, client_secret_file: secret.txt, token_url: 'https://auth.example/token'}
    static_configs:
      - targets: ['127.0.0.1:4']
remote_write:
  - url: https://writer:write-password@rw.example/api/v1/write
    name: primary
    remote_timeout: 10s
    headers: {X-Scope-OrgID: tenant-1}
    send_exemplars: true
    write_relabel_configs:
      - source_labels: [__name__]
        regex: 'expensive_.*'
        action: drop
    queue_config: {min_shards: 2, batch_send_deadline: 10s, retry_on_http_429: true}
    metadata_config: {send_interval: 2m}
  - url: http://rw2.example/write
remote_read:
  - url: https://rr.example/api/v1/read
    name: archive
    read_recent: true
    required_matchers: {job: archive}
    filter_external_labels: false
`;

/** An edit applied to Vigil's YAML where a field is present. */
type Scalarish = string | number | boolean;
type Edit = { delete: true } | { replace: [from: Scalarish, to: Scalarish] } | { moveBefore: string };

interface Known {
  /** Dotted path; `*` stands for every item of a list. */
  path: string;
  edit: Edit;
  reason: string;
}

const added = (path: string, reason: string): Known => ({ path, edit: { delete: true }, reason });
const changed = (path: string, from: Scalarish, to: Scalarish, reason: string): Known => ({
  path,
  edit: { replace: [from, to] },
  reason,
});
const job = (field: string): string => `scrape_configs.*.${field}`;

/** Why Vigil (following Prometheus 3) prints something 2.42 does not, one reason each. */
const KNOWN: Known[] = [
  added('global.metric_name_validation_scheme', '3.0 added UTF-8 name validation, set on load'),
  added('global.scrape_native_histograms', '3.x moved native histograms from a flag to the config'),
  added(job('track_timestamps_staleness'), '2.48 added the field, printed even when false'),
  added(job('scrape_protocols'), '2.49 added the field; loading fills in the default list'),
  added(job('scrape_native_histograms'), '3.x: per-job native histograms, inherited from global'),
  added(job('always_scrape_classic_histograms'), '3.x: per-job, inherited from global'),
  added(job('convert_classic_histograms_to_nhcb'), '3.x: per-job, inherited from global'),
  added(job('enable_compression'), '2.49 added the field, printed even when true'),
  added(job('metric_name_validation_scheme'), '3.0: per-job scheme, inherited from global'),
  added(job('metric_name_escaping_scheme'), '3.0: per-job escaping, derived from the scheme'),
  added(job('extra_scrape_metrics'), '3.x added the field, inherited from global'),
  {
    path: job('proxy_url'),
    edit: { moveBefore: 'tls_config' },
    reason: 'prometheus/common after 0.39 inlines the proxy settings after enable_http2',
  },
  changed(
    job('tls_config.min_version'),
    'TLS12',
    771,
    'prometheus/common 0.39 printed TLS versions as numbers',
  ),
  changed(
    job('relabel_configs.*.replacement'),
    '',
    '<omitted>',
    'Vigil prints an empty replacement that omitempty drops and that would reload as $1',
  ),
  added('remote_write.*.protobuf_message', '3.0 added Remote-Write 2.0 and its message choice'),
  changed('remote_write.*.enable_http2', false, true, '3.x turned HTTP/2 off by default for remote write'),
  changed('remote_write.*.queue_config.capacity', 10_000, 2500, 'queue defaults were raised after 2.42'),
  changed('remote_write.*.queue_config.max_shards', 50, 200, 'queue defaults were lowered after 2.42'),
  changed(
    'remote_write.*.queue_config.max_samples_per_send',
    2000,
    500,
    'queue defaults were raised after 2.42',
  ),
  changed(
    'remote_write.*.metadata_config.max_samples_per_send',
    2000,
    500,
    'metadata default was raised after 2.42',
  ),
  added('remote_read.*.chunked_read_limit', 'added after 2.42, printed with its 50 MB default'),
  changed(
    'remote_read.*.filter_external_labels',
    false,
    '<omitted>',
    'Vigil prints false where omitempty drops it and it would reload as true',
  ),
];

/** Applies `edit` at `path` under `node`; returns how many places it changed. */
function applyAt(node: unknown, path: string[], edit: Edit): number {
  if (isSeq(node) && path[0] === '*') {
    return node.items.reduce((n: number, item) => n + applyAt(item, path.slice(1), edit), 0);
  }
  if (!isMap(node)) return 0;
  if (path.length > 1) return applyAt(node.get(path[0], true), path.slice(1), edit);
  return editField(node, path[0], edit);
}

function editField(map: YAMLMap, key: string, edit: Edit): number {
  const index = map.items.findIndex((p) => isScalar(p.key) && p.key.value === key);
  if (index < 0) return 0;
  const pair = map.items[index];
  if ('delete' in edit) {
    map.items.splice(index, 1);
    return 1;
  }
  if ('moveBefore' in edit) {
    map.items.splice(index, 1);
    const before = map.items.findIndex((p) => isScalar(p.key) && p.key.value === edit.moveBefore);
    assert.ok(before >= 0, `no ${edit.moveBefore} to move ${key} before`);
    map.items.splice(before, 0, pair);
    return 1;
  }
  const [from, to] = edit.replace;
  if (!isScalar(pair.value) || pair.value.value !== from) return 0;
  if (to === '<omitted>') map.items.splice(index, 1);
  else pair.value = new Scalar(to);
  return 1;
}

test('status/config matches Prometheus 2.42 but for the listed 2.x → 3.x differences', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-status-config-'));
  const prom = await PrometheusServer.start(join(dir, 'data'), CONFIG);
  try {
    const theirs = await prom.statusConfig();
    const ours = configToYaml(await loadConfigFile(prom.configFile));
    assert.doesNotMatch(ours, /am-password|proxy-password|write-password|sd-secret|scrape-token/);

    const doc = parseDocument(ours, { version: '1.1' });
    assert.equal(doc.toString(YAML_V2_LAYOUT), ours, 'reading and rewriting changes nothing');
    const unused: string[] = [];
    for (const k of KNOWN) {
      if (applyAt(doc.contents, k.path.split('.'), k.edit) === 0) unused.push(`${k.path}: ${k.reason}`);
    }
    assert.deepEqual(unused, [], 'listed differences that no longer occur');
    assert.equal(doc.toString(YAML_V2_LAYOUT), theirs);
  } finally {
    await prom.stop();
    await rm(dir, { recursive: true, force: true });
  }
});
