/** Decoding web configuration files: defaults, paths, and errors at file:line:col. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '../config/error.js';
import { parseBasicAuth } from './basic-auth.js';
import { parseWebConfig } from './web-config.js';

const HASH = '$2y$10$QOauhQNbBCuQDKes6eFzPeMqBSjb7Mr5DUmpZ/VcEd00UAV/LDeSi';

describe('parseWebConfig', () => {
  it('an empty file: plain HTTP, HTTP/2 allowed, no users, no headers', () => {
    assert.deepEqual(parseWebConfig('', '/etc/web.yml'), {
      tls: undefined,
      http: { http2: true, headers: {} },
      users: new Map(),
    });
  });

  it("TLS defaults are exporter-toolkit's; relative paths are relative to the file", () => {
    const c = parseWebConfig(
      'tls_server_config:\n  cert_file: a.pem\n  key_file: /k/b.key\n',
      '/etc/vigil/web.yml',
    );
    assert.deepEqual(c.tls, {
      certFile: '/etc/vigil/a.pem',
      keyFile: '/k/b.key',
      clientAuthType: 'NoClientCert',
      clientCaFile: '',
      clientAllowedSans: [],
      minVersion: 'TLS12',
      maxVersion: 'TLS13',
      cipherSuites: [],
      preferServerCipherSuites: true,
      curvePreferences: [],
    });
  });

  it('RequireClientCert is the old name of RequireAnyClientCert', () => {
    const c = parseWebConfig(
      'tls_server_config:\n  cert_file: a\n  key_file: b\n  client_auth_type: RequireClientCert\n',
      'w.yml',
    );
    assert.equal(c.tls?.clientAuthType, 'RequireAnyClientCert');
  });

  it('users keep their hashes; blank headers are left out', () => {
    const c = parseWebConfig(
      `basic_auth_users:\n  alice: ${HASH}\nhttp_server_config:\n  headers:\n    X-XSS-Protection: ""\n    X-Frame-Options: deny\n`,
      'w.yml',
    );
    assert.equal(c.users.get('alice'), HASH);
    assert.deepEqual(c.http.headers, { 'X-Frame-Options': 'deny' });
  });

  const errors: [string, string, string][] = [
    [
      'unknown field',
      'tls_server_config:\n  cert_fil: a\n',
      'w.yml:2:3: field cert_fil not found in type web.TLSConfig',
    ],
    [
      'wrong type',
      'http_server_config:\n  http2: yes please\n',
      'w.yml:2:10: cannot unmarshal !!str `yes please` into bool',
    ],
    ['missing key_file', 'tls_server_config:\n  cert_file: a\n', 'w.yml:2:3: missing key_file'],
    [
      'unknown client auth type',
      'tls_server_config:\n  cert_file: a\n  key_file: b\n  client_auth_type: Always\n',
      'w.yml:4:21: Invalid ClientAuth: Always',
    ],
    [
      'unknown cipher',
      'tls_server_config:\n  cipher_suites:\n    - TLS_AES_128_GCM_SHA256\n    - RC4\n',
      'w.yml:4:7: unknown cipher: RC4',
    ],
    ['unknown curve', 'tls_server_config:\n  curve_preferences: [X448]\n', 'w.yml:2:23: unknown curve: X448'],
    [
      'unknown TLS version',
      'tls_server_config:\n  max_version: TLS1.3\n',
      'w.yml:2:16: unknown TLS version: TLS1.3',
    ],
    [
      'header not allowed',
      'http_server_config:\n  headers:\n    Access-Control-Allow-Origin: "*"\n',
      'w.yml:3:5: HTTP header "Access-Control-Allow-Origin" can not be configured',
    ],
    [
      'header value not allowed',
      'http_server_config:\n  headers:\n    X-Content-Type-Options: sniff\n',
      'w.yml:3:29: invalid value for X-Content-Type-Options. Expected one of: ["nosniff"], but got: "sniff"',
    ],
    [
      'password instead of a hash',
      'basic_auth_users:\n  alice: hunter2\n',
      'w.yml:2:10: user "alice": bcrypt hash too short to be a bcrypted password',
    ],
    [
      'bcrypt cost out of range',
      `basic_auth_users:\n  alice: $2y$02$${HASH.slice(7)}\n`,
      'w.yml:2:10: user "alice": bcrypt cost 2 is outside allowed range (4,31)',
    ],
    [
      'SANs without a client certificate requirement',
      'tls_server_config:\n  cert_file: a\n  key_file: b\n  client_allowed_sans: [x]\n',
      'w.yml:4:24: client_allowed_sans requires client_auth_type to be one of RequireAnyClientCert or RequireAndVerifyClientCert',
    ],
    ['YAML syntax', 'basic_auth_users:\n  alice: [\n', 'w.yml:3:1:'],
  ];
  for (const [name, text, message] of errors) {
    it(`error: ${name}`, () => {
      assert.throws(
        () => parseWebConfig(text, 'w.yml'),
        (e: unknown) => e instanceof ConfigError && e.message.startsWith(message),
      );
    });
  }
});

describe('parseBasicAuth', () => {
  const b64 = (s: string): string => Buffer.from(s).toString('base64');
  const cases: [string | undefined, { user: string; password: string } | undefined][] = [
    [`Basic ${b64('alice:se:cret')}`, { user: 'alice', password: 'se:cret' }],
    [`basic ${b64('alice:')}`, { user: 'alice', password: '' }],
    [`BASIC ${b64('ünï:cödé')}`, { user: 'ünï', password: 'cödé' }],
    [`Basic ${b64('no-colon')}`, undefined],
    [`Bearer ${b64('alice:x')}`, undefined],
    ['Basic not*base64', undefined],
    [`Basic ${b64('alice:x').replace(/=+$/, '')}x`, undefined],
    [undefined, undefined],
  ];
  for (const [header, want] of cases) {
    it(String(header), () => assert.deepEqual(parseBasicAuth(header), want));
  }
});
