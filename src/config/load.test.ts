import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../../test/support/paths.js';
import { Labels } from '../model/index.js';
import { relabel } from '../relabel/index.js';
import { ConfigError } from './error.js';
import { loadConfig, loadConfigFile } from './load.js';

const F = 'prometheus.yml';

/** Joins lines, so that positions in the cases are easy to read. */
function y(...lines: string[]): string {
  return lines.join('\n') + '\n';
}

test('an empty file has the defaults', () => {
  const c = loadConfig('', F);
  assert.equal(c.global.scrapeInterval, 60_000);
  assert.equal(c.global.scrapeTimeout, 10_000);
  assert.equal(c.global.evaluationInterval, 60_000);
  assert.deepEqual(c.scrapeConfigs, []);
});

test('scrape configs inherit the global interval, timeout and limits', () => {
  const c = loadConfig(
    y(
      'global:',
      '  scrape_interval: 15s',
      '  scrape_timeout: 5s',
      '  sample_limit: 100',
      'scrape_configs:',
      '  - job_name: a',
      '  - job_name: b',
      '    scrape_interval: 2s',
      '  - job_name: c',
      '    scrape_interval: 30s',
      '    scrape_timeout: 20s',
      '    sample_limit: 7',
    ),
    F,
  );
  const got = c.scrapeConfigs.map((s) => [s.jobName, s.scrapeInterval, s.scrapeTimeout, s.sampleLimit]);
  assert.deepEqual(got, [
    ['a', 15_000, 5_000, 100],
    ['b', 2_000, 2_000, 100],
    ['c', 30_000, 20_000, 7],
  ]);
});

test('a short global interval caps the default timeout', () => {
  const c = loadConfig(y('global:', '  scrape_interval: 3s'), F);
  assert.equal(c.global.scrapeTimeout, 3_000);
});

test('scrape config defaults', () => {
  const s = loadConfig(y('scrape_configs:', '  - job_name: a'), F).scrapeConfigs[0];
  assert.equal(s.metricsPath, '/metrics');
  assert.equal(s.scheme, 'http');
  assert.equal(s.honorLabels, false);
  assert.equal(s.honorTimestamps, true);
  assert.equal(s.trackTimestampsStaleness, false);
  assert.equal(s.httpClient.followRedirects, true);
  assert.equal(s.httpClient.enableHttp2, true);
  assert.deepEqual(s.scrapeProtocols, [
    'OpenMetricsText1.0.0',
    'OpenMetricsText0.0.1',
    'PrometheusText1.0.0',
    'PrometheusText0.0.4',
  ]);
  assert.equal(s.metricNameEscapingScheme, 'allow-utf-8');
});

test('scrape config defaults follow native histograms and a legacy validation scheme', () => {
  const [native, legacy] = loadConfig(
    y(
      'scrape_configs:',
      '  - job_name: native',
      '    scrape_native_histograms: true',
      '  - job_name: legacy',
      '    metric_name_validation_scheme: legacy',
    ),
    F,
  ).scrapeConfigs;
  assert.equal(native.scrapeProtocols[0], 'PrometheusProto');
  assert.equal(legacy.metricNameEscapingScheme, 'underscores');
});

