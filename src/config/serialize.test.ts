import { test } from 'node:test';
import assert from 'node:assert/strict';
import { REPO_ROOT } from '../../test/support/paths.js';
import { loadConfig, loadConfigFile } from './load.js';
import type { Config } from './load.js';
import { configToYaml } from './serialize.js';
import { goSortKeys } from './serialize-nodes.js';

const F = 'prometheus.yml';
const EVERY_FIELD = `${REPO_ROOT}/src/config/testdata/every-field.yml`;

function y(...lines: string[]): string {
  return lines.join('\n') + '\n';
}

/** The YAML shown for `text`. */
function shown(text: string): string {
  return configToYaml(loadConfig(text, F));
}

/**
 * The block of `yaml` that starts at the line `first`: the lines indented deeper, and the items of
 * a sequence at its own indentation (yaml.v2 does not indent them).
 */
function block(yaml: string, first: string): string {
  const lines = yaml.split('\n');
  const start = lines.indexOf(first);
  assert.notEqual(start, -1, `no line ${JSON.stringify(first)} in:\n${yaml}`);
  const indent = /^ */.exec(first)![0].length;
  const inside = (line: string): boolean => {
    const n = /^ */.exec(line)![0].length;
    return n > indent || (n === indent && line.startsWith('- ', n) && !first.startsWith('- ', n));
  };
  let end = start + 1;
  while (end < lines.length && lines[end] !== '' && inside(lines[end])) end++;
  return lines.slice(start, end).join('\n') + '\n';
}

test('an empty file shows the global defaults', () => {
  assert.equal(
    shown(''),
    y(
      'global:',
      '  scrape_interval: 1m',
      '  scrape_timeout: 10s',
      '  evaluation_interval: 1m',
      '  metric_name_validation_scheme: utf8',
      '  scrape_native_histograms: false',
    ),
  );
});

test('a job with only a name shows every default Prometheus fills in, in Go field order', () => {
  const out = shown(y('scrape_configs:', '  - job_name: node', '    static_configs: [{targets: [a:9100]}]'));
  assert.equal(
    out.slice(out.indexOf('scrape_configs:')),
    y(
      'scrape_configs:',
      '- job_name: node',
      '  honor_timestamps: true',
      '  track_timestamps_staleness: false',
      '  scrape_interval: 1m',
      '  scrape_timeout: 10s',
      '  scrape_protocols:',
      '  - OpenMetricsText1.0.0',
      '  - OpenMetricsText0.0.1',
      '  - PrometheusText1.0.0',
      '  - PrometheusText0.0.4',
      '  scrape_native_histograms: false',
      '  always_scrape_classic_histograms: false',
      '  convert_classic_histograms_to_nhcb: false',
      '  metrics_path: /metrics',
      '  scheme: http',
      '  enable_compression: true',
      '  metric_name_validation_scheme: utf8',
      '  metric_name_escaping_scheme: allow-utf-8',
      '  extra_scrape_metrics: false',
      '  follow_redirects: true',
      '  enable_http2: true',
      '  static_configs:',
      '  - targets:',
      '    - a:9100',
    ),
  );
});

test('a job inherits the global interval, timeout and limits and shows them', () => {
  const out = shown(
    y(
      'global: {scrape_interval: 15s, sample_limit: 100, body_size_limit: 1MB}',
      'scrape_configs: [{job_name: a}]',
    ),
  );
  const job = block(out, '- job_name: a');
  assert.match(job, /^ {2}scrape_interval: 15s\n {2}scrape_timeout: 10s\n/m);
  assert.match(job, /^ {2}body_size_limit: 1MiB\n {2}sample_limit: 100\n/m);
});

test('durations print as Prometheus prints them', () => {
  const cases: [written: string, printed: string][] = [
    ['90s', '1m30s'],
    ['5400s', '1h30m'],
    ['1h30m', '1h30m'],
    ['100ms', '100ms'],
    ['1500ms', '1s500ms'],
    ['24h', '1d'],
    ['14d', '2w'],
    ['0s', '0s'],
  ];
  for (const [written, printed] of cases) {
    const out = shown(
      y(
        'scrape_configs:',
        '  - job_name: a',
        '    file_sd_configs:',
        `      - {files: [a.json], refresh_interval: ${written}}`,
      ),
    );
    assert.match(out, new RegExp(`^ {4}refresh_interval: ${printed}$`, 'm'), written);
  }
});

test('byte sizes print as units.Base2Bytes does and read back the same', () => {
  for (const [written, printed] of [
    ['512B', '512B'],
    ['1KB', '1KiB'],
    ['1536B', '1KiB512B'],
    ['10MB', '10MiB'],
    ['2GiB', '2GiB'],
  ]) {
    const out = shown(y('global:', `  body_size_limit: ${written}`));
    assert.match(out, new RegExp(`^ {2}body_size_limit: ${printed}$`, 'm'), written);
    assert.equal(
      loadConfig(out, F).global.bodySizeLimit,
      loadConfig(y('global:', `  body_size_limit: ${written}`), F).global.bodySizeLimit,
    );
  }
});

