/**
 * The web configuration file of `--web.config.file` (Prometheus' exporter-toolkit format):
 * `tls_server_config`, `http_server_config` and `basic_auth_users`, decoded with positions so every
 * error names file:line:col. `parseWebConfig` checks the text alone; `loadWebConfigFile` also reads
 * the certificate, key and CA files it names, as `promtool check web-config` does.
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { ConfigError } from '../config/error.js';
import { Decoder } from '../config/decoder.js';
import type { YamlNode } from '../config/decoder.js';
import { bcryptHashError } from './bcrypt-hash.js';
import { CIPHER_SUITES, CURVES, TLS_VERSIONS, loadTlsMaterial } from './web-config-tls.js';
import type { TlsMaterial, TlsVersionName } from './web-config-tls.js';

/** Go's `tls.ClientAuthType` names (`RequireClientCert` is read as `RequireAnyClientCert`). */
export const CLIENT_AUTH_TYPES = [
  'NoClientCert',
  'RequestClientCert',
  'RequireAnyClientCert',
  'VerifyClientCertIfGiven',
  'RequireAndVerifyClientCert',
] as const;
export type ClientAuthType = (typeof CLIENT_AUTH_TYPES)[number];

/** `tls_server_config`, paths made absolute against the file's directory. */
export interface TlsServerConfig {
  certFile: string;
  keyFile: string;
  clientAuthType: ClientAuthType;
  clientCaFile: string;
  /** Subject alternative names a client certificate must carry one of; empty: any. */
  clientAllowedSans: string[];
  minVersion: TlsVersionName;
  maxVersion: TlsVersionName;
  /** Go's names, in preference order; empty: Node's defaults. */
  cipherSuites: string[];
  preferServerCipherSuites: boolean;
  /** Go's names (`X25519`, `CurveP256`, …), in preference order; empty: Node's defaults. */
  curvePreferences: string[];
}

/** `http_server_config`. */
export interface HttpServerConfig {
  http2: boolean;
  /** Extra response headers, by their canonical name; blank values are left out. */
  headers: Record<string, string>;
}

/** A decoded web configuration. */
export interface WebConfig {
  /** Undefined when the file configures no TLS (then the server speaks plain HTTP). */
  tls: TlsServerConfig | undefined;
  http: HttpServerConfig;
  /** User name → bcrypt hash; empty: no authentication. */
  users: ReadonlyMap<string, string>;
}

/** A web configuration with the TLS files it names read and checked. */
export interface LoadedWebConfig {
  config: WebConfig;
  /** The certificate, key and client CAs, when TLS is configured. */
  tls: TlsMaterial | undefined;
}

/**
 * The headers `http_server_config.headers` may set and, for some, the only values allowed (the
 * list is exporter-toolkit's, kept closed so the ecosystem stays consistent).
 */
const EXTRA_HEADERS: Readonly<Record<string, readonly string[] | undefined>> = {
  'Strict-Transport-Security': undefined,
  'X-Content-Type-Options': ['nosniff'],
  'X-Frame-Options': ['deny', 'sameorigin'],
  'X-XSS-Protection': undefined,
  'Content-Security-Policy': undefined,
};

/** Positions of the fields whose problems are found only when files are read. */
interface FieldNodes {
  certFile?: YamlNode;
  keyFile?: YamlNode;
  clientCaFile?: YamlNode;
}

/** Reads `path` and decodes it, then reads and checks the TLS files it names. */
export function loadWebConfigFile(path: string): LoadedWebConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError(`read ${path}: ${e instanceof Error ? e.message : String(e)}`, undefined, {
      cause: e,
    });
  }
  return loadWebConfig(text, path);
}

/** Decodes `text` (the contents of `file`) and reads the TLS files it names. */
export function loadWebConfig(text: string, file: string): LoadedWebConfig {
  const { config, nodes, decoder } = decode(text, file);
  if (config.tls === undefined) return { config, tls: undefined };
  const tlsMaterial = loadTlsMaterial(config.tls, (field, message, cause) => {
    const node =
      field === 'cert_file' ? nodes.certFile : field === 'key_file' ? nodes.keyFile : nodes.clientCaFile;
    return decoder.error(node, message, cause);
  });
  return { config, tls: tlsMaterial };
}

/**
 * Decodes `text` (the contents of `file`) without reading other files. Throws `ConfigError` naming
 * file:line:col for syntax errors, unknown fields, wrong types and invalid values.
 */
export function parseWebConfig(text: string, file: string): WebConfig {
  return decode(text, file).config;
}

function decode(text: string, file: string): { config: WebConfig; nodes: FieldNodes; decoder: Decoder } {
  const d = Decoder.parse(text, file);
  const nodes: FieldNodes = {};
  const config: WebConfig = { tls: undefined, http: { http2: true, headers: {} }, users: new Map() };
  d.struct(d.root, 'web.Config', {
    tls_server_config: (v) => (config.tls = decodeTls(d, v, nodes, dirname(file))),
    http_server_config: (v) => (config.http = decodeHttp(d, v)),
    basic_auth_users: (v) => (config.users = decodeUsers(d, v)),
  });
  return { config, nodes, decoder: d };
}

