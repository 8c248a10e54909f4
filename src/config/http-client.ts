/** The HTTP client settings shared by scrape configs, discovery, alerting and remote storage. */
import type { Decoder, FieldHandlers, YamlNode } from './decoder.js';

/** `basic_auth`. */
export interface BasicAuth {
  username: string;
  usernameFile: string;
  password: string;
  passwordFile: string;
}

/** `authorization`: the header `Authorization: <type> <credentials>`. */
export interface Authorization {
  type: string;
  credentials: string;
  credentialsFile: string;
}

/** `tls_config`. */
export interface TLSConfig {
  ca: string;
  caFile: string;
  cert: string;
  certFile: string;
  key: string;
  keyFile: string;
  serverName: string;
  insecureSkipVerify: boolean;
  minVersion: string;
  maxVersion: string;
}

/** `oauth2`. */
export interface OAuth2 {
  clientId: string;
  clientSecret: string;
  clientSecretFile: string;
  scopes: string[];
  tokenUrl: string;
  endpointParams: Record<string, string>;
  tlsConfig: TLSConfig;
  proxyUrl: string;
}

/** `http_config`: how to reach an HTTP endpoint. */
export interface HTTPClientConfig {
  basicAuth: BasicAuth | undefined;
  authorization: Authorization | undefined;
  oauth2: OAuth2 | undefined;
  tlsConfig: TLSConfig;
  followRedirects: boolean;
  enableHttp2: boolean;
  proxyUrl: string;
  noProxy: string;
  proxyFromEnvironment: boolean;
  proxyConnectHeader: Record<string, string[]>;
}

/** The defaults: follow redirects, HTTP/2 on, no auth, no proxy. */
export function defaultHTTPClientConfig(): HTTPClientConfig {
  return {
    basicAuth: undefined,
    authorization: undefined,
    oauth2: undefined,
    tlsConfig: defaultTLSConfig(),
    followRedirects: true,
    enableHttp2: true,
    proxyUrl: '',
    noProxy: '',
    proxyFromEnvironment: false,
    proxyConnectHeader: {},
  };
}

function defaultTLSConfig(): TLSConfig {
  return {
    ca: '',
    caFile: '',
    cert: '',
    certFile: '',
    key: '',
    keyFile: '',
    serverName: '',
    insecureSkipVerify: false,
    minVersion: '',
    maxVersion: '',
  };
}

const TLS_VERSIONS = ['TLS10', 'TLS11', 'TLS12', 'TLS13'] as const;

/**
 * The handlers for the HTTP client fields, for inlining into a struct that embeds them (as
 * Prometheus' scrape config does). `node` positions the cross-field checks.
 */
export function httpClientFields(d: Decoder, c: HTTPClientConfig): FieldHandlers {
  return {
    basic_auth: (v) => (c.basicAuth = decodeBasicAuth(d, v)),
    authorization: (v) => (c.authorization = decodeAuthorization(d, v)),
    oauth2: (v) => (c.oauth2 = decodeOAuth2(d, v)),
    tls_config: (v) => (c.tlsConfig = decodeTLSConfig(d, v)),
    follow_redirects: (v) => (c.followRedirects = d.bool(v)),
    enable_http2: (v) => (c.enableHttp2 = d.bool(v)),
    proxy_url: (v) => (c.proxyUrl = proxyURL(d, v)),
    no_proxy: (v) => (c.noProxy = d.string(v)),
    proxy_from_environment: (v) => (c.proxyFromEnvironment = d.bool(v)),
    proxy_connect_header: (v) => {
      for (const e of d.entries(v, 'config.ProxyHeader')) c.proxyConnectHeader[e.key] = d.strings(e.value);
    },
  };
}

/** Checks what Prometheus' `HTTPClientConfig.Validate` checks; errors are placed at `node`. */
export function validateHTTPClientConfig(d: Decoder, node: YamlNode, c: HTTPClientConfig): void {
  const auths = [c.basicAuth, c.authorization, c.oauth2].filter((a) => a !== undefined).length;
  if (auths > 1) throw d.error(node, 'at most one of basic_auth, oauth2 & authorization must be configured');
  if ((c.proxyUrl !== '' || c.noProxy !== '') && c.proxyFromEnvironment) {
    throw d.error(node, 'if proxy_from_environment is configured, proxy_url must not be configured');
  }
  if (c.noProxy !== '' && c.proxyUrl === '')
    throw d.error(node, 'if no_proxy is configured, proxy_url must also be configured');
}

/** A standalone `http_config` block (no other fields). */
export function decodeHTTPClientConfig(d: Decoder, node: YamlNode): HTTPClientConfig {
  const c = defaultHTTPClientConfig();
  d.struct(node, 'config.HTTPClientConfig', httpClientFields(d, c));
  validateHTTPClientConfig(d, node, c);
  return c;
}