test('secrets print as <secret>, URL passwords as xxxxx, never their values', async () => {
  const out = configToYaml(await loadConfigFile(EVERY_FIELD));
  const secrets = [
    'am-token',
    'scrape-password',
    'MIIBkey',
    'proxy-password',
    'c2VjcmV0',
    'consul-token',
    'consul-password',
    'sd-secret',
    'kube-secret',
    'write-password',
  ];
  for (const s of secrets) assert.ok(!out.includes(s), `${s} is shown`);
  const redacted = [
    '      credentials: <secret>', // authorization
    '    password: <secret>', // basic_auth
    '    key: <secret>', // tls_config, inline key
    '  proxy_url: http://proxy-user:xxxxx@proxy.example:3128',
    '    - <secret>', // proxy_connect_header
    '    token: <secret>', // consul
    '      client_secret: <secret>', // oauth2
    '  - api_server: https://kube-user:xxxxx@kubernetes.example:6443',
    '- url: https://writer:xxxxx@rw.example/api/v1/write',
  ];
  for (const line of redacted) assert.ok(out.split('\n').includes(line), `missing ${JSON.stringify(line)}`);
  // What is not secret stays readable: the inline CA and client certificate, file paths.
  assert.match(out, /^ {4}ca: \|\n {6}-----BEGIN CERTIFICATE-----\n {6}MIIBfake\n/m);
  assert.match(out, /^ {6}password_file: \/etc\/kube-password$/m);
  // An OAuth2 client without an inline secret shows it as null, as Prometheus does.
  assert.match(out, /^ {4}client_secret: null\n {4}client_secret_file: \/etc\/secret$/m);
});

test('relabel rules show their defaults', () => {
  const out = shown(
    y(
      'scrape_configs:',
      '  - job_name: a',
      '    relabel_configs:',
      '      - source_labels: [__address__]',
      '        target_label: instance',
      '      - action: labeldrop',
      '        regex: tmp_.*',
      '      - source_labels: [a, b]',
      '        target_label: shard',
      '        modulus: 4',
      '        action: hashmod',
      '      - target_label: team',
      '        replacement: ""',
    ),
  );
  assert.equal(
    block(out, '  relabel_configs:'),
    y(
      '  relabel_configs:',
      '  - source_labels: [__address__]',
      '    separator: ;',
      '    regex: (.*)',
      '    target_label: instance',
      '    replacement: $1',
      '    action: replace',
      '  - separator: ;',
      '    regex: tmp_.*',
      '    replacement: $1',
      '    action: labeldrop',
      '  - source_labels: [a, b]',
      '    separator: ;',
      '    regex: (.*)',
      '    modulus: 4',
      '    target_label: shard',
      '    replacement: $1',
      '    action: hashmod',
      // Go's omitempty would drop the empty replacement, which would then read back as $1.
      '  - separator: ;',
      '    regex: (.*)',
      '    target_label: team',
      '    replacement: ""',
      '    action: replace',
    ),
  );
});

test('every discovery kind shows under its *_sd_configs key, in name order, after the job fields', async () => {
  const out = configToYaml(await loadConfigFile(EVERY_FIELD));
  const job = block(out, '- job_name: everything');
  const keys = job
    .split('\n')
    .filter((l) => /^ {2}[a-z_]+:/.test(l))
    .map((l) => l.trim().split(':')[0]);
  assert.deepEqual(keys.slice(-8), [
    'relabel_configs',
    'metric_relabel_configs',
    'consul_sd_configs',
    'dns_sd_configs',
    'file_sd_configs',
    'http_sd_configs',
    'kubernetes_sd_configs',
    'static_configs',
  ]);
  assert.equal(
    block(job, '  dns_sd_configs:'),
    y(
      '  dns_sd_configs:',
      '  - names:',
      '    - _prometheus._tcp.example.org',
      '    refresh_interval: 30s',
      '    type: SRV',
      '    port: 0',
    ),
  );
  assert.equal(
    block(job, '  kubernetes_sd_configs:'),
    y(
      '  kubernetes_sd_configs:',
      '  - api_server: https://kube-user:xxxxx@kubernetes.example:6443',
      '    role: endpoints',
      '    kubeconfig_file: ""',
      '    basic_auth:',
      '      username: kube',
      '      password_file: /etc/kube-password',
      '    follow_redirects: true',
      '    enable_http2: true',
      '    namespaces:',
      '      own_namespace: false',
      '      names:',
      '      - default',
      '      - monitoring',
      '    selectors:',
      '    - role: pod',
      '      label: app=web',
      '      field: spec.nodeName=n1',
      '    attach_metadata:',
      '      node: true',
      '      namespace: true',
      '      deployment: false',
      '      job: false',
      '      cronjob: false',
      '  - role: pod',
      '    kubeconfig_file: /etc/kubeconfig',
      '    follow_redirects: true',
      '    enable_http2: true',
    ),
  );
  assert.match(job, /^ {2}- server: consul\.example:8500\n {4}path_prefix: \/consul\n/m);
  assert.match(job, /^ {2}- files:\n {4}- .*targets\/\*\.json\n/m);
  assert.match(job, /^ {2}- oauth2:\n/m); // http_sd_configs: the HTTP client fields come first
  assert.match(job, /^ {2}- targets: \[\]$/m);
});

