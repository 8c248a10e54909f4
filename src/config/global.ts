/** The `global` block: defaults for every scrape config, rule evaluation and external labels. */
import type { NameValidationScheme } from '../model/index.js';
import type { Decoder, FieldHandlers, YamlNode } from './decoder.js';

/** Exposition formats a scrape may negotiate, as Prometheus names them. */
export const SCRAPE_PROTOCOLS = [
  'PrometheusProto',
  'OpenMetricsText0.0.1',
  'OpenMetricsText1.0.0',
  'PrometheusText0.0.4',
  'PrometheusText1.0.0',
] as const;

/** One of `SCRAPE_PROTOCOLS`. */
export type ScrapeProtocol = (typeof SCRAPE_PROTOCOLS)[number];

/** The `global` block, defaults applied. Durations are milliseconds. */
export interface GlobalConfig {
  scrapeInterval: number;
  scrapeTimeout: number;
  /** Undefined: negotiated by `scrape_native_histograms`, as Prometheus does. */
  scrapeProtocols: ScrapeProtocol[] | undefined;
  evaluationInterval: number;
  ruleQueryOffset: number;
  externalLabels: Record<string, string>;
  queryLogFile: string;
  scrapeFailureLogFile: string;
  bodySizeLimit: number;
  sampleLimit: number;
  labelLimit: number;
  labelNameLengthLimit: number;
  labelValueLengthLimit: number;
  targetLimit: number;
  keepDroppedTargets: number;
  metricNameValidationScheme: NameValidationScheme;
  metricNameEscapingScheme: string;
  scrapeNativeHistograms: boolean;
  convertClassicHistogramsToNhcb: boolean;
  alwaysScrapeClassicHistograms: boolean;
  extraScrapeMetrics: boolean;
}

/** Prometheus' defaults: scrape every 1m with a 10s timeout, evaluate every 1m. */
export function defaultGlobalConfig(): GlobalConfig {
  return {
    scrapeInterval: 60_000,
    scrapeTimeout: 10_000,
    scrapeProtocols: undefined,
    evaluationInterval: 60_000,
    ruleQueryOffset: 0,
    externalLabels: {},
    queryLogFile: '',
    scrapeFailureLogFile: '',
    bodySizeLimit: 0,
    sampleLimit: 0,
    labelLimit: 0,
    labelNameLengthLimit: 0,
    labelValueLengthLimit: 0,
    targetLimit: 0,
    keepDroppedTargets: 0,
    metricNameValidationScheme: 'utf8',
    metricNameEscapingScheme: '',
    scrapeNativeHistograms: false,
    convertClassicHistogramsToNhcb: false,
    alwaysScrapeClassicHistograms: false,
    extraScrapeMetrics: false,
  };
}

/** What a scrape config inherits from `global` unless it sets its own: limits, name and histogram handling. */
export type InheritedScrapeSettings = Pick<
  GlobalConfig,
  | 'scrapeFailureLogFile'
  | 'bodySizeLimit'
  | 'sampleLimit'
  | 'labelLimit'
  | 'labelNameLengthLimit'
  | 'labelValueLengthLimit'
  | 'targetLimit'
  | 'keepDroppedTargets'
  | 'metricNameValidationScheme'
  | 'metricNameEscapingScheme'
  | 'scrapeNativeHistograms'
  | 'convertClassicHistogramsToNhcb'
  | 'alwaysScrapeClassicHistograms'
  | 'extraScrapeMetrics'
>;

/** The inherited settings of `g`, as a scrape config starts from them. */
export function inheritedScrapeSettings(g: GlobalConfig): InheritedScrapeSettings {
  return {
    scrapeFailureLogFile: g.scrapeFailureLogFile,
    bodySizeLimit: g.bodySizeLimit,
    sampleLimit: g.sampleLimit,
    labelLimit: g.labelLimit,
    labelNameLengthLimit: g.labelNameLengthLimit,
    labelValueLengthLimit: g.labelValueLengthLimit,
    targetLimit: g.targetLimit,
    keepDroppedTargets: g.keepDroppedTargets,
    metricNameValidationScheme: g.metricNameValidationScheme,
    metricNameEscapingScheme: g.metricNameEscapingScheme,
    scrapeNativeHistograms: g.scrapeNativeHistograms,
    convertClassicHistogramsToNhcb: g.convertClassicHistogramsToNhcb,
    alwaysScrapeClassicHistograms: g.alwaysScrapeClassicHistograms,
    extraScrapeMetrics: g.extraScrapeMetrics,
  };
}

