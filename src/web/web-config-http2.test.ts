/**
 * HTTP/2 under `--web.config.file`, with real TLS and `node:http2`'s client: ALPN picks `h2` by
 * default and `http/1.1` with `http2: false`; every kind of response (JSON, gzip, form bodies,
 * HEAD, console files, federation, routes other modules add, 401s) is valid HTTP/2; HTTP/1.1
 * clients are still served; a file edited under the server applies; closing ends open sessions.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { connect, constants } from 'node:http2';
import type { ClientHttp2Session, IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http2';
import type { IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import path from 'node:path';
import { TLSSocket, connect as tlsConnect } from 'node:tls';
import { text } from 'node:stream/consumers';
import { after, before, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import bcrypt from 'bcryptjs';
import { recordingLogger } from '../../test/helpers/recording-logger.js';
import { makeTestPki, pem } from '../../test/support/tls-pki.js';
import type { TestPki } from '../../test/support/tls-pki.js';
import { Labels } from '../model/labels.js';
import { MemoryStorage } from '../storage/memory.js';
import type { WebOptions } from './options.js';
import type { QueryEngine, WebSources } from './sources.js';
import { startHarness } from './testing/harness.js';
import type { Harness } from './testing/harness.js';
import { WebConfigSource } from './web-config-source.js';

interface H2Reply {
  status: number;
  headers: IncomingHttpHeaders;
  /** The body, gunzipped when it came compressed. */
  text: string;
}

let pki: TestPki;
let uiDir: string;
const warnings: Error[] = [];
const onWarning = (w: Error): void => void warnings.push(w);
before(() => {
  pki = makeTestPki();
  uiDir = path.join(pki.dir, 'ui');
  mkdirSync(path.join(uiDir, 'assets'), { recursive: true });
  writeFileSync(path.join(uiDir, 'index.html'), '<title>TITLE_PLACEHOLDER</title>');
  writeFileSync(path.join(uiDir, 'assets', 'app.js'), 'console.log(1);');
  // Node drops HTTP/1-only headers (`Connection`, …) from HTTP/2 answers with a warning.
  process.on('warning', onWarning);
});

const open: Harness[] = [];
after(async () => {
  process.off('warning', onWarning);
  for (const h of open) await h.close();
});

let fileCount = 0;
function webConfigFile(text: string): string {
  const file = path.join(pki.dir, `web-h2-${++fileCount}.yml`);
  writeFileSync(file, text);
  return file;
}

function tlsBlock(extra = ''): string {
  return `tls_server_config:\n  cert_file: ${pki.serverCert}\n  key_file: ${pki.serverKey}\n${extra}`;
}

const ALICE = bcrypt.hashSync('alice-secret', 4);
const ALICE_AUTH = `Basic ${Buffer.from('alice:alice-secret').toString('base64')}`;

async function serve(
  file: string,
  o: {
    logger?: ReturnType<typeof recordingLogger>;
    options?: Partial<WebOptions>;
    storage?: MemoryStorage;
    sources?: Partial<WebSources>;
  } = {},
): Promise<Harness> {
  const logger = o.logger ?? recordingLogger();
  const h = await startHarness({
    storage: o.storage,
    sources: o.sources,
    options: { webConfig: WebConfigSource.open(file, logger), logger, uiDir, ...o.options },
  });
  // As `/metrics` writes its answer: `writeHead`, then `end`.
  h.server.addRoute('GET', '/metrics', (_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' });
    res.end('up 1\n');
    return Promise.resolve();
  });
  open.push(h);
  return h;
}

function session(h: Harness): Promise<ClientHttp2Session> {
  return new Promise((resolve, reject) => {
    const s = connect(`https://127.0.0.1:${h.port}`, { ca: pem(pki.caCert), servername: 'localhost' });
    s.once('error', reject);
    s.once('connect', () => {
      s.off('error', reject);
      resolve(s);
    });
  });
}

/** One request on `s`; `body` is sent url-encoded as a form. */
function request(s: ClientHttp2Session, headers: OutgoingHttpHeaders, body?: string): Promise<H2Reply> {
  return new Promise((resolve, reject) => {
    const req = s.request(headers, { endStream: body === undefined });
    let head: IncomingHttpHeaders = {};
    const chunks: Buffer[] = [];
    req.on('response', (h) => (head = h));
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const text = (head['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString();
      resolve({ status: Number(head[':status']), headers: head, text });
    });
    req.on('error', reject);
    if (body !== undefined) req.end(body);
  });
}

