import { test } from 'node:test';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { KubernetesSDConfig } from '../config/discovery.js';
import { defaultHTTPClientConfig } from '../config/http-client.js';
import { DiscoveryError } from './errors.js';
import { kubernetesOptionsFromConfig } from './kubernetes-config.js';
import { resolveKubernetesConnection } from './kubernetes-connection.js';
import { KubernetesDiscoverer } from './kubernetes.js';
import { GroupCollector } from '../../test/helpers/sd-collector.js';
import { KubeReplayServer } from '../../test/helpers/kube-replay.js';
import { REPO_ROOT } from '../../test/support/paths.js';

const FIXTURES = path.join(REPO_ROOT, 'src/discovery/testdata/kubernetes');

function config(over: Partial<KubernetesSDConfig> = {}): KubernetesSDConfig {
  return {
    apiServer: '',
    role: 'pod',
    kubeconfigFile: '',
    namespaces: { ownNamespace: false, names: [] },
    selectors: [],
    attachMetadata: { node: false, namespace: false, deployment: false, job: false, cronjob: false },
    httpClient: defaultHTTPClientConfig(),
    ...over,
  };
}

async function tempDir(t: TestContext): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'vigil-k8s-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

test('in-cluster: service host and port from the environment, token re-read per request', async (t) => {
  const dir = await tempDir(t);
  await writeFile(path.join(dir, 'token'), 'first\n');
  await writeFile(path.join(dir, 'ca.crt'), 'CA PEM');
  await writeFile(path.join(dir, 'namespace'), 'monitoring');
  const env = {
    env: { KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: '443' },
    serviceAccountDir: dir,
  };
  const conn = await resolveKubernetesConnection(config(), env);
  assert.equal(conn.server, 'https://10.96.0.1:443');
  assert.equal(conn.tls.ca, 'CA PEM');
  assert.equal(await conn.authorization(), 'Bearer first');
  await writeFile(path.join(dir, 'token'), 'rotated');
  assert.equal(await conn.authorization(), 'Bearer rotated');

  const opts = await kubernetesOptionsFromConfig(
    config({
      role: 'service',
      namespaces: { ownNamespace: true, names: ['default'] },
      selectors: [
        { role: 'pod', label: 'ignored=1', field: '' },
        { role: 'service', label: 'app=web', field: 'metadata.name=web' },
      ],
    }),
    env,
  );
  assert.deepEqual(
    { ...opts, retryMs: 0 },
    {
      role: 'service',
      namespaces: ['default', 'monitoring'],
      labelSelector: 'app=web',
      fieldSelector: 'metadata.name=web',
      attachNodeMetadata: false,
      retryMs: 0,
    },
  );
});

test('in-cluster without the environment variables is a configuration error', async () => {
  await assert.rejects(
    resolveKubernetesConnection(config(), { env: {}, serviceAccountDir: '/nonexistent' }),
    (err: unknown) => err instanceof DiscoveryError && err.code === 'ERR_SD_K8S_CONFIG',
  );
});

test('api_server uses the config auth and TLS settings', async (t) => {
  const dir = await tempDir(t);
  await writeFile(path.join(dir, 'cred'), 's3cret\n');
  const httpClient = defaultHTTPClientConfig();
  httpClient.authorization = { type: '', credentials: '', credentialsFile: path.join(dir, 'cred') };
  httpClient.tlsConfig.insecureSkipVerify = true;
  httpClient.tlsConfig.ca = 'INLINE CA';
  const conn = await resolveKubernetesConnection(
    config({ apiServer: 'https://k8s.example.com:6443', httpClient }),
  );
  assert.equal(conn.server, 'https://k8s.example.com:6443');
  assert.equal(await conn.authorization(), 'Bearer s3cret');
  assert.equal(conn.tls.rejectUnauthorized, false);
  assert.equal(conn.tls.ca, 'INLINE CA');
});

test('kubeconfig_file: the current context selects cluster and user', async (t) => {
  const dir = await tempDir(t);
  const file = path.join(dir, 'kubeconfig');
  await writeFile(path.join(dir, 'ca.pem'), 'FILE CA');
  await writeFile(
    file,
    [
      'apiVersion: v1',
      'kind: Config',
      'current-context: prod',
      'clusters:',
      '  - name: dev',
      '    cluster: { server: "https://dev:6443" }',
      '  - name: prod',
      '    cluster:',
      '      server: https://prod.example.com:6443',
      '      certificate-authority: ca.pem',
      'contexts:',
      '  - name: prod',
      '    context: { cluster: prod, user: admin }',
      'users:',
      '  - name: admin',
      '    user:',
      '      token: abc123',
      `      client-key-data: ${Buffer.from('KEY').toString('base64')}`,
    ].join('\n'),
  );
  const conn = await resolveKubernetesConnection(config({ kubeconfigFile: file }));
  assert.equal(conn.server, 'https://prod.example.com:6443');
  assert.equal(conn.tls.ca, 'FILE CA');
  assert.equal(String(conn.tls.key), 'KEY');
  assert.equal(conn.tls.rejectUnauthorized, true);
  assert.equal(await conn.authorization(), 'Bearer abc123');
});

test('in-cluster over HTTPS: the service account CA is trusted and the token sent', async (t) => {
  const tls = path.join(FIXTURES, 'tls');
  const server = new KubeReplayServer().list(
    '/api/v1/nodes',
    await readFile(path.join(FIXTURES, 'nodes.json'), 'utf8'),
  );
  const base = new URL(
    await server.start({
      key: await readFile(path.join(tls, 'server.key'), 'utf8'),
      cert: await readFile(path.join(tls, 'server.crt'), 'utf8'),
    }),
  );
  t.after(() => server.stop());
  const dir = await tempDir(t);
  await writeFile(path.join(dir, 'token'), 'sa-token');
  await copyFile(path.join(tls, 'server.crt'), path.join(dir, 'ca.crt'));
  const env = {
    env: { KUBERNETES_SERVICE_HOST: '127.0.0.1', KUBERNETES_SERVICE_PORT: base.port },
    serviceAccountDir: dir,
  };
  const connection = await resolveKubernetesConnection(config({ role: 'node' }), env);
  const d = new KubernetesDiscoverer({ role: 'node', retryMs: 20 }, { connection });
  const c = new GroupCollector();
  const ac = new AbortController();
  const done = d.run(ac.signal, c.emit);
  try {
    await c.waitFor('nodes over HTTPS', () => c.addresses().join() === '10.0.1.11:10250,edge-1:10250');
    assert.equal(server.authorizations[0], 'Bearer sa-token');
  } finally {
    ac.abort();
    await done;
  }
});
