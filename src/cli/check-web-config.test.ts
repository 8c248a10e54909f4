/**
 * `vigil check web-config` against the real `promtool check web-config` (Prometheus 2.42): the
 * same verdict on every file of a set of good and bad web configurations, and vigil's own output
 * (the error's file:line:col).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { runVigil } from '../../test/support/cli.js';
import { requireProgram } from '../../test/support/programs.js';
import { makeTestPki } from '../../test/support/tls-pki.js';
import type { TestPki } from '../../test/support/tls-pki.js';

const HASH = '$2y$10$QOauhQNbBCuQDKes6eFzPeMqBSjb7Mr5DUmpZ/VcEd00UAV/LDeSi';
const HASH_BODY = HASH.slice(7);

/** Name → file text; `{cert}`, `{key}`, `{ca}`, `{otherKey}` become the test PKI's paths. */
const CASES: Record<string, string> = {
  'empty.good': '',
  'users.good': `basic_auth_users:\n  alice: ${HASH}\n  bob: ${HASH}\n`,
  'users-2a.good': `basic_auth_users:\n  alice: $2a$10$${HASH_BODY}\n`,
  'users-2b.good': `basic_auth_users:\n  alice: $2b$04$${HASH_BODY}\n`,
  'users-cost31.good': `basic_auth_users:\n  alice: $2y$31$${HASH_BODY}\n`,
  'users-cost3.bad': `basic_auth_users:\n  alice: $2y$03$${HASH_BODY}\n`,
  'users-cost32.bad': `basic_auth_users:\n  alice: $2y$32$${HASH_BODY}\n`,
  'users-cost-nan.bad': `basic_auth_users:\n  alice: $2y$x1$${HASH_BODY}\n`,
  'users-version3.bad': `basic_auth_users:\n  alice: $3y$10$${HASH_BODY}\n`,
  'users-prefix.bad': `basic_auth_users:\n  alice: x${HASH.slice(1)}\n`,
  'users-short.bad': 'basic_auth_users:\n  alice: $2y$10$abc\n',
  'users-plain.bad': 'basic_auth_users:\n  alice: secret\n',
  'users-seq.bad': 'basic_auth_users:\n  - alice\n',
  'users-dup.bad': `basic_auth_users:\n  alice: ${HASH}\n  alice: ${HASH}\n`,
  'unknown-top.bad': 'foo: 1\n',
  'rate-limit.bad': 'rate_limit:\n  burst: 1\n',
  'syntax.bad': 'basic_auth_users: [\n',
  'tls.good': 'tls_server_config:\n  cert_file: {cert}\n  key_file: {key}\n',
  'tls-empty.good': 'tls_server_config: {}\n',
  'tls-ciphers-only.good': 'tls_server_config:\n  cipher_suites: [TLS_AES_128_GCM_SHA256]\n',
  'tls-no-key.bad': 'tls_server_config:\n  cert_file: {cert}\n',
  'tls-no-cert.bad': 'tls_server_config:\n  key_file: {key}\n',
  'tls-auth-only.bad': 'tls_server_config:\n  client_auth_type: RequireAndVerifyClientCert\n',
  'tls-missing-cert-file.bad': 'tls_server_config:\n  cert_file: nowhere.pem\n  key_file: {key}\n',
  'tls-missing-key-file.bad': 'tls_server_config:\n  cert_file: {cert}\n  key_file: nowhere.key\n',
  'tls-key-mismatch.bad': 'tls_server_config:\n  cert_file: {cert}\n  key_file: {otherKey}\n',
  'tls-cert-is-key.bad': 'tls_server_config:\n  cert_file: {key}\n  key_file: {key}\n',
  'tls-inline-cert.bad': 'tls_server_config:\n  cert: abc\n  key_file: {key}\n',
  'tls-unknown.bad': 'tls_server_config:\n  cert_file: {cert}\n  key_file: {key}\n  foo: 1\n',
  'tls-ca-without-auth.bad':
    'tls_server_config:\n  cert_file: {cert}\n  key_file: {key}\n  client_ca_file: {ca}\n',
  'tls-ca-missing.bad':
    'tls_server_config:\n  cert_file: {cert}\n  key_file: {key}\n  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: none.pem\n',
  'tls-verify.good':
    'tls_server_config:\n  cert_file: {cert}\n  key_file: {key}\n  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: {ca}\n',
  'tls-request.good':
    'tls_server_config:\n  cert_file: {cert}\n  key_file: {key}\n  client_auth_type: RequestClientCert\n',
  'tls-require-old-name.good':
    'tls_server_config:\n  cert_file: {cert}\n  key_file: {key}\n  client_auth_type: RequireClientCert\n',
  'tls-require-any.good':
    'tls_server_config:\n  cert_file: {cert}\n  key_file: {key}\n  client_auth_type: RequireAnyClientCert\n',
  'tls-if-given.good':
    'tls_server_config:\n  cert_file: {cert}\n  key_file: {key}\n  client_auth_type: VerifyClientCertIfGiven\n',
  'tls-no-client-cert.good':
    'tls_server_config:\n  cert_file: {cert}\n  key_file: {key}\n  client_auth_type: NoClientCert\n',
  'tls-auth-lowercase.bad':
    'tls_server_config:\n  cert_file: {cert}\n  key_file: {key}\n  client_auth_type: noclientcert\n',
  'tls-versions.good':
    'tls_server_config:\n  cert_file: {cert}\n  key_file: {key}\n  min_version: TLS10\n  max_version: TLS11\n',
  'tls-version13.good': 'tls_server_config:\n  cert_file: {cert}\n  key_file: {key}\n  min_version: TLS13\n',
  'tls-version14.bad': 'tls_server_config:\n  cert_file: {cert}\n  key_file: {key}\n  min_version: TLS14\n',
  'tls-version-lower.bad':
    'tls_server_config:\n  cert_file: {cert}\n  key_file: {key}\n  max_version: tls12\n',
  'tls-ciphers.good':
    'tls_server_config:\n  cert_file: {cert}\n  key_file: {key}\n  cipher_suites:\n' +
    [
      'TLS_RSA_WITH_AES_128_CBC_SHA',
      'TLS_RSA_WITH_AES_256_CBC_SHA',
      'TLS_RSA_WITH_AES_128_GCM_SHA256',
      'TLS_RSA_WITH_AES_256_GCM_SHA384',
      'TLS_AES_128_GCM_SHA256',
      'TLS_AES_256_GCM_SHA384',
      'TLS_CHACHA20_POLY1305_SHA256',
      'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA',
      'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA',
      'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA',
      'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA',
      'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
      'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
      'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
      'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
      'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
      'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256',
    ]
      .map((c) => `    - ${c}\n`)
      .join(''),
  'tls-cipher-insecure.bad':
    'tls_server_config:\n  cert_file: {cert}\n  key_file: {key}\n  cipher_suites: [TLS_RSA_WITH_RC4_128_SHA]\n',
  'tls-cipher-openssl-name.bad':
    'tls_server_config:\n  cert_file: {cert}\n  key_file: {key}\n  cipher_suites: [ECDHE-RSA-AES128-GCM-SHA256]\n',
  'tls-curves.good':
    'tls_server_config:\n  cert_file: {cert}\n  key_file: {key}\n  curve_preferences: [X25519, CurveP256, CurveP384, CurveP521]\n',
  'tls-curve-unknown.bad':
    'tls_server_config:\n  cert_file: {cert}\n  key_file: {key}\n  curve_preferences: [P-256]\n',
  'tls-prefer.good':
    'tls_server_config:\n  cert_file: {cert}\n  key_file: {key}\n  prefer_server_cipher_suites: false\n',
  'tls-prefer-type.bad':
    'tls_server_config:\n  cert_file: {cert}\n  key_file: {key}\n  prefer_server_cipher_suites: 1\n',
  'http2.good': 'http_server_config:\n  http2: false\n',
  'http2-type.bad': 'http_server_config:\n  http2: maybe\n',
  'http-unknown.bad': 'http_server_config:\n  foo: bar\n',
  'headers.good':
    'http_server_config:\n  headers:\n    Content-Security-Policy: "default-src \'self\'"\n    X-Frame-Options: sameorigin\n' +
    '    X-Content-Type-Options: nosniff\n    X-XSS-Protection: "1; mode=block"\n    Strict-Transport-Security: max-age=31536000\n',
  'header-frame-deny.good': 'http_server_config:\n  headers:\n    X-Frame-Options: deny\n',
  'header-frame-bad.bad': 'http_server_config:\n  headers:\n    X-Frame-Options: allow\n',
  'header-frame-blank.bad': 'http_server_config:\n  headers:\n    X-Frame-Options: ""\n',
  'header-nosniff-bad.bad': 'http_server_config:\n  headers:\n    X-Content-Type-Options: sniff\n',
  'header-unknown.bad': 'http_server_config:\n  headers:\n    Server: vigil\n',
  'header-case.bad': 'http_server_config:\n  headers:\n    x-frame-options: deny\n',
};