test('empty and false optional fields are left out; set ones show', () => {
  const plain = block(shown(y('scrape_configs: [{job_name: a}]')), '- job_name: a');
  for (const key of [
    'honor_labels',
    'params',
    'sample_limit',
    'tls_config',
    'basic_auth',
    'relabel_configs',
    'fallback_scrape_protocol',
  ]) {
    assert.doesNotMatch(plain, new RegExp(`^ {2}${key}:`, 'm'), key);
  }
  const set = block(
    shown(
      y(
        'scrape_configs: [{job_name: a, honor_labels: true, sample_limit: 10, tls_config: {server_name: x}}]',
      ),
    ),
    '- job_name: a',
  );
  assert.match(set, /^ {2}honor_labels: true$/m);
  assert.match(set, /^ {2}sample_limit: 10$/m);
  assert.match(set, /^ {2}tls_config:\n {4}server_name: x\n {4}insecure_skip_verify: false$/m);
});

test('a field whose default is not zero shows when set to zero or false', () => {
  const out = shown(
    y(
      'remote_read:',
      '  - url: http://rr/',
      '    filter_external_labels: false',
      'remote_write:',
      '  - url: http://rw/',
      '    queue_config: {min_shards: 0}',
    ),
  );
  assert.match(out, /^ {2}filter_external_labels: false$/m);
  assert.match(out, /^ {4}min_shards: 0$/m);
});

test('map keys come in yaml.v2 order; strings that would read as other types are quoted', () => {
  const out = shown(
    y(
      'global:',
      '  external_labels: {b: "true", a10: x, a2: "1", B: "y", _x: "null", z: plain, a02: q}',
      '  query_log_file: "#c"',
    ),
  );
  // The order and quoting Prometheus 2.42 prints for these labels.
  assert.equal(
    block(out, '  external_labels:'),
    y(
      '  external_labels:',
      '    _x: "null"',
      '    B: "y"',
      '    a2: "1"',
      '    a02: q',
      '    a10: x',
      '    b: "true"',
      '    z: plain',
    ),
  );
  assert.match(out, /^ {2}query_log_file: '#c'$/m);
});

test('storage shows the out-of-order window when set, and is left out otherwise', () => {
  const set = configToYaml(loadConfig(y('storage: {tsdb: {out_of_order_time_window: 10m}}'), F));
  assert.match(set, /^storage:\n {2}tsdb:\n {4}out_of_order_time_window: 10m$/m);
  assert.doesNotMatch(configToYaml(loadConfig('', F)), /storage/);
});

test('goSortKeys: digit runs by value, a letter after any other character', () => {
  assert.deepEqual(goSortKeys(['b', 'a2', 'a10', '_a', 'B', 'a']), ['_a', 'B', 'a', 'a2', 'a10', 'b']);
});

/** Configurations the round trip covers, by name. */
async function roundTripCases(): Promise<[string, Config][]> {
  const inline: [string, string][] = [
    ['empty', ''],
    ['global only', y('global:', '  scrape_interval: 15s', '  external_labels: {dc: eu}')],
    ['legacy names', y('global: {metric_name_validation_scheme: legacy}', 'scrape_configs: [{job_name: a}]')],
    ['native histograms', y('scrape_configs: [{job_name: a, scrape_native_histograms: true}]')],
    [
      'relabel edge cases',
      y(
        'scrape_configs:',
        '  - job_name: a',
        '    relabel_configs:',
        '      - {target_label: t, replacement: "", separator: "", regex: ""}',
      ),
    ],
    ['alerting only', y('alerting: {alert_relabel_configs: [{action: labeldrop, regex: x}]}')],
    ['out-of-order window', y('storage:', '  tsdb:', '    out_of_order_time_window: 1h30m')],
  ];
  const cases: [string, Config][] = inline.map(([name, text]) => [name, loadConfig(text, F)]);
  for (const file of ['prometheus.yml', 'every-field.yml']) {
    cases.push([`testdata/${file}`, await loadConfigFile(`${REPO_ROOT}/src/config/testdata/${file}`)]);
  }
  return cases;
}

test('round trip: the YAML shown with secrets loads back into the same configuration', async () => {
  for (const [name, cfg] of await roundTripCases()) {
    const text = configToYaml(cfg, { showSecrets: true });
    assert.deepEqual(loadConfig(text, F), cfg, name);
  }
});

test('round trip: the redacted YAML loads and shows the same again', async () => {
  for (const [name, cfg] of await roundTripCases()) {
    const text = configToYaml(cfg);
    assert.equal(configToYaml(loadConfig(text, F)), text, name);
  }
});