function decodeTls(d: Decoder, node: YamlNode, nodes: FieldNodes, dir: string): TlsServerConfig | undefined {
  const c: TlsServerConfig = {
    certFile: '',
    keyFile: '',
    clientAuthType: 'NoClientCert',
    clientCaFile: '',
    clientAllowedSans: [],
    minVersion: 'TLS12',
    maxVersion: 'TLS13',
    cipherSuites: [],
    preferServerCipherSuites: true,
    curvePreferences: [],
  };
  let authNode: YamlNode;
  let authText = '';
  let sansNode: YamlNode;
  const version = (v: YamlNode): TlsVersionName =>
    d.oneOf(v, Object.keys(TLS_VERSIONS) as TlsVersionName[], (s) => `unknown TLS version: ${s}`);
  d.struct(node, 'web.TLSConfig', {
    cert_file: (v) => {
      nodes.certFile = v;
      c.certFile = joinDir(dir, d.string(v));
    },
    key_file: (v) => {
      nodes.keyFile = v;
      c.keyFile = joinDir(dir, d.string(v));
    },
    client_auth_type: (v) => {
      authNode = v;
      authText = d.string(v);
    },
    client_ca_file: (v) => {
      nodes.clientCaFile = v;
      c.clientCaFile = joinDir(dir, d.string(v));
    },
    client_allowed_sans: (v) => {
      sansNode = v;
      c.clientAllowedSans = d.strings(v);
    },
    min_version: (v) => (c.minVersion = version(v)),
    max_version: (v) => (c.maxVersion = version(v)),
    cipher_suites: (v) =>
      (c.cipherSuites = d.list(v, '[]web.Cipher', (n) =>
        d.oneOf(n, Object.keys(CIPHER_SUITES), (s) => `unknown cipher: ${s}`),
      )),
    prefer_server_cipher_suites: (v) => (c.preferServerCipherSuites = d.bool(v)),
    curve_preferences: (v) =>
      (c.curvePreferences = d.list(v, '[]web.Curve', (n) =>
        d.oneOf(n, Object.keys(CURVES), (s) => `unknown curve: ${s}`),
      )),
  });
  // As exporter-toolkit: TLS is on when any of these is set, and then needs a certificate and key.
  if (c.certFile === '' && c.keyFile === '' && authText === '' && c.clientCaFile === '') {
    if (sansNode !== undefined && c.clientAllowedSans.length > 0)
      throw d.error(sansNode, 'client_allowed_sans needs TLS with client_auth_type set');
    return undefined;
  }
  if (c.certFile === '') throw d.error(node, 'missing cert_file');
  if (c.keyFile === '') throw d.error(node, 'missing key_file');
  if (authText === 'RequireClientCert') c.clientAuthType = 'RequireAnyClientCert';
  else if (authText !== '') {
    const found = CLIENT_AUTH_TYPES.find((t) => t === authText);
    if (found === undefined) throw d.error(authNode, `Invalid ClientAuth: ${authText}`);
    c.clientAuthType = found;
  }
  if (c.clientCaFile !== '' && c.clientAuthType === 'NoClientCert')
    throw d.error(nodes.clientCaFile, "Client CA's have been configured without a Client Auth Policy");
  if (
    c.clientAllowedSans.length > 0 &&
    c.clientAuthType !== 'RequireAnyClientCert' &&
    c.clientAuthType !== 'RequireAndVerifyClientCert'
  ) {
    throw d.error(
      sansNode,
      'client_allowed_sans requires client_auth_type to be one of RequireAnyClientCert or RequireAndVerifyClientCert',
    );
  }
  return c;
}

function decodeHttp(d: Decoder, node: YamlNode): HttpServerConfig {
  const c: HttpServerConfig = { http2: true, headers: {} };
  d.struct(node, 'web.HTTPConfig', {
    http2: (v) => (c.http2 = d.bool(v)),
    headers: (v) => {
      for (const e of d.entries(v, 'map[string]string')) {
        const value = d.string(e.value);
        if (!Object.hasOwn(EXTRA_HEADERS, e.key))
          throw d.error(e.keyNode, `HTTP header ${JSON.stringify(e.key)} can not be configured`);
        const allowed = EXTRA_HEADERS[e.key];
        if (allowed !== undefined && !allowed.includes(value)) {
          const list = allowed.map((a) => JSON.stringify(a)).join(' ');
          throw d.error(
            e.value ?? e.keyNode,
            `invalid value for ${e.key}. Expected one of: [${list}], but got: ${JSON.stringify(value)}`,
          );
        }
        if (value !== '') c.headers[e.key] = value;
      }
    },
  });
  return c;
}

function decodeUsers(d: Decoder, node: YamlNode): Map<string, string> {
  const users = new Map<string, string>();
  for (const e of d.entries(node, 'map[string]config.Secret')) {
    const hash = d.string(e.value);
    const problem = bcryptHashError(hash);
    if (problem !== undefined)
      throw d.error(e.value ?? e.keyNode, `user ${JSON.stringify(e.key)}: ${problem}`);
    users.set(e.key, hash);
  }
  return users;
}

/** Go's `config.JoinDir`: relative paths are relative to the configuration file's directory. */
function joinDir(dir: string, path: string): string {
  return path === '' || isAbsolute(path) ? path : join(dir, path);
}