/**
 * Files where vigil follows the documentation of `client_allowed_sans` (https.md) while
 * Prometheus 2.42's exporter-toolkit predates the field and rejects it.
 */
const NEWER_THAN_PROMTOOL: Record<string, string> = {
  'tls-sans.good':
    'tls_server_config:\n  cert_file: {cert}\n  key_file: {key}\n  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: {ca}\n  client_allowed_sans: [client.example]\n',
};

let pki: TestPki;
const files = new Map<string, string>();

function materialize(name: string, text: string): string {
  const file = path.join(pki.dir, `${name}.yml`);
  writeFileSync(
    file,
    text
      .replaceAll('{cert}', pki.serverCert)
      .replaceAll('{key}', pki.serverKey)
      .replaceAll('{ca}', pki.caCert)
      .replaceAll('{otherKey}', pki.clientKey),
  );
  return file;
}

before(() => {
  pki = makeTestPki();
  for (const [name, text] of Object.entries({ ...CASES, ...NEWER_THAN_PROMTOOL }))
    files.set(name, materialize(name, text));
});

function promtool(file: string): Promise<{ code: number; err: string }> {
  const bin = requireProgram('promtool', 'prometheus');
  return new Promise((resolve) => {
    execFile(bin, ['check', 'web-config', file], { cwd: pki.dir }, (err, _out, stderr) => {
      resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : -1, err: stderr });
    });
  });
}