function proxyURL(d: Decoder, v: YamlNode): string {
  const s = d.string(v);
  if (s !== '' && !URL.canParse(s)) throw d.error(v, `parse "${s}": invalid URL`);
  return s;
}

function decodeBasicAuth(d: Decoder, node: YamlNode): BasicAuth | undefined {
  if (!d.isSet(node)) return undefined;
  const b: BasicAuth = { username: '', usernameFile: '', password: '', passwordFile: '' };
  d.struct(node, 'config.BasicAuth', {
    username: (v) => (b.username = d.string(v)),
    username_file: (v) => (b.usernameFile = d.string(v)),
    password: (v) => (b.password = d.string(v)),
    password_file: (v) => (b.passwordFile = d.string(v)),
  });
  if (b.username !== '' && b.usernameFile !== '') {
    throw d.error(node, 'at most one of basic_auth username & username_file must be configured');
  }
  if (b.password !== '' && b.passwordFile !== '') {
    throw d.error(node, 'at most one of basic_auth password & password_file must be configured');
  }
  return b;
}

function decodeAuthorization(d: Decoder, node: YamlNode): Authorization | undefined {
  if (!d.isSet(node)) return undefined;
  const a: Authorization = { type: '', credentials: '', credentialsFile: '' };
  d.struct(node, 'config.Authorization', {
    type: (v) => (a.type = d.string(v)),
    credentials: (v) => (a.credentials = d.string(v)),
    credentials_file: (v) => (a.credentialsFile = d.string(v)),
  });
  if (a.type === '') a.type = 'Bearer';
  if (a.type.toLowerCase() === 'basic') {
    throw d.error(node, `authorization type cannot be set to "basic", use "basic_auth" instead`);
  }
  if (a.credentials !== '' && a.credentialsFile !== '') {
    throw d.error(node, 'at most one of authorization credentials & credentials_file must be configured');
  }
  return a;
}

function decodeOAuth2(d: Decoder, node: YamlNode): OAuth2 | undefined {
  if (!d.isSet(node)) return undefined;
  const o: OAuth2 = {
    clientId: '',
    clientSecret: '',
    clientSecretFile: '',
    scopes: [],
    tokenUrl: '',
    endpointParams: {},
    tlsConfig: defaultTLSConfig(),
    proxyUrl: '',
  };
  d.struct(node, 'config.OAuth2', {
    client_id: (v) => (o.clientId = d.string(v)),
    client_secret: (v) => (o.clientSecret = d.string(v)),
    client_secret_file: (v) => (o.clientSecretFile = d.string(v)),
    scopes: (v) => (o.scopes = d.strings(v)),
    token_url: (v) => (o.tokenUrl = d.string(v)),
    endpoint_params: (v) => (o.endpointParams = d.stringMap(v)),
    tls_config: (v) => (o.tlsConfig = decodeTLSConfig(d, v)),
    proxy_url: (v) => (o.proxyUrl = proxyURL(d, v)),
  });
  if (o.clientSecret !== '' && o.clientSecretFile !== '') {
    throw d.error(node, 'at most one of oauth2 client_secret & client_secret_file must be configured');
  }
  return o;
}

/** A `tls_config` block. */
export function decodeTLSConfig(d: Decoder, node: YamlNode): TLSConfig {
  const t = defaultTLSConfig();
  const version = (v: YamlNode): string => d.oneOf(v, TLS_VERSIONS, (s) => `unknown TLS version: ${s}`);
  d.struct(node, 'config.TLSConfig', {
    ca: (v) => (t.ca = d.string(v)),
    ca_file: (v) => (t.caFile = d.string(v)),
    cert: (v) => (t.cert = d.string(v)),
    cert_file: (v) => (t.certFile = d.string(v)),
    key: (v) => (t.key = d.string(v)),
    key_file: (v) => (t.keyFile = d.string(v)),
    server_name: (v) => (t.serverName = d.string(v)),
    insecure_skip_verify: (v) => (t.insecureSkipVerify = d.bool(v)),
    min_version: (v) => (t.minVersion = version(v)),
    max_version: (v) => (t.maxVersion = version(v)),
  });
  const pairs: [string, string, string][] = [
    ['ca', t.ca, t.caFile],
    ['cert', t.cert, t.certFile],
    ['key', t.key, t.keyFile],
  ];
  for (const [name, inline, file] of pairs) {
    if (inline !== '' && file !== '')
      throw d.error(node, `at most one of ${name} and ${name}_file must be configured`);
  }
  const hasCert = t.cert !== '' || t.certFile !== '';
  const hasKey = t.key !== '' || t.keyFile !== '';
  if (hasCert && !hasKey) {
    throw d.error(
      node,
      'exactly one of key or key_file must be configured when a client certificate is configured',
    );
  }
  if (hasKey && !hasCert) {
    throw d.error(
      node,
      'exactly one of cert or cert_file must be configured when a client key is configured',
    );
  }
  return t;
}
