/**
 * `vigil server --web.config.file` as a user runs it: an invalid file stops the start-up with its
 * file:line:col; a valid one serves HTTPS with basic authentication, HTTP/2 to clients that
 * negotiate it and HTTP/1.1 to the others, and the flag shows in `status/flags`.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:http2';
import type { ClientHttp2Session } from 'node:http2';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import bcrypt from 'bcryptjs';
import { freePort } from './support/network.js';
import { VIGIL_BIN } from './support/paths.js';
import { makeTestPki, pem } from './support/tls-pki.js';
import type { TestPki } from './support/tls-pki.js';

let pki: TestPki;
let dir: string;
before(() => {
  pki = makeTestPki();
  dir = mkdtempSync(path.join(tmpdir(), 'vigil-server-webcfg-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

function get(port: number, urlPath: string, auth?: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path: urlPath, ca: pem(pki.caCert), auth, agent: false },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** One GET on an HTTP/2 session: the `:status` and the body. */
function h2Get(
  s: ClientHttp2Session,
  urlPath: string,
  auth?: string,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const authorization =
      auth === undefined ? {} : { authorization: `Basic ${Buffer.from(auth).toString('base64')}` };
    const req = s.request({ ':path': urlPath, ...authorization });
    let status = 0;
    let text = '';
    req.on('response', (h) => (status = Number(h[':status'])));
    req.on('data', (c: Buffer) => (text += c.toString()));
    req.on('end', () => resolve({ status, text }));
    req.on('error', reject);
  });
}

describe('vigil server --web.config.file', () => {
  it('an invalid file: exit 1 with the error at file:line:col, nothing served', () => {
    const file = path.join(dir, 'bad-web.yml');
    writeFileSync(file, 'tls_server_config:\n  cert_file: server.pem\n');
    const r = spawnSync(
      process.execPath,
      [
        VIGIL_BIN,
        'server',
        `--web.config.file=${file}`,
        `--storage.tsdb.path=${path.join(dir, 'data-bad')}`,
        '--web.listen-address=127.0.0.1:0',
      ],
      { encoding: 'utf8', timeout: 60_000 },
    );
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /Unable to validate web configuration file/);
    assert.match(r.stderr, new RegExp(`${file}:2:3: missing key_file`));
  });

  it('HTTPS with basic auth; status/flags shows the flag', async () => {
    const file = path.join(dir, 'web.yml');
    writeFileSync(
      file,
      `tls_server_config:\n  cert_file: ${pki.serverCert}\n  key_file: ${pki.serverKey}\n` +
        `basic_auth_users:\n  admin: ${bcrypt.hashSync('s3cret', 4)}\n`,
    );
    const port = await freePort();
    const child = spawn(
      process.execPath,
      [
        VIGIL_BIN,
        'server',
        `--web.config.file=${file}`,
        `--storage.tsdb.path=${path.join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const deadline = Date.now() + 30_000;
      for (;;) {
        const r = await get(port, '/-/ready', 'admin:s3cret').catch(() => undefined);
        if (r?.status === 200) break;
        if (Date.now() > deadline) throw new Error(`server not ready:\n${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      assert.match(stderr, /TLS is enabled/);
      assert.equal((await get(port, '/metrics')).status, 401);
      assert.equal((await get(port, '/api/v1/status/flags', 'admin:wrong')).status, 401);
      const flags = await get(port, '/api/v1/status/flags', 'admin:s3cret');
      assert.equal(flags.status, 200);
      const body = JSON.parse(flags.text) as { data: Record<string, string> };
      assert.equal(body.data['web.config.file'], file);
      assert.match((await get(port, '/metrics', 'admin:s3cret')).text, /prometheus_ready 1/);
      // HTTP/2 by ALPN; the session stays open through SIGTERM, which must still end the server.
      assert.match(stderr, /TLS is enabled.*http2=true/);
      const session = connect(`https://127.0.0.1:${port}`, { ca: pem(pki.caCert), servername: 'localhost' });
      session.on('error', () => undefined);
      assert.equal((await h2Get(session, '/-/ready')).status, 401);
      const h2flags = await h2Get(session, '/api/v1/status/flags', 'admin:s3cret');
      assert.equal(h2flags.status, 200);
      assert.deepEqual(JSON.parse(h2flags.text), body);
      assert.equal(session.alpnProtocol, 'h2');
    } finally {
      child.kill('SIGTERM');
      assert.equal(await exited, 0, stderr);
    }
  });
});