test('a full scrape config', () => {
  const c = loadConfig(
    y(
      'scrape_configs:',
      '  - job_name: node',
      '    scheme: https',
      '    metrics_path: /m',
      '    params: {module: [a, b]}',
      '    honor_labels: true',
      '    body_size_limit: 10MB',
      '    scrape_protocols: [OpenMetricsText1.0.0, PrometheusText0.0.4]',
      '    fallback_scrape_protocol: PrometheusText0.0.4',
      '    basic_auth: {username: u, password: p}',
      '    tls_config: {insecure_skip_verify: true, min_version: TLS12}',
      '    static_configs:',
      '      - targets: [a:1, b:2]',
      '        labels: {env: prod}',
      '    file_sd_configs:',
      '      - files: [t/*.json]',
      '    dns_sd_configs:',
      '      - names: [_x._tcp.example.org]',
      '    http_sd_configs:',
      '      - url: http://sd.example/targets',
      '    consul_sd_configs:',
      '      - services: [web]',
      '    kubernetes_sd_configs:',
      '      - role: pod',
      '        namespaces: {names: [default]}',
      '    relabel_configs:',
      '      - source_labels: [__address__]',
      '        regex: (.*):\\d+',
      '        target_label: host',
      '    metric_relabel_configs:',
      '      - regex: go_.*',
      '        source_labels: [__name__]',
      '        action: Drop',
    ),
    F,
  );
  const s = c.scrapeConfigs[0];
  assert.equal(s.scheme, 'https');
  assert.deepEqual(s.params, { module: ['a', 'b'] });
  assert.equal(s.bodySizeLimit, 10 * 1024 * 1024);
  assert.deepEqual(s.scrapeProtocols, ['OpenMetricsText1.0.0', 'PrometheusText0.0.4']);
  assert.equal(s.fallbackScrapeProtocol, 'PrometheusText0.0.4');
  assert.equal(s.httpClient.basicAuth?.username, 'u');
  assert.equal(s.httpClient.tlsConfig.minVersion, 'TLS12');
  assert.deepEqual(s.staticConfigs, [{ targets: ['a:1', 'b:2'], labels: { env: 'prod' } }]);
  assert.equal(s.fileSdConfigs[0].refreshInterval, 300_000);
  assert.equal(s.dnsSdConfigs[0].type, 'SRV');
  assert.equal(s.dnsSdConfigs[0].refreshInterval, 30_000);
  assert.equal(s.httpSdConfigs[0].refreshInterval, 60_000);
  assert.equal(s.consulSdConfigs[0].server, 'localhost:8500');
  assert.equal(s.consulSdConfigs[0].tagSeparator, ',');
  assert.equal(s.consulSdConfigs[0].allowStale, true);
  assert.deepEqual(s.kubernetesSdConfigs[0].namespaces.names, ['default']);
  const out = relabel(Labels.from({ __address__: 'h:9100' }), s.relabelConfigs);
  assert.equal(out?.get('host'), 'h');
  assert.equal(s.metricRelabelConfigs[0].action, 'drop');
});

test('alerting and remote storage', () => {
  const c = loadConfig(
    y(
      'alerting:',
      '  alert_relabel_configs:',
      '    - action: labeldrop',
      '      regex: replica',
      '  alertmanagers:',
      '    - static_configs:',
      '        - targets: [am:9093]',
      'remote_write:',
      '  - url: http://rw.example/api/v1/write',
      '    queue_config: {max_shards: 10}',
      'remote_read:',
      '  - url: http://rr.example/api/v1/read',
      '    read_recent: true',
    ),
    F,
  );
  assert.equal(c.alerting.alertmanagers[0].timeout, 10_000);
  assert.equal(c.alerting.alertmanagers[0].pathPrefix, '');
  assert.deepEqual(c.alerting.alertmanagers[0].staticConfigs[0].targets, ['am:9093']);
  assert.equal(c.remoteWrite[0].remoteTimeout, 30_000);
  assert.equal(c.remoteWrite[0].queueConfig.maxShards, 10);
  assert.equal(c.remoteWrite[0].httpClient.enableHttp2, false, 'Prometheus 3 default');
  assert.equal(c.remoteRead[0].chunkedReadLimit, 50_000_000);
  assert.equal(c.remoteRead[0].remoteTimeout, 60_000);
  assert.equal(c.remoteRead[0].readRecent, true);
});

test('external labels expand the given environment only', () => {
  const text = y('global:', '  external_labels:', '    region: ${REGION}-$$x', '    empty: $UNSET');
  assert.deepEqual(loadConfig(text, F, { env: { REGION: 'eu' } }).global.externalLabels, { region: 'eu-$x' });
  assert.deepEqual(loadConfig(text, F).global.externalLabels, { region: '-$x' });
});