/** The YAML fields of the inherited settings, the same in `global` and in a scrape config. */
export function inheritedScrapeFields(d: Decoder, c: InheritedScrapeSettings): FieldHandlers {
  return {
    scrape_failure_log_file: (v) => (c.scrapeFailureLogFile = d.string(v)),
    body_size_limit: (v) => (c.bodySizeLimit = d.size(v)),
    sample_limit: (v) => (c.sampleLimit = d.uint(v)),
    label_limit: (v) => (c.labelLimit = d.uint(v)),
    label_name_length_limit: (v) => (c.labelNameLengthLimit = d.uint(v)),
    label_value_length_limit: (v) => (c.labelValueLengthLimit = d.uint(v)),
    target_limit: (v) => (c.targetLimit = d.uint(v)),
    keep_dropped_targets: (v) => (c.keepDroppedTargets = d.uint(v)),
    metric_name_validation_scheme: (v) => (c.metricNameValidationScheme = decodeValidationScheme(d, v)),
    metric_name_escaping_scheme: (v) => (c.metricNameEscapingScheme = d.string(v)),
    scrape_native_histograms: (v) => (c.scrapeNativeHistograms = d.bool(v)),
    convert_classic_histograms_to_nhcb: (v) => (c.convertClassicHistogramsToNhcb = d.bool(v)),
    always_scrape_classic_histograms: (v) => (c.alwaysScrapeClassicHistograms = d.bool(v)),
    extra_scrape_metrics: (v) => (c.extraScrapeMetrics = d.bool(v)),
  };
}

/** A `scrape_protocols` list: known names, no duplicates. */
export function decodeScrapeProtocols(d: Decoder, node: YamlNode): ScrapeProtocol[] {
  const seen = new Set<string>();
  return d.list(node, '[]config.ScrapeProtocol', (n) => {
    const p = d.oneOf(
      n,
      SCRAPE_PROTOCOLS,
      (s) => `unknown scrape protocol ${s}, supported: [${SCRAPE_PROTOCOLS.join(' ')}]`,
    );
    if (seen.has(p)) throw d.error(n, `duplicated protocol in scrape_protocols, got ${p}`);
    seen.add(p);
    return p;
  });
}

/** `metric_name_validation_scheme`: empty means `utf8`. */
export function decodeValidationScheme(d: Decoder, node: YamlNode): NameValidationScheme {
  const s = d.string(node);
  if (s === '' || s === 'utf8') return 'utf8';
  if (s === 'legacy') return 'legacy';
  throw d.error(
    node,
    `unknown name validation method specified, must be either '', 'legacy' or 'utf8', got ${s}`,
  );
}

/** Decodes `global`; `env` expands `$var` in external label values, as Prometheus 3 does. */
export function decodeGlobalConfig(
  d: Decoder,
  node: YamlNode,
  env: Readonly<Record<string, string | undefined>>,
): GlobalConfig {
  const g = defaultGlobalConfig();
  let intervalSet = false;
  let timeoutSet = false;
  let labelsNode: YamlNode;
  d.struct(node, 'config.GlobalConfig', {
    scrape_interval: (v) => {
      g.scrapeInterval = d.duration(v);
      intervalSet = g.scrapeInterval !== 0;
    },
    scrape_timeout: (v) => {
      g.scrapeTimeout = d.duration(v);
      timeoutSet = g.scrapeTimeout !== 0;
    },
    scrape_protocols: (v) => (g.scrapeProtocols = decodeScrapeProtocols(d, v)),
    evaluation_interval: (v) => (g.evaluationInterval = d.duration(v) || 60_000),
    rule_query_offset: (v) => (g.ruleQueryOffset = d.duration(v)),
    external_labels: (v) => (labelsNode = v),
    query_log_file: (v) => (g.queryLogFile = d.string(v)),
    ...inheritedScrapeFields(d, g),
  });
  if (!intervalSet) g.scrapeInterval = 60_000;
  if (timeoutSet && g.scrapeTimeout > g.scrapeInterval) {
    throw d.error(node, 'global scrape timeout greater than scrape interval');
  }
  if (!timeoutSet) g.scrapeTimeout = Math.min(10_000, g.scrapeInterval);
  for (const e of d.entries(labelsNode, 'labels.Labels')) {
    const name = d.labelName(e.keyNode);
    if (name === '__name__') throw d.error(e.keyNode, `"__name__" is not a valid label name`);
    const value = expandEnv(d.string(e.value), env);
    if (value !== '') g.externalLabels[name] = value;
  }
  return g;
}

/** Go's `os.Expand` with the environment: `$var`, `${var}`, `$$` → `$`; unset → empty. */
export function expandEnv(s: string, env: Readonly<Record<string, string | undefined>>): string {
  return s.replace(
    /\$(\$|\{([^}]*)\}|([A-Za-z0-9_]+))/g,
    (whole, _m: string, braced?: string, bare?: string) => {
      if (whole === '$$') return '$';
      return env[braced ?? bare ?? ''] ?? '';
    },
  );
}
