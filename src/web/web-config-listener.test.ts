/**
 * `--web.config.file` end to end on a real `WebServer`: HTTPS with certificates made by the
 * `openssl` CLI, client-certificate modes, basic authentication on every endpoint, response
 * headers, and a file edited under the running server.
 */
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { PeerCertificate, SecureVersion, TLSSocket } from 'node:tls';
import { after, before, describe, it } from 'node:test';
import bcrypt from 'bcryptjs';
import { recordingLogger } from '../../test/helpers/recording-logger.js';
import { makeTestPki, pem } from '../../test/support/tls-pki.js';
import type { TestPki } from '../../test/support/tls-pki.js';
import { startHarness } from './testing/harness.js';
import type { Harness } from './testing/harness.js';
import { WebConfigSource } from './web-config-source.js';

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  protocol: string | null;
  cipher: string;
  peer: PeerCertificate;
}

interface ClientTls {
  cert?: string;
  key?: string;
  maxVersion?: SecureVersion;
  ciphers?: string;
}

let pki: TestPki;
before(() => {
  pki = makeTestPki();
});

let fileCount = 0;
function webConfigFile(text: string): string {
  const file = path.join(pki.dir, `web-${++fileCount}.yml`);
  writeFileSync(file, text);
  return file;
}

function tlsBlock(extra = ''): string {
  return `tls_server_config:\n  cert_file: ${pki.serverCert}\n  key_file: ${pki.serverKey}\n${extra}`;
}

const open: Harness[] = [];
after(async () => {
  for (const h of open) await h.close();
});

async function serve(file: string, logger = recordingLogger()): Promise<Harness> {
  const h = await startHarness({ options: { webConfig: WebConfigSource.open(file, logger), logger } });
  h.server.addRoute('GET', '/metrics', (_req, res) => {
    res.end('up 1\n');
    return Promise.resolve();
  });
  open.push(h);
  return h;
}

/** One HTTPS GET trusting the test CA, optionally with a client certificate. */
function getTls(h: Harness, urlPath: string, client: ClientTls = {}, auth?: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      {
        host: '127.0.0.1',
        port: h.port,
        path: urlPath,
        ca: pem(pki.caCert),
        cert: client.cert === undefined ? undefined : pem(client.cert),
        key: client.key === undefined ? undefined : pem(client.key),
        maxVersion: client.maxVersion,
        ciphers: client.ciphers,
        auth,
        agent: false,
      },
      (res) => {
        const socket = res.socket as TLSSocket;
        const meta = {
          protocol: socket.getProtocol(),
          cipher: socket.getCipher().name,
          peer: socket.getPeerCertificate(),
        };
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text, ...meta }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** One plain-HTTP GET with optional basic-auth credentials (`user:password`). */
function getPlain(
  h: Harness,
  urlPath: string,
  auth?: string,
): Promise<Omit<Reply, 'protocol' | 'cipher' | 'peer'>> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: h.port, path: urlPath, auth, agent: false }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

// Cost 4, bcrypt's minimum, keeps the tests quick; the server treats any cost alike.
const ALICE = bcrypt.hashSync('alice-secret', 4);
const BOB = bcrypt.hashSync('bob-secret', 4);

