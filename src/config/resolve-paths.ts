/**
 * Relative file paths in a configuration are relative to the configuration file's directory, as
 * Prometheus' `SetDirectory` makes them. Applied by `loadConfigFile`, not by `loadConfig`.
 */
import path from 'node:path';
import type { ServiceDiscoveryConfigs } from './discovery.js';
import type { HTTPClientConfig, TLSConfig } from './http-client.js';
import type { Config } from './load.js';

/** `p` joined to `dir` unless empty or absolute (Prometheus' `JoinDir`). */
export function joinDir(dir: string, p: string): string {
  return p === '' || path.isAbsolute(p) ? p : path.join(dir, p);
}

/** Rewrites every file path field of `cfg` in place to be relative to `dir`. */
export function resolvePaths(cfg: Config, dir: string): void {
  const j = (p: string): string => joinDir(dir, p);
  cfg.ruleFiles = cfg.ruleFiles.map(j);
  cfg.scrapeConfigFiles = cfg.scrapeConfigFiles.map(j);
  cfg.global.queryLogFile = j(cfg.global.queryLogFile);
  cfg.global.scrapeFailureLogFile = j(cfg.global.scrapeFailureLogFile);
  for (const s of cfg.scrapeConfigs) {
    s.scrapeFailureLogFile = j(s.scrapeFailureLogFile);
    resolveHTTP(s.httpClient, j);
    resolveSD(s, j);
  }
  for (const am of cfg.alerting.alertmanagers) {
    resolveHTTP(am.httpClient, j);
    resolveSD(am, j);
  }
  for (const w of cfg.remoteWrite) resolveHTTP(w.httpClient, j);
  for (const r of cfg.remoteRead) resolveHTTP(r.httpClient, j);
}

function resolveSD(sd: ServiceDiscoveryConfigs, j: (p: string) => string): void {
  for (const f of sd.fileSdConfigs) f.files = f.files.map(j);
  for (const h of sd.httpSdConfigs) resolveHTTP(h.httpClient, j);
  for (const c of sd.consulSdConfigs) resolveHTTP(c.httpClient, j);
  for (const k of sd.kubernetesSdConfigs) {
    k.kubeconfigFile = j(k.kubeconfigFile);
    resolveHTTP(k.httpClient, j);
  }
}

function resolveHTTP(h: HTTPClientConfig, j: (p: string) => string): void {
  if (h.basicAuth) {
    h.basicAuth.usernameFile = j(h.basicAuth.usernameFile);
    h.basicAuth.passwordFile = j(h.basicAuth.passwordFile);
  }
  if (h.authorization) h.authorization.credentialsFile = j(h.authorization.credentialsFile);
  if (h.oauth2) {
    h.oauth2.clientSecretFile = j(h.oauth2.clientSecretFile);
    resolveTLS(h.oauth2.tlsConfig, j);
  }
  resolveTLS(h.tlsConfig, j);
}

function resolveTLS(t: TLSConfig, j: (p: string) => string): void {
  t.caFile = j(t.caFile);
  t.certFile = j(t.certFile);
  t.keyFile = j(t.keyFile);
}