const errors: [name: string, yaml: string, message: string][] = [
  ['unknown top-level field', y('foo: 1'), '1:1: field foo not found in type config.Config'],
  [
    'unknown scrape field',
    y('scrape_configs:', '  - job_name: a', '    scrape_intervall: 1m'),
    '3:5: field scrape_intervall not found in type config.ScrapeConfig',
  ],
  ['unknown global field', y('global:', '  foo: 1'), '2:3: field foo not found in type config.GlobalConfig'],
  [
    'unknown relabel field',
    y('scrape_configs:', '  - job_name: a', '    relabel_configs:', '      - srouce_labels: [a]'),
    '4:9: field srouce_labels not found in type relabel.Config',
  ],
  [
    'unknown field in static config',
    y('scrape_configs:', '  - job_name: a', '    static_configs:', '      - target: [a]'),
    '4:9: field target not found in type targetgroup.Group',
  ],
  [
    'unknown field in tls_config',
    y('scrape_configs:', '  - job_name: a', '    tls_config: {ca_fil: x}'),
    '3:18: field ca_fil not found in type config.TLSConfig',
  ],
  ['bad duration', y('global:', '  scrape_interval: 1x'), '2:20: not a valid duration string: "1x"'],
  [
    'bool expected',
    y('scrape_configs:', '  - job_name: a', '    honor_labels: maybe'),
    '3:19: cannot unmarshal !!str `maybe` into bool',
  ],
  ['int expected', y('global:', '  sample_limit: lots'), '2:17: cannot unmarshal !!str `lots` into uint'],
  ['list expected', y('scrape_configs: 3'), '1:17: cannot unmarshal !!int `3` into []*config.ScrapeConfig'],
  [
    'global timeout over interval',
    y('global:', '  scrape_interval: 5s', '  scrape_timeout: 6s'),
    '2:3: global scrape timeout greater than scrape interval',
  ],
  [
    'scrape timeout over interval',
    y('scrape_configs:', '  - job_name: a', '    scrape_interval: 5s', '    scrape_timeout: 6s'),
    '4:21: scrape timeout greater than scrape interval for scrape config with job name "a"',
  ],
  [
    'inherited interval under the timeout',
    y('global:', '  scrape_interval: 5s', 'scrape_configs:', '  - job_name: a', '    scrape_timeout: 10s'),
    '5:21: scrape timeout greater than scrape interval for scrape config with job name "a"',
  ],
  [
    'duplicate job name',
    y('scrape_configs:', '  - job_name: a', '  - job_name: a'),
    '3:5: found multiple scrape configs with job name "a"',
  ],
  ['missing job name', y('scrape_configs:', '  - scheme: http'), '2:5: job_name is empty'],
  [
    'bad regex',
    y(
      'scrape_configs:',
      '  - job_name: a',
      '    relabel_configs:',
      '      - regex: "a("',
      '        target_label: x',
    ),
    '4:16: error parsing regexp: missing closing ): `^(?s:a()$`',
  ],
  [
    'unknown relabel action',
    y('scrape_configs:', '  - job_name: a', '    relabel_configs:', '      - action: mangle'),
    '4:17: unknown relabel action "mangle"',
  ],
  [
    'invalid relabel rule',
    y(
      'scrape_configs:',
      '  - job_name: a',
      '    relabel_configs:',
      '      - action: hashmod',
      '        target_label: x',
    ),
    '4:9: relabel configuration for hashmod requires non-zero modulus',
  ],
  [
    'invalid source label in legacy mode',
    y(
      'global:',
      '  metric_name_validation_scheme: legacy',
      'scrape_configs:',
      '  - job_name: a',
      '    relabel_configs:',
      '      - source_labels: [a.b]',
      '        target_label: x',
    ),
    '6:25: "a.b" is not a valid label name',
  ],
  [
    'invalid static label name in legacy mode',
    y(
      'global: {metric_name_validation_scheme: legacy}',
      'scrape_configs:',
      '  - job_name: a',
      '    static_configs:',
      '      - labels: {1x: y}',
    ),
    '5:18: "1x" is not a valid label name',
  ],
  [
    'client certificate without key',
    y('scrape_configs:', '  - job_name: a', '    tls_config: {cert_file: c.pem}'),
    '3:17: exactly one of key or key_file must be configured when a client certificate is configured',
  ],
  [
    'bad tls version',
    y('scrape_configs:', '  - job_name: a', '    tls_config: {min_version: TLS9}'),
    '3:31: unknown TLS version: TLS9',
  ],
  [
    'password and password_file',
    y('scrape_configs:', '  - job_name: a', '    basic_auth: {username: u, password: p, password_file: f}'),
    '3:17: at most one of basic_auth password & password_file must be configured',
  ],
  [
    'no_proxy without proxy_url',
    y('scrape_configs:', '  - job_name: a', '    no_proxy: localhost'),
    '2:5: if no_proxy is configured, proxy_url must also be configured',
  ],
  [
    'bad scheme',
    y('scrape_configs:', '  - job_name: a', '    scheme: ftp'),
    '3:13: invalid scheme "ftp": must be http or https',
  ],
  [
    'bad body size',
    y('scrape_configs:', '  - job_name: a', '    body_size_limit: 10 megs'),
    '3:22: invalid size "10 megs"',
  ],
  [
    'kubernetes api_server and kubeconfig_file',
    y(
      'scrape_configs:',
      '  - job_name: a',
      '    kubernetes_sd_configs:',
      '      - {role: node, api_server: "https://k", kubeconfig_file: k.yml}',
    ),
    "4:9: cannot use 'kubeconfig_file' and 'api_server' simultaneously",
  ],
  [
    'consul without server',
    y('scrape_configs:', '  - job_name: a', '    consul_sd_configs:', "      - server: ''"),
    '4:9: consul SD configuration requires a server address',
  ],
  [
    'file sd without files',
    y('scrape_configs:', '  - job_name: a', '    file_sd_configs:', '      - refresh_interval: 1m'),
    '4:9: file service discovery config must contain at least one path name',
  ],
  [
    'alertmanager api v1',
    y('alerting:', '  alertmanagers:', '    - api_version: v1'),
    '3:20: expected Alertmanager api version to be one of [v2] but got v1',
  ],
  [
    'unknown alertmanager field',
    y('alerting:', '  alertmanagers:', '    - targets: [a]'),
    '3:7: field targets not found in type config.AlertmanagerConfig',
  ],
  [
    'remote read without url',
    y('remote_read:', '  - read_recent: true'),
    '2:5: url for remote_read is empty',
  ],
  [
    'keepequal with replacement',
    y(
      'scrape_configs:',
      '  - job_name: a',
      '    relabel_configs:',
      '      - {action: keepequal, source_labels: [a], target_label: b, replacement: x}',
    ),
    "4:9: 'replacement' can not be set for keepequal action",
  ],
  [
    'labelmap with invalid replacement in legacy mode',
    y(
      'global: {metric_name_validation_scheme: legacy}',
      'scrape_configs:',
      '  - job_name: a',
      '    relabel_configs:',
      "      - {action: labelmap, regex: 'x_(.*)', replacement: 'a-b'}",
    ),
    `5:9: "a-b" is invalid 'replacement' for labelmap action`,
  ],
  [
    'bad validation scheme',
    y('global: {metric_name_validation_scheme: ascii}'),
    "1:41: unknown name validation method specified, must be either '', 'legacy' or 'utf8', got ascii",
  ],
  [
    'url as static target',
    y('scrape_configs:', '  - job_name: a', '    static_configs:', '      - targets: [http://h:80/metrics]'),
    '4:19: "http://h:80/metrics" is not a valid hostname',
  ],
  [
    '__name__ as external label',
    y('global:', '  external_labels:', '    __name__: x'),
    '3:5: "__name__" is not a valid label name',
  ],
  [
    'unknown scrape protocol',
    y('global:', '  scrape_protocols: [Foo]'),
    '2:22: unknown scrape protocol Foo, supported: [PrometheusProto OpenMetricsText0.0.1 OpenMetricsText1.0.0 PrometheusText0.0.4 PrometheusText1.0.0]',
  ],
  [
    'duplicate scrape protocol',
    y('global:', '  scrape_protocols: [PrometheusProto, PrometheusProto]'),
    '2:39: duplicated protocol in scrape_protocols, got PrometheusProto',
  ],
  [
    'two kinds of auth',
    y(
      'scrape_configs:',
      '  - job_name: a',
      '    basic_auth: {username: u}',
      '    authorization: {credentials: c}',
    ),
    '2:5: at most one of basic_auth, oauth2 & authorization must be configured',
  ],
  [
    'basic authorization type',
    y('scrape_configs:', '  - job_name: a', '    authorization: {type: Basic}'),
    '3:20: authorization type cannot be set to "basic", use "basic_auth" instead',
  ],
  [
    'bad file sd path',
    y('scrape_configs:', '  - job_name: a', '    file_sd_configs:', '      - files: [targets.txt]'),
    '4:17: path name "targets.txt" is not valid for file discovery',
  ],
  [
    'dns sd A without port',
    y('scrape_configs:', '  - job_name: a', '    dns_sd_configs:', '      - names: [x]', '        type: A'),
    '4:9: a port is required in DNS-SD configs for all record types except SRV',
  ],
  [
    'dns sd bad type',
    y('scrape_configs:', '  - job_name: a', '    dns_sd_configs:', '      - names: [x]', '        type: TXT'),
    '5:15: invalid DNS-SD records type TXT',
  ],
  [
    'http sd without url',
    y('scrape_configs:', '  - job_name: a', '    http_sd_configs:', '      - refresh_interval: 1m'),
    '4:9: URL is missing',
  ],
  [
    'http sd bad scheme',
    y('scrape_configs:', '  - job_name: a', '    http_sd_configs:', '      - url: ftp://x/'),
    "4:14: URL scheme must be 'http' or 'https'",
  ],
  [
    'kubernetes without role',
    y('scrape_configs:', '  - job_name: a', '    kubernetes_sd_configs:', '      - api_server: https://k8s'),
    '4:9: role missing (one of: pod, service, endpoints, endpointslice, node, ingress)',
  ],
  [
    'kubernetes unknown role',
    y('scrape_configs:', '  - job_name: a', '    kubernetes_sd_configs:', '      - role: deployment'),
    '4:15: unknown Kubernetes SD role "deployment"',
  ],
  ['remote write without url', y('remote_write:', '  - name: x'), '2:5: url for remote_write is empty'],
  [
    'duplicate key',
    y('global:', '  scrape_interval: 1m', '  scrape_interval: 2m'),
    '3:3: Map keys must be unique',
  ],
  ['yaml syntax', y('scrape_configs:', '  - job_name: "a'), '3:1: Missing closing "quote'],
  [
    'unknown tsdb field',
    y('storage:', '  tsdb:', '    out_of_order_window: 1h'),
    '3:5: field out_of_order_window not found in type config.TSDBConfig',
  ],
  [
    'bad out-of-order window',
    y('storage:', '  tsdb:', '    out_of_order_time_window: 1 hour'),
    '3:31: not a valid duration string: "1 hour"',
  ],
];