describe('TLS', () => {
  it('HTTPS serves the API with the configured certificate', async () => {
    const h = await serve(webConfigFile(tlsBlock()));
    const r = await getTls(h, '/api/v1/query?query=1%2B1&time=10');
    assert.equal(r.status, 200);
    assert.deepEqual(JSON.parse(r.text), {
      status: 'success',
      data: { resultType: 'scalar', result: [10, '2'] },
    });
    assert.equal(r.peer.subject.CN, 'localhost');
    assert.equal(r.protocol, 'TLSv1.3');
  });

  it('plain HTTP to the TLS port gets no answer', async () => {
    const h = await serve(webConfigFile(tlsBlock()));
    await assert.rejects(getPlain(h, '/-/healthy'));
  });

  it('RequireAndVerifyClientCert: no certificate or an unknown one is refused; a signed one gets in', async () => {
    const h = await serve(
      webConfigFile(
        tlsBlock(`  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: ${pki.caCert}\n`),
      ),
    );
    await assert.rejects(getTls(h, '/-/healthy'));
    await assert.rejects(getTls(h, '/-/healthy', { cert: pki.strangerCert, key: pki.strangerKey }));
    const ok = await getTls(h, '/-/healthy', { cert: pki.clientCert, key: pki.clientKey });
    assert.equal(ok.status, 200);
  });

  it('RequireAnyClientCert: a certificate is needed but not verified', async () => {
    const h = await serve(webConfigFile(tlsBlock('  client_auth_type: RequireAnyClientCert\n')));
    await assert.rejects(getTls(h, '/-/healthy'));
    const ok = await getTls(h, '/-/healthy', { cert: pki.strangerCert, key: pki.strangerKey });
    assert.equal(ok.status, 200);
  });

  it('VerifyClientCertIfGiven: none is fine, an unknown one is refused', async () => {
    const h = await serve(
      webConfigFile(
        tlsBlock(`  client_auth_type: VerifyClientCertIfGiven\n  client_ca_file: ${pki.caCert}\n`),
      ),
    );
    assert.equal((await getTls(h, '/-/healthy')).status, 200);
    await assert.rejects(getTls(h, '/-/healthy', { cert: pki.strangerCert, key: pki.strangerKey }));
    assert.equal((await getTls(h, '/-/healthy', { cert: pki.clientCert, key: pki.clientKey })).status, 200);
  });

  it('client_allowed_sans: only a certificate with a listed SAN gets in', async () => {
    const auth = `  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: ${pki.caCert}\n`;
    const allowed = await serve(webConfigFile(tlsBlock(`${auth}  client_allowed_sans: [client.example]\n`)));
    assert.equal(
      (await getTls(allowed, '/-/healthy', { cert: pki.clientCert, key: pki.clientKey })).status,
      200,
    );
    const other = await serve(webConfigFile(tlsBlock(`${auth}  client_allowed_sans: [someone.else]\n`)));
    await assert.rejects(getTls(other, '/-/healthy', { cert: pki.clientCert, key: pki.clientKey }));
  });

  it('min_version TLS13 refuses a TLS 1.2 client', async () => {
    const h = await serve(webConfigFile(tlsBlock('  min_version: TLS13\n')));
    await assert.rejects(getTls(h, '/-/healthy', { maxVersion: 'TLSv1.2' }));
    assert.equal((await getTls(h, '/-/healthy')).status, 200);
  });

  it('cipher_suites limits TLS 1.2 to the listed suites', async () => {
    const h = await serve(
      webConfigFile(
        tlsBlock('  max_version: TLS12\n  cipher_suites: [TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384]\n'),
      ),
    );
    const r = await getTls(h, '/-/healthy');
    assert.equal(r.protocol, 'TLSv1.2');
    assert.equal(r.cipher, 'ECDHE-ECDSA-AES256-GCM-SHA384');
    await assert.rejects(getTls(h, '/-/healthy', { ciphers: 'ECDHE-ECDSA-AES128-GCM-SHA256' }));
  });

  it('a certificate replaced on disk is served from the next connection on', async () => {
    const file = webConfigFile(
      `tls_server_config:\n  cert_file: ${pki.dir}/live.pem\n  key_file: ${pki.dir}/live.key\n`,
    );
    writeFileSync(`${pki.dir}/live.pem`, pem(pki.serverCert));
    writeFileSync(`${pki.dir}/live.key`, pem(pki.serverKey));
    const h = await serve(file);
    assert.equal((await getTls(h, '/-/healthy')).peer.subject.CN, 'localhost');
    writeFileSync(`${pki.dir}/live.pem`, pem(pki.otherServerCert));
    writeFileSync(`${pki.dir}/live.key`, pem(pki.otherServerKey));
    assert.equal((await getTls(h, '/-/healthy')).peer.subject.CN, 'other.localhost');
  });
});

describe('basic auth', () => {
  const paths = [
    '/api/v1/query?query=1',
    '/metrics',
    '/-/healthy',
    '/-/ready',
    '/federate?match[]=up',
    '/graph',
    '/',
  ];

  it('without or with wrong credentials: 401 with the Basic challenge and no data, on every endpoint', async () => {
    const h = await serve(webConfigFile(`basic_auth_users:\n  alice: ${ALICE}\n`));
    for (const p of paths) {
      for (const auth of [undefined, 'alice:wrong', 'mallory:alice-secret']) {
        const r = await getPlain(h, p, auth);
        assert.equal(r.status, 401, `${p} ${auth}`);
        assert.equal(r.headers['www-authenticate'], 'Basic');
        assert.equal(r.text, 'Unauthorized\n');
      }
    }
  });

  it('with the right credentials: the endpoint answers', async () => {
    const h = await serve(webConfigFile(`basic_auth_users:\n  alice: ${ALICE}\n`));
    assert.equal((await getPlain(h, '/metrics', 'alice:alice-secret')).text, 'up 1\n');
    const q = await getPlain(h, '/api/v1/query?query=2&time=1', 'alice:alice-secret');
    assert.equal(q.status, 200);
    assert.match(q.text, /"result":\[1,"2"\]/);
    // The second time comes from the cache of successful checks; the answer is the same.
    assert.equal((await getPlain(h, '/-/healthy', 'alice:alice-secret')).status, 200);
  });

  it('many concurrent requests with the same credentials all get in', async () => {
    const h = await serve(webConfigFile(`basic_auth_users:\n  alice: ${ALICE}\n`));
    const replies = await Promise.all(
      Array.from({ length: 20 }, () => getPlain(h, '/-/healthy', 'alice:alice-secret')),
    );
    assert.deepEqual(
      replies.map((r) => r.status),
      replies.map(() => 200),
    );
  });

  it('over HTTPS together with TLS', async () => {
    const h = await serve(webConfigFile(`${tlsBlock()}basic_auth_users:\n  alice: ${ALICE}\n`));
    assert.equal((await getTls(h, '/-/healthy')).status, 401);
    assert.equal((await getTls(h, '/-/healthy', {}, 'alice:alice-secret')).status, 200);
  });
});

