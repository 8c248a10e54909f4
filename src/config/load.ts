/** Loading `prometheus.yml`: YAML to a typed, validated `Config` with defaults applied. */
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { decodeAlertingConfig } from './alerting.js';
import type { AlertingConfig } from './alerting.js';
import { Decoder } from './decoder.js';
import type { YamlNode } from './decoder.js';
import { ConfigError } from './error.js';
import { decodeGlobalConfig, defaultGlobalConfig } from './global.js';
import type { GlobalConfig } from './global.js';
import { decodeRemoteRead, decodeRemoteWrite } from './remote.js';
import type { RemoteReadConfig, RemoteWriteConfig } from './remote.js';
import { resolvePaths } from './resolve-paths.js';
import { decodeStorageConfig, defaultStorageConfig } from './storage.js';
import type { StorageConfig } from './storage.js';
import { decodeScrapeConfig } from './scrape.js';
import type { ScrapeConfig } from './scrape.js';

/** A loaded `prometheus.yml`. */
export interface Config {
  global: GlobalConfig;
  /** Rule file paths or globs; `loadConfigFile` makes relative ones relative to the file's directory. */
  ruleFiles: string[];
  /** Further scrape config files (globs), as written; not loaded yet. */
  scrapeConfigFiles: string[];
  scrapeConfigs: ScrapeConfig[];
  alerting: AlertingConfig;
  remoteWrite: RemoteWriteConfig[];
  remoteRead: RemoteReadConfig[];
  storage: StorageConfig;
}

/** How a configuration is loaded. */
export interface LoadConfigOptions {
  /** Variables for `$var` in external label values (Prometheus 3 expands them). */
  env: Readonly<Record<string, string | undefined>>;
}

/** No environment: loading is deterministic unless the caller passes `process.env`. */
export function defaultLoadConfigOptions(): LoadConfigOptions {
  return { env: {} };
}

/** The configuration of an empty file. */
export function defaultConfig(): Config {
  return {
    global: defaultGlobalConfig(),
    ruleFiles: [],
    scrapeConfigFiles: [],
    scrapeConfigs: [],
    alerting: { alertRelabelConfigs: [], alertmanagers: [] },
    remoteWrite: [],
    remoteRead: [],
    storage: defaultStorageConfig(),
  };
}

/**
 * Reads and loads the file at `path`; errors name `path`. Relative file paths in it are made
 * relative to its directory, as Prometheus does.
 */
export async function loadConfigFile(path: string, options = defaultLoadConfigOptions()): Promise<Config> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new ConfigError(`read ${path}: ${e instanceof Error ? e.message : String(e)}`, undefined, {
      cause: e,
    });
  }
  const cfg = loadConfig(text, path, options);
  resolvePaths(cfg, dirname(path));
  return cfg;
}

/**
 * Parses `text` (the contents of `file`) into a `Config`. Throws `ConfigError` naming
 * file:line:col for syntax errors, unknown fields, wrong types and invalid values.
 */
export function loadConfig(text: string, file: string, options = defaultLoadConfigOptions()): Config {
  const d = Decoder.parse(text, file);
  const cfg = defaultConfig();
  const root: YamlNode = d.root;
  let globalNode: YamlNode;
  let scrapeNode: YamlNode;
  let alertingNode: YamlNode;
  let writeNode: YamlNode;
  let readNode: YamlNode;
  const accept = (): void => undefined;
  d.struct(root, 'config.Config', {
    global: (v) => (globalNode = v),
    rule_files: (v) => {
      cfg.ruleFiles = d.list(v, '[]string', (n) => {
        const p = d.string(n);
        if (p.includes('[') && !p.includes(']')) throw d.error(n, `invalid rule file path "${p}"`);
        return p;
      });
    },
    scrape_config_files: (v) => (cfg.scrapeConfigFiles = d.strings(v)),
    scrape_configs: (v) => (scrapeNode = v),
    alerting: (v) => (alertingNode = v),
    remote_write: (v) => (writeNode = v),
    remote_read: (v) => (readNode = v),
    storage: (v) => (cfg.storage = decodeStorageConfig(d, v)),
    // Known to Prometheus, not used by Vigil: accepted so that files load unchanged.
    runtime: accept,
    tracing: accept,
    otlp: accept,
  });
  // The global block first: scrape configs inherit from it wherever it appears in the file.
  cfg.global = decodeGlobalConfig(d, globalNode, options.env);
  d.scheme = cfg.global.metricNameValidationScheme;
  const jobs = new Set<string>();
  cfg.scrapeConfigs = d.list(scrapeNode, '[]*config.ScrapeConfig', (n) => {
    const sc = decodeScrapeConfig(d, n, cfg.global);
    if (jobs.has(sc.jobName)) throw d.error(n, `found multiple scrape configs with job name "${sc.jobName}"`);
    jobs.add(sc.jobName);
    return sc;
  });
  cfg.alerting = decodeAlertingConfig(d, alertingNode);
  cfg.remoteWrite = d.list(writeNode, '[]*config.RemoteWriteConfig', (n) => decodeRemoteWrite(d, n));
  cfg.remoteRead = d.list(readNode, '[]*config.RemoteReadConfig', (n) => decodeRemoteRead(d, n));
  checkUniqueNames(d, writeNode, cfg.remoteWrite, 'remote write');
  checkUniqueNames(d, readNode, cfg.remoteRead, 'remote read');
  return cfg;
}

function checkUniqueNames(d: Decoder, node: YamlNode, list: readonly { name: string }[], kind: string): void {
  const seen = new Set<string>();
  for (const { name } of list) {
    if (name === '') continue;
    if (seen.has(name)) throw d.error(node, `found multiple ${kind} configs with job name "${name}"`);
    seen.add(name);
  }
}