for (const [name, text, message] of errors) {
  test(`error: ${name}`, () => {
    assert.throws(
      () => loadConfig(text, F),
      (e: unknown) => {
        assert.ok(e instanceof ConfigError);
        assert.equal(e.message, `${F}:${message}`);
        return true;
      },
    );
  });
}

test('storage.tsdb.out_of_order_time_window: 0 by default, a duration when set', () => {
  assert.equal(loadConfig('', F).storage.tsdb.outOfOrderTimeWindow, 0);
  const c = loadConfig(
    y('storage:', '  tsdb:', '    out_of_order_time_window: 30m', '  exemplars:', '    max_exemplars: 10'),
    F,
  );
  assert.equal(c.storage.tsdb.outOfOrderTimeWindow, 30 * 60_000);
});

test('a job may choose legacy names for its own relabel rules', () => {
  const text = y(
    'scrape_configs:',
    '  - job_name: a',
    '    relabel_configs: [{source_labels: [a.b], target_label: x}]',
    '    metric_name_validation_scheme: legacy',
  );
  assert.throws(() => loadConfig(text, F), /3:40: "a.b" is not a valid label name/);
});

test('a typical file loads: testdata/prometheus.yml', async () => {
  const file = `${REPO_ROOT}/src/config/testdata/prometheus.yml`;
  const c = loadConfig(await readFile(file, 'utf8'), file);
  assert.deepEqual(
    c.scrapeConfigs.map((s) => s.jobName),
    ['prometheus', 'node', 'kubernetes-pods', 'blackbox'],
  );
  assert.deepEqual(c.ruleFiles, ['rules/*.yml', 'alerts.yml']);
  const pods = c.scrapeConfigs[2];
  const out = relabel(
    Labels.from({
      __address__: '10.0.0.1:8080',
      __meta_kubernetes_pod_annotation_prometheus_io_scrape: 'true',
      __meta_kubernetes_pod_annotation_prometheus_io_port: '9102',
      __meta_kubernetes_pod_label_app: 'web',
      __meta_kubernetes_namespace: 'prod',
    }),
    pods.relabelConfigs,
  );
  assert.equal(out?.get('__address__'), '10.0.0.1:9102');
  assert.equal(out?.get('app'), 'web');
  assert.equal(out?.get('namespace'), 'prod');
  const skipped = relabel(Labels.from({ __address__: 'x:1' }), pods.relabelConfigs);
  assert.equal(skipped, undefined);
});

test('loadConfigFile resolves relative paths against the file directory', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-config-'));
  const file = join(dir, 'prometheus.yml');
  writeFileSync(
    file,
    y(
      'rule_files: [rules/*.yml, /abs/r.yml]',
      'scrape_configs:',
      '  - job_name: a',
      '    tls_config: {ca_file: ca.pem}',
      '    file_sd_configs: [{files: [t/*.json]}]',
    ),
  );
  const c = await loadConfigFile(file);
  assert.deepEqual(c.ruleFiles, [join(dir, 'rules/*.yml'), '/abs/r.yml']);
  assert.equal(c.scrapeConfigs[0].httpClient.tlsConfig.caFile, join(dir, 'ca.pem'));
  assert.deepEqual(c.scrapeConfigs[0].fileSdConfigs[0].files, [join(dir, 't/*.json')]);
  assert.equal(c.scrapeConfigs[0].httpClient.tlsConfig.certFile, '');
});