describe('headers', () => {
  it('the configured headers are on every response, 401s included', async () => {
    const h = await serve(
      webConfigFile(
        'http_server_config:\n  headers:\n    X-Frame-Options: deny\n    Content-Security-Policy: "default-src \'self\'"\n' +
          `    Strict-Transport-Security: max-age=31536000\nbasic_auth_users:\n  alice: ${ALICE}\n`,
      ),
    );
    for (const auth of [undefined, 'alice:alice-secret']) {
      const r = await getPlain(h, '/api/v1/labels', auth);
      assert.equal(r.headers['x-frame-options'], 'deny');
      assert.equal(r.headers['content-security-policy'], "default-src 'self'");
      assert.equal(r.headers['strict-transport-security'], 'max-age=31536000');
    }
  });
});

describe('the file edited under a running server', () => {
  it('new users and headers take effect at once', async () => {
    const file = webConfigFile(`basic_auth_users:\n  alice: ${ALICE}\n`);
    const h = await serve(file);
    assert.equal((await getPlain(h, '/-/healthy', 'alice:alice-secret')).status, 200);
    assert.equal((await getPlain(h, '/-/healthy', 'bob:bob-secret')).status, 401);
    writeFileSync(
      file,
      `http_server_config:\n  headers:\n    X-Content-Type-Options: nosniff\nbasic_auth_users:\n  bob: ${BOB}\n`,
    );
    assert.equal((await getPlain(h, '/-/healthy', 'alice:alice-secret')).status, 401);
    const bob = await getPlain(h, '/-/healthy', 'bob:bob-secret');
    assert.equal(bob.status, 200);
    assert.equal(bob.headers['x-content-type-options'], 'nosniff');
    // Removing every user turns authentication off.
    writeFileSync(file, '');
    assert.equal((await getPlain(h, '/-/healthy')).status, 200);
  });

  it('a changed password: the old one stops working at once, though it was cached', async () => {
    const file = webConfigFile(`basic_auth_users:\n  alice: ${ALICE}\n`);
    const h = await serve(file);
    assert.equal((await getPlain(h, '/-/healthy', 'alice:alice-secret')).status, 200);
    assert.equal((await getPlain(h, '/-/healthy', 'alice:alice-secret')).status, 200);
    writeFileSync(file, `basic_auth_users:\n  alice: ${bcrypt.hashSync('new-secret', 4)}\n`);
    assert.equal((await getPlain(h, '/-/healthy', 'alice:alice-secret')).status, 401);
    assert.equal((await getPlain(h, '/-/healthy', 'alice:new-secret')).status, 200);
  });

  it('a broken edit keeps the previous configuration and logs an error naming the place', async () => {
    const file = webConfigFile(`basic_auth_users:\n  alice: ${ALICE}\n`);
    const logger = recordingLogger();
    const h = await serve(file, logger);
    writeFileSync(file, `basic_auth_users:\n  alice: ${ALICE}\n  bob: not-a-hash\n`);
    assert.equal((await getPlain(h, '/-/healthy', 'alice:alice-secret')).status, 200);
    assert.equal((await getPlain(h, '/-/healthy', 'bob:not-a-hash')).status, 401);
    assert.equal((await getPlain(h, '/-/healthy')).status, 401);
    assert.equal(logger.errors.length, 1, 'logged once, not per request');
    assert.match(logger.errors[0], new RegExp(`Error reloading web config.*${file}:3:8: user "bob"`));
    // Fixed again: applied.
    writeFileSync(file, `basic_auth_users:\n  bob: ${BOB}\n`);
    assert.equal((await getPlain(h, '/-/healthy', 'bob:bob-secret')).status, 200);
  });

  it('turning TLS on needs a restart: the server keeps plain HTTP and says so', async () => {
    const file = webConfigFile('');
    const logger = recordingLogger();
    const h = await serve(file, logger);
    writeFileSync(file, tlsBlock());
    assert.equal((await getPlain(h, '/-/healthy')).status, 200);
    assert.match(logger.errors[0] ?? '', /turning TLS on or off needs a restart/);
  });
});
