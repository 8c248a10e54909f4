/**
 * A small certificate authority made at test time with the `openssl` CLI: a CA, a server
 * certificate for `localhost`/127.0.0.1, a client certificate it signed, and a self-signed client
 * certificate it did not. Real keys and real X.509, as a user's would be.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { requireProgram } from './programs.js';

/** Paths (PEM files) of one test PKI. */
export interface TestPki {
  dir: string;
  caCert: string;
  serverCert: string;
  serverKey: string;
  /** Signed by the CA, with SAN `DNS:client.example`. */
  clientCert: string;
  clientKey: string;
  /** Self-signed, so not trusted by the CA. */
  strangerCert: string;
  strangerKey: string;
  /** A second server certificate (another subject), for reload tests. */
  otherServerCert: string;
  otherServerKey: string;
}

/** Makes a PKI in a new temporary directory (EC P-256 keys: fast to make). */
export function makeTestPki(): TestPki {
  const openssl = requireProgram('openssl', 'openssl');
  const dir = mkdtempSync(path.join(tmpdir(), 'vigil-pki-'));
  const p = (name: string): string => path.join(dir, name);
  const run = (...args: string[]): void => {
    execFileSync(openssl, args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  };
  const key = (name: string): void =>
    run('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', p(name));
  const ext = (name: string, text: string): string => {
    writeFileSync(p(name), text);
    return p(name);
  };
  key('ca.key');
  run('req', '-x509', '-new', '-key', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=Vigil Test CA');
  const sign = (name: string, subject: string, san: string): void => {
    key(`${name}.key`);
    run('req', '-new', '-key', `${name}.key`, '-out', `${name}.csr`, '-subj', subject);
    const extFile = ext(`${name}.ext`, `subjectAltName=${san}\n`);
    run(
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      `${name}.pem`,
      '-days',
      '2',
      '-extfile',
      extFile,
    );
  };
  sign('server', '/CN=localhost', 'DNS:localhost,IP:127.0.0.1');
  sign('other-server', '/CN=other.localhost', 'DNS:localhost,IP:127.0.0.1');
  sign('client', '/CN=client', 'DNS:client.example');
  key('stranger.key');
  run(
    'req',
    '-x509',
    '-new',
    '-key',
    'stranger.key',
    '-out',
    'stranger.pem',
    '-days',
    '2',
    '-subj',
    '/CN=stranger',
  );
  return {
    dir,
    caCert: p('ca.pem'),
    serverCert: p('server.pem'),
    serverKey: p('server.key'),
    clientCert: p('client.pem'),
    clientKey: p('client.key'),
    strangerCert: p('stranger.pem'),
    strangerKey: p('stranger.key'),
    otherServerCert: p('other-server.pem'),
    otherServerKey: p('other-server.key'),
  };
}

/** The contents of a PEM file. */
export function pem(file: string): Buffer {
  return readFileSync(file);
}