describe('check web-config: the verdict of promtool 2.42', () => {
  for (const name of Object.keys(CASES)) {
    it(name, async () => {
      const file = files.get(name)!;
      const [theirs, ours] = await Promise.all([promtool(file), runVigil('check', 'web-config', file)]);
      assert.equal(theirs.code, name.endsWith('.good') ? 0 : 1, `promtool: ${theirs.err}`);
      assert.equal(ours.code, theirs.code, `vigil: ${ours.err}\npromtool: ${theirs.err}`);
    });
  }

  it('client_allowed_sans (documented, newer than promtool 2.42): vigil accepts what promtool does not know', async () => {
    const file = files.get('tls-sans.good')!;
    const theirs = await promtool(file);
    assert.match(theirs.err, /field client_allowed_sans not found/);
    assert.equal((await runVigil('check', 'web-config', file)).code, 0);
  });
});

describe('check web-config: output', () => {
  it('one line a file on stderr, errors with file:line:col, exit 1 when any fails', async () => {
    const good = files.get('users.good')!;
    const bad = files.get('header-frame-bad.bad')!;
    const r = await runVigil('check', 'web-config', good, bad);
    assert.equal(r.code, 1);
    assert.equal(r.out, '');
    assert.equal(
      r.err,
      `${good} SUCCESS\n` +
        `${bad} FAILED: ${bad}:3:22: invalid value for X-Frame-Options. Expected one of: ["deny" "sameorigin"], but got: "allow"\n`,
    );
  });

  it('names the field of a certificate that does not load', async () => {
    const file = files.get('tls-missing-cert-file.bad')!;
    const r = await runVigil('check', 'web-config', file);
    assert.match(r.err, new RegExp(`FAILED: ${file}:2:14: read cert_file ${pki.dir}/nowhere.pem: ENOENT`));
  });

  it('a missing file fails; no file is a usage error', async () => {
    assert.equal((await runVigil('check', 'web-config', path.join(pki.dir, 'absent.yml'))).code, 1);
    assert.equal((await runVigil('check', 'web-config')).code, 2);
  });
});