/** A GET on a session of its own. */
async function h2Get(h: Harness, urlPath: string, headers: OutgoingHttpHeaders = {}): Promise<H2Reply> {
  const s = await session(h);
  try {
    return await request(s, { ':path': urlPath, ...headers });
  } finally {
    s.close();
  }
}

/** The protocol ALPN settles on when the client offers `offer`. */
function alpn(h: Harness, offer: string[]): Promise<string | false> {
  return new Promise((resolve, reject) => {
    const socket = tlsConnect(
      { host: '127.0.0.1', port: h.port, ca: pem(pki.caCert), servername: 'localhost', ALPNProtocols: offer },
      () => {
        resolve(socket.alpnProtocol ?? false);
        socket.end();
      },
    );
    socket.on('error', reject);
  });
}

/** An HTTPS GET from `node:https` (HTTP/1.1), offering `offer` by ALPN when given (else no ALPN). */
async function http1Get(
  h: Harness,
  urlPath: string,
  offer?: string[],
): Promise<{ status: number; version: string; text: string }> {
  const res = await new Promise<IncomingMessage>((resolve, reject) => {
    const req = httpsRequest(
      {
        host: '127.0.0.1',
        port: h.port,
        path: urlPath,
        ca: pem(pki.caCert),
        servername: 'localhost',
        agent: false,
        createConnection:
          offer === undefined
            ? undefined
            : () =>
                tlsConnect({
                  host: '127.0.0.1',
                  port: h.port,
                  ca: pem(pki.caCert),
                  servername: 'localhost',
                  ALPNProtocols: offer,
                }),
      },
      resolve,
    );
    req.on('error', reject);
    req.end();
  });
  return { status: res.statusCode ?? 0, version: res.httpVersion, text: await text(res) };
}

/** Fails when an HTTP/2 answer carries a header HTTP/2 forbids. */
function assertNoHttp1Headers(r: H2Reply, what: string): void {
  for (const name of ['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection'])
    assert.equal(r.headers[name], undefined, `${what}: ${name}`);
}

describe('ALPN', () => {
  it('h2 by default; http/1.1 for a client that offers only that', async () => {
    const h = await serve(webConfigFile(tlsBlock()));
    assert.equal(await alpn(h, ['h2', 'http/1.1']), 'h2');
    assert.equal(await alpn(h, ['http/1.1']), 'http/1.1');
    assert.equal(h.server.http2, true);
  });

  it('http2: false: http/1.1 even when the client prefers h2', async () => {
    const h = await serve(webConfigFile(`${tlsBlock()}http_server_config:\n  http2: false\n`));
    assert.equal(await alpn(h, ['h2', 'http/1.1']), 'http/1.1');
    assert.equal(h.server.http2, false);
    await assert.rejects(h2Get(h, '/-/healthy'));
    assert.equal((await http1Get(h, '/-/healthy')).status, 200);
  });

  it('plain HTTP: no HTTP/2, whatever the file says', async () => {
    const h = await serve(webConfigFile('http_server_config:\n  http2: true\n'));
    assert.equal(h.server.http2, false);
  });
});

