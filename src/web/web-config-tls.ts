/**
 * `tls_server_config` in Node's terms: Go's names of TLS versions, cipher suites and curves mapped
 * to OpenSSL's, the files read into a `TlsMaterial`, the options of a secure context, and the
 * client-certificate policy checked once a handshake is done. What Node cannot do like Go is said
 * in docs/configuration.md.
 */
import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import type { SecureContextOptions, SecureVersion, TLSSocket } from 'node:tls';
import type { ConfigError } from '../config/error.js';
import type { TlsServerConfig } from './web-config.js';

/** Go's TLS version names → Node's. */
export const TLS_VERSIONS: Readonly<Record<string, SecureVersion>> = {
  TLS10: 'TLSv1',
  TLS11: 'TLSv1.1',
  TLS12: 'TLSv1.2',
  TLS13: 'TLSv1.3',
};
export type TlsVersionName = 'TLS10' | 'TLS11' | 'TLS12' | 'TLS13';

/**
 * The suites Go's `tls.CipherSuites()` lists (the only names exporter-toolkit accepts) → OpenSSL's
 * names. TLS 1.3 suites map to undefined: Go does not let them be configured, and neither do we.
 */
export const CIPHER_SUITES: Readonly<Record<string, string | undefined>> = {
  TLS_RSA_WITH_AES_128_CBC_SHA: 'AES128-SHA',
  TLS_RSA_WITH_AES_256_CBC_SHA: 'AES256-SHA',
  TLS_RSA_WITH_AES_128_GCM_SHA256: 'AES128-GCM-SHA256',
  TLS_RSA_WITH_AES_256_GCM_SHA384: 'AES256-GCM-SHA384',
  TLS_AES_128_GCM_SHA256: undefined,
  TLS_AES_256_GCM_SHA384: undefined,
  TLS_CHACHA20_POLY1305_SHA256: undefined,
  TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA: 'ECDHE-ECDSA-AES128-SHA',
  TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA: 'ECDHE-ECDSA-AES256-SHA',
  TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA: 'ECDHE-RSA-AES128-SHA',
  TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA: 'ECDHE-RSA-AES256-SHA',
  TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256: 'ECDHE-ECDSA-AES128-GCM-SHA256',
  TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384: 'ECDHE-ECDSA-AES256-GCM-SHA384',
  TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256: 'ECDHE-RSA-AES128-GCM-SHA256',
  TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384: 'ECDHE-RSA-AES256-GCM-SHA384',
  TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256: 'ECDHE-RSA-CHACHA20-POLY1305',
  TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256: 'ECDHE-ECDSA-CHACHA20-POLY1305',
};

/** Go's curve names → OpenSSL's. */
export const CURVES: Readonly<Record<string, string>> = {
  CurveP256: 'P-256',
  CurveP384: 'P-384',
  CurveP521: 'P-521',
  X25519: 'X25519',
};

/** The files a TLS configuration names, read, and the options of its secure context. */
export interface TlsMaterial {
  /** The options `tls.createSecureContext` and `server.setSecureContext` take. */
  context: SecureContextOptions;
  /** Whether the handshake asks for a client certificate. */
  requestCert: boolean;
  /** Whether the handshake fails without a certificate signed by the client CAs. */
  rejectUnauthorized: boolean;
  /** The files read, for change detection. */
  files: string[];
}

/** Builds a `ConfigError` positioned at one of the TLS file fields. */
export type TlsFieldError = (
  field: 'cert_file' | 'key_file' | 'client_ca_file',
  message: string,
  cause: unknown,
) => ConfigError;

/**
 * Reads the certificate, key and client CAs of `c` and checks that they make a secure context
 * (a key that does not match the certificate is an error here, not at the first handshake).
 */
export function loadTlsMaterial(c: TlsServerConfig, fieldError: TlsFieldError): TlsMaterial {
  const read = (field: 'cert_file' | 'key_file' | 'client_ca_file', path: string): Buffer => {
    try {
      return readFileSync(path);
    } catch (e) {
      throw fieldError(field, `read ${field} ${path}: ${e instanceof Error ? e.message : String(e)}`, e);
    }
  };
  const files = [c.certFile, c.keyFile];
  const context: SecureContextOptions = {
    cert: read('cert_file', c.certFile),
    key: read('key_file', c.keyFile),
    minVersion: TLS_VERSIONS[c.minVersion],
    maxVersion: TLS_VERSIONS[c.maxVersion],
    honorCipherOrder: c.preferServerCipherSuites,
  };
  if (c.clientCaFile !== '') {
    context.ca = read('client_ca_file', c.clientCaFile);
    files.push(c.clientCaFile);
  }
  const ciphers = c.cipherSuites.map((s) => CIPHER_SUITES[s]).filter((s) => s !== undefined);
  // TLS 1.3 suites stay at Node's defaults: they are not part of this list, as in Go.
  if (ciphers.length > 0) context.ciphers = ciphers.join(':');
  if (c.curvePreferences.length > 0) context.ecdhCurve = c.curvePreferences.map((n) => CURVES[n]).join(':');
  try {
    createSecureContext(context);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    throw fieldError('cert_file', `failed to load X509KeyPair: ${message}`, e);
  }
  const auth = c.clientAuthType;
  return {
    context,
    requestCert: auth !== 'NoClientCert',
    rejectUnauthorized: auth === 'RequireAndVerifyClientCert',
    files,
  };
}

/**
 * Why a finished handshake breaks the client-certificate policy of `c` (what Go decides in the
 * handshake but Node leaves to the server: a certificate required but not verified, one verified
 * only if given, the allowed SANs), or undefined when the connection may proceed.
 */
export function clientCertRejection(socket: TLSSocket, c: TlsServerConfig): string | undefined {
  const auth = c.clientAuthType;
  if (auth === 'NoClientCert' || auth === 'RequestClientCert') return undefined;
  const cert = socket.getPeerCertificate();
  const hasCert = Object.keys(cert).length > 0;
  if (!hasCert)
    return auth === 'VerifyClientCertIfGiven' ? undefined : 'client did not present a certificate';
  if ((auth === 'VerifyClientCertIfGiven' || auth === 'RequireAndVerifyClientCert') && !socket.authorized)
    return `client certificate not verified: ${String(socket.authorizationError)}`;
  if (c.clientAllowedSans.length === 0) return undefined;
  const sans = subjectAltNames(cert.subjectaltname ?? '');
  if (sans.some((s) => c.clientAllowedSans.includes(s))) return undefined;
  return `could not find allowed SANs in client cert, found: [${c.clientAllowedSans.join(' ')}]`;
}

/** The values of OpenSSL's `DNS:a, IP Address:1.2.3.4, email:x@y, URI:spiffe://…` text. */
function subjectAltNames(text: string): string[] {
  const out: string[] = [];
  for (const part of text.split(', ')) {
    const colon = part.indexOf(':');
    if (colon > 0) out.push(part.slice(colon + 1));
  }
  return out;
}
