/**
 * The HTTP client settings written back as prometheus/common's `HTTPClientConfig` marshals them:
 * inlined into the struct that embeds them, secrets redacted.
 */
import type { YAMLMap } from 'yaml';
import type { Authorization, BasicAuth, HTTPClientConfig, OAuth2, TLSConfig } from './http-client.js';
import type { Field } from './serialize-nodes.js';
import {
  bool,
  mapOmit,
  redactedURL,
  secretOmit,
  SECRET_TOKEN,
  secretOrNull,
  str,
  stringMapOmit,
  strList,
  strListOmit,
  strOmit,
  struct,
} from './serialize-nodes.js';

/** The fields of an `http_config`, to inline into the enclosing struct; `show` prints secrets. */
export function httpClientFields(h: HTTPClientConfig, show: boolean): Field[] {
  return [
    ['basic_auth', h.basicAuth && basicAuth(h.basicAuth, show)],
    ['authorization', h.authorization && authorization(h.authorization, show)],
    ['oauth2', h.oauth2 && oauth2(h.oauth2, show)],
    ['tls_config', tlsConfigOmit(h.tlsConfig, show)],
    // Never omitted, so that `false` shows.
    ['follow_redirects', bool(h.followRedirects)],
    ['enable_http2', bool(h.enableHttp2)],
    ...proxyFields(h.proxyUrl, h.noProxy, h.proxyFromEnvironment, h.proxyConnectHeader, show),
  ];
}

function proxyFields(
  url: string,
  noProxy: string,
  fromEnvironment: boolean,
  connectHeader: Readonly<Record<string, string[]>>,
  show: boolean,
): Field[] {
  return [
    ['proxy_url', url === '' ? undefined : redactedURL(url, show)],
    ['no_proxy', strOmit(noProxy)],
    ['proxy_from_environment', fromEnvironment ? bool(true) : undefined],
    // Header values are secrets: they often carry proxy credentials.
    ['proxy_connect_header', mapOmit(connectHeader, (v) => strList(show ? v : v.map(() => SECRET_TOKEN)))],
  ];
}

function basicAuth(b: BasicAuth, show: boolean): YAMLMap {
  return struct([
    ['username', str(b.username)],
    ['username_file', strOmit(b.usernameFile)],
    ['password', secretOmit(b.password, show)],
    ['password_file', strOmit(b.passwordFile)],
  ]);
}

function authorization(a: Authorization, show: boolean): YAMLMap {
  return struct([
    ['type', strOmit(a.type)],
    ['credentials', secretOmit(a.credentials, show)],
    ['credentials_file', strOmit(a.credentialsFile)],
  ]);
}

function oauth2(o: OAuth2, show: boolean): YAMLMap {
  return struct([
    ['client_id', str(o.clientId)],
    ['client_secret', secretOrNull(o.clientSecret, show)],
    ['client_secret_file', str(o.clientSecretFile)],
    ['scopes', strListOmit(o.scopes)],
    ['token_url', str(o.tokenUrl)],
    ['endpoint_params', stringMapOmit(o.endpointParams)],
    ['tls_config', tlsConfigOmit(o.tlsConfig, show)],
    ...proxyFields(o.proxyUrl, '', false, {}, show),
  ]);
}

/** A `tls_config`, or nothing when every field is unset (Go's `omitempty` on a struct). */
export function tlsConfigOmit(t: TLSConfig, show: boolean): YAMLMap | undefined {
  const empty =
    t.ca === '' &&
    t.caFile === '' &&
    t.cert === '' &&
    t.certFile === '' &&
    t.key === '' &&
    t.keyFile === '' &&
    t.serverName === '' &&
    !t.insecureSkipVerify &&
    t.minVersion === '' &&
    t.maxVersion === '';
  if (empty) return undefined;
  return struct([
    ['ca', strOmit(t.ca)],
    ['cert', strOmit(t.cert)],
    ['key', secretOmit(t.key, show)],
    ['ca_file', strOmit(t.caFile)],
    ['cert_file', strOmit(t.certFile)],
    ['key_file', strOmit(t.keyFile)],
    ['server_name', strOmit(t.serverName)],
    ['insecure_skip_verify', bool(t.insecureSkipVerify)],
    ['min_version', strOmit(t.minVersion)],
    ['max_version', strOmit(t.maxVersion)],
  ]);
}