describe('HTTP/2 responses', () => {
  it('API JSON, gzip, POST forms, HEAD, console files, federation, added routes, 404 — on one session', async () => {
    const storage = new MemoryStorage();
    storage.add(Labels.from({ __name__: 'up', job: 'api' }), 5_000, 1);
    const h = await serve(
      webConfigFile(`${tlsBlock()}http_server_config:\n  headers:\n    X-Frame-Options: deny\n`),
      { storage, options: { now: () => 10_000 } },
    );
    warnings.length = 0;
    const s = await session(h);
    try {
      const [query, gz, form, head, index, asset, fed, metrics, missing] = await Promise.all([
        request(s, { ':path': '/api/v1/query?query=1%2B1&time=10' }),
        request(s, { ':path': '/api/v1/labels', 'accept-encoding': 'gzip' }),
        request(
          s,
          {
            ':method': 'POST',
            ':path': '/api/v1/query',
            'content-type': 'application/x-www-form-urlencoded',
          },
          'query=up&time=10',
        ),
        request(s, { ':method': 'HEAD', ':path': '/-/healthy' }),
        request(s, { ':path': '/query' }),
        request(s, { ':path': '/assets/app.js', 'accept-encoding': 'gzip' }),
        request(s, { ':path': `/federate?match[]=${encodeURIComponent('{job="api"}')}` }),
        request(s, { ':path': '/metrics' }),
        request(s, { ':path': '/nope' }),
      ]);
      assert.equal(query.status, 200);
      assert.deepEqual(JSON.parse(query.text), {
        status: 'success',
        data: { resultType: 'scalar', result: [10, '2'] },
      });
      assert.equal(query.headers['content-type'], 'application/json');
      assert.equal(gz.headers['content-encoding'], 'gzip');
      assert.deepEqual(JSON.parse(gz.text), { status: 'success', data: ['__name__', 'job'] });
      assert.equal(form.status, 200);
      assert.match(form.text, /"metric":\{"__name__":"up","job":"api"\},"value":\[10,"1"\]/);
      assert.equal(head.status, 200);
      assert.equal(head.text, '');
      assert.equal(head.headers['content-length'], String('Vigil Server is Healthy.\n'.length));
      assert.equal(index.status, 200);
      assert.match(index.text, /<title>/);
      assert.equal(asset.headers['content-encoding'], 'gzip');
      assert.equal(asset.text, 'console.log(1);');
      assert.match(String(asset.headers['cache-control']), /immutable/);
      assert.equal(fed.text, '# TYPE up untyped\nup{instance="",job="api"} 1 5000\n');
      assert.equal(metrics.text, 'up 1\n');
      assert.equal(missing.status, 404);
      for (const [what, r] of Object.entries({
        query,
        gz,
        form,
        head,
        index,
        asset,
        fed,
        metrics,
        missing,
      })) {
        assertNoHttp1Headers(r, what);
        assert.equal(r.headers['x-frame-options'], 'deny', what);
      }
      assert.deepEqual(warnings, []);
    } finally {
      s.close();
    }
  });

  it('basic auth: 401 with the challenge and no data, then 200 with credentials, on one session', async () => {
    const h = await serve(webConfigFile(`${tlsBlock()}basic_auth_users:\n  alice: ${ALICE}\n`));
    const s = await session(h);
    try {
      for (const authorization of [undefined, `Basic ${Buffer.from('alice:wrong').toString('base64')}`]) {
        const r = await request(s, {
          ':path': '/api/v1/query?query=1',
          ...(authorization && { authorization }),
        });
        assert.equal(r.status, 401);
        assert.equal(r.headers['www-authenticate'], 'Basic');
        assert.equal(r.text, 'Unauthorized\n');
        assertNoHttp1Headers(r, '401');
      }
      const replies = await Promise.all(
        Array.from({ length: 10 }, () => request(s, { ':path': '/-/healthy', authorization: ALICE_AUTH })),
      );
      assert.deepEqual(
        replies.map((r) => r.status),
        replies.map(() => 200),
      );
    } finally {
      s.close();
    }
  });

  it('HTTP/1.1 clients are served next to HTTP/2 ones', async () => {
    const h = await serve(webConfigFile(tlsBlock()));
    const s = await session(h);
    try {
      const [h1, h1Alpn, h2] = await Promise.all([
        http1Get(h, '/api/v1/query?query=3&time=1'),
        http1Get(h, '/api/v1/query?query=3&time=1', ['http/1.1']),
        request(s, { ':path': '/api/v1/query?query=3&time=1' }),
      ]);
      assert.equal(h1.version, '1.1');
      assert.equal(h1Alpn.version, '1.1');
      for (const r of [h1.text, h1Alpn.text, h2.text]) assert.match(r, /"result":\[1,"3"\]/);
    } finally {
      s.close();
    }
  });
});

describe('HTTP/2 streams cancelled', () => {
  it('a stream the client cancels aborts its query; the session goes on', async () => {
    let aborted: () => void = () => undefined;
    const queryAborted = new Promise<void>((resolve) => (aborted = resolve));
    let started: () => void = () => undefined;
    const queryStarted = new Promise<void>((resolve) => (started = resolve));
    // An engine that answers only when its query is aborted.
    const engine: QueryEngine = {
      instantQuery: (_q, _query, _t, o) =>
        new Promise((_resolve, reject) => {
          started();
          o.signal?.addEventListener('abort', () => {
            aborted();
            reject(new Error('aborted'));
          });
        }),
      rangeQuery: () => Promise.reject(new Error('not used')),
    };
    const h = await serve(webConfigFile(tlsBlock()), { sources: { engine } });
    const s = await session(h);
    try {
      const stream = s.request({ ':path': '/api/v1/query?query=up' });
      stream.on('error', () => undefined);
      await queryStarted;
      stream.close(constants.NGHTTP2_CANCEL);
      await queryAborted;
      assert.equal((await request(s, { ':path': '/-/healthy' })).status, 200);
    } finally {
      s.close();
    }
  });
});

