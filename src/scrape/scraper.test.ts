import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Server as HttpsServer } from 'node:https';
import type { TLSSocket } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { defaultHTTPClientConfig } from '../config/http-client.js';
import type { TLSConfig } from '../config/http-client.js';
import { makeTestPki, pem } from '../../test/support/tls-pki.js';
import type { TestPki } from '../../test/support/tls-pki.js';
import { BodySizeLimitError, HttpScraper, poolDispatcher } from './scraper.js';

const TEXT = 'a 1\nb{x="y"} 2\n'.repeat(2000);
const text = (body: Uint8Array): string => Buffer.from(body).toString();

describe('HttpScraper', () => {
  const dispatcher = poolDispatcher(defaultHTTPClientConfig());
  let server: Server;
  let base = '';
  before(async () => {
    server = createServer((req, res) => {
      const gzip = { 'Content-Encoding': 'gzip' };
      if (req.url === '/gzip') res.writeHead(200, gzip).end(gzipSync(TEXT));
      else if (req.url === '/to-ftp') res.writeHead(302, { Location: 'ftp://example.com/metrics' }).end();
      else if (req.url === '/bad-location') res.writeHead(302, { Location: 'http://[oops/' }).end();
      else if (req.url === '/corrupt') res.writeHead(200, gzip).end(gzipSync(TEXT).subarray(0, 100));
      else res.writeHead(200).end(TEXT);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    await dispatcher.close();
    server.close();
  });

  const scraper = (path: string, bodySizeLimit = 0, pool = dispatcher): HttpScraper =>
    new HttpScraper({
      url: base + path,
      accept: 'text/plain',
      timeoutMs: 5000,
      bodySizeLimit,
      enableCompression: true,
      httpClient: defaultHTTPClientConfig(),
      dispatcher: pool,
    });

  it('decompresses a gzipped body, the same again on the next scrape', async () => {
    const s = scraper('/gzip');
    for (let i = 0; i < 2; i++) assert.equal(await s.scrape(text), TEXT);
  });

  it('keeps one connection open for the next scrape', async () => {
    let connections = 0;
    const count = (): void => void connections++;
    server.on('connection', count);
    const pool = poolDispatcher(defaultHTTPClientConfig());
    try {
      const s = scraper('/plain', 0, pool);
      for (let i = 0; i < 3; i++) {
        // Scrapes of a target are an interval apart: the connection has been handed back by then.
        await new Promise((resolve) => setImmediate(resolve));
        assert.equal(await s.scrape(text), TEXT);
      }
      assert.equal(connections, 1);
    } finally {
      server.off('connection', count);
      await pool.close();
    }
  });

  it('fails a redirect it cannot follow, naming the target', async () => {
    await assert.rejects(
      scraper('/to-ftp').scrape(text),
      new Error(`Get "${base}/to-ftp": unsupported protocol scheme "ftp"`),
    );
    await assert.rejects(
      scraper('/bad-location').scrape(text),
      new Error(`Get "${base}/bad-location": failed to parse Location header "http://[oops/"`),
    );
  });

  it("rejects with the consumer's error", async () => {
    const fail = (): never => {
      throw new Error('parse error at 1:1');
    };
    await assert.rejects(scraper('/gzip').scrape(fail), /^Error: parse error at 1:1$/);
    await assert.rejects(scraper('/plain').scrape(fail), /^Error: parse error at 1:1$/);
  });

  it('fails a truncated gzip body with a read error', async () => {
    await assert.rejects(scraper('/corrupt').scrape(text), /^Error: read body: /);
  });

  it('fails a gzipped body that decompresses to the size limit', async () => {
    await assert.rejects(scraper('/gzip', TEXT.length).scrape(text), BodySizeLimitError);
    await assert.rejects(scraper('/gzip', 1000).scrape(text), BodySizeLimitError);
    assert.equal((await scraper('/gzip', TEXT.length + 1).scrape(text)).length, TEXT.length);
  });
});

describe('HttpScraper over HTTPS (a test CA made with openssl)', () => {
  let pki: TestPki;
  let server: HttpsServer;
  let port = 0;
  before(async () => {
    pki = makeTestPki();
    server = createHttpsServer(
      {
        cert: pem(pki.serverCert),
        key: pem(pki.serverKey),
        ca: pem(pki.caCert),
        requestCert: true,
        rejectUnauthorized: false,
      },
      (req, res) => {
        // /mtls answers only a client whose certificate the CA signed.
        const socket = req.socket as TLSSocket;
        if (req.url === '/mtls' && !socket.authorized) res.writeHead(403).end();
        else res.writeHead(200).end('tls_up 1\n');
      },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(() => server.close());

  const scrape = async (host: string, path: string, tls: Partial<TLSConfig>): Promise<string> => {
    const httpClient = defaultHTTPClientConfig();
    httpClient.tlsConfig = { ...httpClient.tlsConfig, ...tls };
    const dispatcher = poolDispatcher(httpClient);
    const s = new HttpScraper({
      url: `https://${host}:${port}${path}`,
      accept: 'text/plain',
      timeoutMs: 5000,
      bodySizeLimit: 0,
      enableCompression: true,
      httpClient,
      dispatcher,
    });
    try {
      return await s.scrape(text);
    } finally {
      await dispatcher.close();
    }
  };

  it('trusts the server through ca_file, by IP address or by name', async () => {
    assert.equal(await scrape('127.0.0.1', '/', { caFile: pki.caCert }), 'tls_up 1\n');
    assert.equal(await scrape('localhost', '/', { caFile: pki.caCert }), 'tls_up 1\n');
  });

  it('fails an untrusted server, unless insecure_skip_verify', async () => {
    await assert.rejects(scrape('127.0.0.1', '/', {}), (err: Error) => {
      assert.match(err.message, new RegExp(`^Get "https://127.0.0.1:${port}/": .*certificate`));
      return true;
    });
    assert.equal(await scrape('127.0.0.1', '/', { insecureSkipVerify: true }), 'tls_up 1\n');
  });

  it('checks the certificate against server_name instead of the URL host', async () => {
    assert.equal(
      await scrape('127.0.0.1', '/', { caFile: pki.caCert, serverName: 'localhost' }),
      'tls_up 1\n',
    );
    await assert.rejects(
      scrape('localhost', '/', { caFile: pki.caCert, serverName: 'elsewhere.example' }),
      /elsewhere\.example/,
    );
  });

  it('presents the client certificate of cert_file and key_file', async () => {
    const trusted = { caFile: pki.caCert };
    await assert.rejects(scrape('127.0.0.1', '/mtls', trusted), /server returned HTTP status 403 Forbidden/);
    const withCert = { ...trusted, certFile: pki.clientCert, keyFile: pki.clientKey };
    assert.equal(await scrape('127.0.0.1', '/mtls', withCert), 'tls_up 1\n');
  });
});
