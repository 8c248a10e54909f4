/**
 * What `--web.config.file` costs per request: a bcrypt check (cost 10, as `htpasswd -B` makes)
 * without and with the cache of successful checks, the change check of `WebConfigSource.current()`
 * (a `stat` per file), and `/-/healthy` over keep-alive HTTP without a web config, with one that
 * has users (cached credentials), and with TLS plus users.
 *
 * Run: `npm run bench:web-auth` (builds first). Figures go in docs/benchmarks.md.
 */
import { writeFileSync } from 'node:fs';
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import bcrypt from 'bcryptjs';
import { makeTestPki, pem } from '../test/support/tls-pki.js';
import { Engine } from '../src/promql/engine/engine.js';
import { MemoryStorage } from '../src/storage/memory.js';
import { noopLogger } from '../src/util/logger.js';
import { BasicAuthenticator } from '../src/web/basic-auth.js';
import { engineAdapter } from '../src/web/engine-adapter.js';
import { WebServer } from '../src/web/server.js';
import { WebConfigSource } from '../src/web/web-config-source.js';

const HASH = bcrypt.hashSync('s3cret', 10);
const HEADER = `Basic ${Buffer.from('admin:s3cret').toString('base64')}`;
const USERS = new Map([['admin', HASH]]);

async function timeIt(name: string, n: number, fn: () => unknown): Promise<void> {
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await fn();
  const ns = Number(process.hrtime.bigint() - start) / n;
  const per = ns >= 1e6 ? `${(ns / 1e6).toFixed(1)} ms` : `${(ns / 1e3).toFixed(2)} µs`;
  console.log(`${name.padEnd(48)} ${per} per call (n=${n})`);
}

async function httpScenario(name: string, webConfigText: string | undefined, tlsCa?: Buffer): Promise<void> {
  let webConfig: WebConfigSource | undefined;
  if (webConfigText !== undefined) {
    const file = `${pkiDir}/bench-web-${name.replace(/\W+/g, '-')}.yml`;
    writeFileSync(file, webConfigText);
    webConfig = WebConfigSource.open(file, noopLogger);
  }
  const storage = new MemoryStorage();
  const server = new WebServer(
    { queryable: storage, engine: engineAdapter(new Engine()) },
    { listenAddress: '127.0.0.1:0', uiDir: '/nonexistent', webConfig },
  );
  server.setReady(true);
  const { port } = await server.listen();
  const clients = 10;
  const perClient = 1000;
  const agentOpts = { keepAlive: true, maxSockets: clients };
  const agent = tlsCa === undefined ? new HttpAgent(agentOpts) : new HttpsAgent({ ...agentOpts, ca: tlsCa });
  const one = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const opts = { host: '127.0.0.1', port, path: '/-/healthy', agent, headers: { authorization: HEADER } };
      const req = (tlsCa === undefined ? httpRequest : httpsRequest)(opts, (res) => {
        if (res.statusCode !== 200) reject(new Error(`status ${res.statusCode}`));
        res.resume();
        res.on('end', resolve);
      });
      req.on('error', reject);
      req.end();
    });
  await one();
  const start = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (let i = 0; i < perClient; i++) await one();
    }),
  );
  const s = Number(process.hrtime.bigint() - start) / 1e9;
  console.log(
    `${`/-/healthy, ${name}`.padEnd(48)} ${((clients * perClient) / s).toFixed(0)} req/s (10 clients)`,
  );
  agent.destroy();
  await server.close();
}

const pki = makeTestPki();
const pkiDir = pki.dir;

await timeIt('bcrypt check, cost 10, no cache', 10, () => new BasicAuthenticator().check(USERS, HEADER));
const cached = new BasicAuthenticator();
await cached.check(USERS, HEADER);
await timeIt('bcrypt check, cost 10, cached', 100_000, () => cached.check(USERS, HEADER));

const tlsText = `tls_server_config:\n  cert_file: ${pki.serverCert}\n  key_file: ${pki.serverKey}\n`;
const usersText = `basic_auth_users:\n  admin: ${HASH}\n`;
writeFileSync(`${pkiDir}/bench-source.yml`, tlsText + usersText);
const source = WebConfigSource.open(`${pkiDir}/bench-source.yml`, noopLogger);
// Let the files age past the 2 s "racy" window, where contents are compared on every call.
await new Promise((r) => setTimeout(r, 2_100));
await timeIt('WebConfigSource.current(), 3 files unchanged', 100_000, () => source.current());

await httpScenario('no web config', undefined);
await httpScenario('basic auth (cached)', usersText);
await httpScenario('TLS + basic auth (cached)', tlsText + usersText, pem(pki.caCert));