describe('HTTP/2 and the file edited under the server', () => {
  it('users and headers apply to the next stream of an open session; a certificate to the next connection', async () => {
    const file = webConfigFile(
      `tls_server_config:\n  cert_file: ${pki.dir}/h2-live.pem\n  key_file: ${pki.dir}/h2-live.key\n` +
        `basic_auth_users:\n  alice: ${ALICE}\n`,
    );
    writeFileSync(`${pki.dir}/h2-live.pem`, pem(pki.serverCert));
    writeFileSync(`${pki.dir}/h2-live.key`, pem(pki.serverKey));
    const h = await serve(file);
    const s = await session(h);
    try {
      assert.equal((await request(s, { ':path': '/-/healthy', authorization: ALICE_AUTH })).status, 200);
      writeFileSync(
        file,
        `tls_server_config:\n  cert_file: ${pki.dir}/h2-live.pem\n  key_file: ${pki.dir}/h2-live.key\n` +
          'http_server_config:\n  headers:\n    X-Content-Type-Options: nosniff\n',
      );
      const r = await request(s, { ':path': '/-/healthy' });
      assert.equal(r.status, 200, 'no users left: no authentication');
      assert.equal(r.headers['x-content-type-options'], 'nosniff');
    } finally {
      s.close();
    }
    writeFileSync(`${pki.dir}/h2-live.pem`, pem(pki.otherServerCert));
    writeFileSync(`${pki.dir}/h2-live.key`, pem(pki.otherServerKey));
    const peer = await new Promise<string>((resolve, reject) => {
      const c = connect(`https://127.0.0.1:${h.port}`, { ca: pem(pki.caCert), servername: 'localhost' });
      c.once('error', reject);
      c.once('connect', (_s, socket) => {
        resolve(socket instanceof TLSSocket ? String(socket.getPeerCertificate().subject.CN) : '');
        c.close();
      });
    });
    assert.equal(peer, 'other.localhost');
  });

  it('switching http2 needs a restart: refused with an error, the server goes on as it was', async () => {
    const file = webConfigFile(tlsBlock());
    const logger = recordingLogger();
    const h = await serve(file, { logger });
    writeFileSync(file, `${tlsBlock()}http_server_config:\n  http2: false\n`);
    assert.equal((await h2Get(h, '/-/healthy')).status, 200);
    assert.match(logger.errors[0] ?? '', /turning http2 on or off needs a restart/);
  });
});

describe('closing with HTTP/2 sessions open', () => {
  it('/-/quit answers over HTTP/2, and closing ends the idle session', async () => {
    let quit: Promise<void> | undefined;
    const h: Harness = await serve(webConfigFile(tlsBlock()), {
      options: { enableLifecycle: true },
      sources: {
        lifecycle: {
          reload: () => Promise.resolve(),
          quit: () => {
            quit = h.server.close();
          },
        },
      },
    });
    const s = await session(h);
    const sessionClosed = new Promise<void>((resolve) => s.once('close', resolve));
    const r = await request(s, { ':method': 'POST', ':path': '/-/quit' });
    assert.equal(r.status, 200);
    assert.equal(r.text, 'Requesting termination... Goodbye!');
    assert.notEqual(quit, undefined);
    await quit;
    await sessionClosed;
  });

  it('a request in flight is answered before close() resolves', async () => {
    const h = await serve(webConfigFile(tlsBlock()));
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    h.server.addRoute('GET', '/slow', async (_req, res) => {
      await gate;
      res.end('done');
    });
    const s = await session(h);
    const reply = request(s, { ':path': '/slow' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const closed = h.server.close();
    release();
    assert.equal((await reply).text, 'done');
    await closed;
  });

  it('an idle session is closed after --web.read-timeout', async () => {
    const h = await serve(webConfigFile(tlsBlock()), { options: { readTimeout: 300 } });
    const s = await session(h);
    const sessionClosed = new Promise<void>((resolve) => s.once('close', resolve));
    assert.equal((await request(s, { ':path': '/-/healthy' })).status, 200);
    await sessionClosed;
  });
});
