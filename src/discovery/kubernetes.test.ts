/**
 * Kubernetes SD against a real HTTP server that replays API responses. No API server can run here,
 * so the JSON under testdata/kubernetes/ is written by hand in exactly the shape the API server
 * returns (PodList, NodeList, ServiceList, watch events as newline-delimited JSON), not captured
 * from a cluster; replace it with real captures when one is at hand.
 */
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { GroupCollector } from '../../test/helpers/sd-collector.js';
import { KubeReplayServer } from '../../test/helpers/kube-replay.js';
import { REPO_ROOT } from '../../test/support/paths.js';
import type { TargetGroup } from './discoverer.js';
import type { KubernetesOptions } from './kubernetes.js';
import { KubernetesDiscoverer } from './kubernetes.js';

const FIXTURES = path.join(REPO_ROOT, 'src/discovery/testdata/kubernetes');
const fixture = (name: string): string => readFileSync(path.join(FIXTURES, name), 'utf8');

/** Starts the replay server and a discoverer on it; everything stops when the test ends. */
async function start(
  t: TestContext,
  server: KubeReplayServer,
  options: Partial<KubernetesOptions>,
): Promise<{ c: GroupCollector; emitted: TargetGroup[][] }> {
  const base = await server.start();
  const d = new KubernetesDiscoverer(
    { retryMs: 20, ...options },
    {
      connection: {
        server: base,
        authorization: () => Promise.resolve('Bearer t0k3n'),
        tls: { rejectUnauthorized: true },
      },
    },
  );
  const c = new GroupCollector();
  const emitted: TargetGroup[][] = [];
  const ac = new AbortController();
  const done = d.run(ac.signal, (groups) => {
    emitted.push(groups);
    c.emit(groups);
  });
  t.after(async () => {
    ac.abort();
    await done;
    await server.stop();
  });
  return { c, emitted };
}

function records(g: TargetGroup | undefined): Record<string, string>[] {
  assert.ok(g, 'group exists');
  return g.targets.map((l) => l.toRecord());
}

test('pod role: every meta label, one target per container port or per portless container', async (t) => {
  const server = new KubeReplayServer().list('/api/v1/pods', fixture('pods.json'));
  const { c, emitted } = await start(t, server, { role: 'pod' });
  await c.waitFor('pods listed', () => c.emits > 0);
  assert.equal(emitted.length, 1);
  const web = c.groups.get('pod/default/web-7d4b9c6f5-x2kqp');
  assert.ok(web);
  assert.deepEqual(web.labels.toRecord(), {
    __meta_kubernetes_namespace: 'default',
    __meta_kubernetes_pod_name: 'web-7d4b9c6f5-x2kqp',
    __meta_kubernetes_pod_ip: '10.244.1.17',
    __meta_kubernetes_pod_ready: 'true',
    __meta_kubernetes_pod_phase: 'Running',
    __meta_kubernetes_pod_node_name: 'worker-1',
    __meta_kubernetes_pod_host_ip: '10.0.1.11',
    __meta_kubernetes_pod_uid: '0b3c6a5e-6f0e-4a53-9d0f-2b8f6c1e7a11',
    __meta_kubernetes_pod_label_app_kubernetes_io_name: 'web',
    __meta_kubernetes_pod_labelpresent_app_kubernetes_io_name: 'true',
    __meta_kubernetes_pod_label_pod_template_hash: '7d4b9c6f5',
    __meta_kubernetes_pod_labelpresent_pod_template_hash: 'true',
    __meta_kubernetes_pod_annotation_prometheus_io_scrape: 'true',
    __meta_kubernetes_pod_annotationpresent_prometheus_io_scrape: 'true',
    __meta_kubernetes_pod_annotation_prometheus_io_port: '8080',
    __meta_kubernetes_pod_annotationpresent_prometheus_io_port: 'true',
    __meta_kubernetes_pod_controller_kind: 'ReplicaSet',
    __meta_kubernetes_pod_controller_name: 'web-7d4b9c6f5',
  });
  const container = (name: string, id: string, image: string, init: boolean): Record<string, string> => ({
    __meta_kubernetes_pod_container_name: name,
    __meta_kubernetes_pod_container_id: id,
    __meta_kubernetes_pod_container_image: image,
    __meta_kubernetes_pod_container_init: String(init),
  });
  const port = (name: string, n: number): Record<string, string> => ({
    __meta_kubernetes_pod_container_port_name: name,
    __meta_kubernetes_pod_container_port_number: String(n),
    __meta_kubernetes_pod_container_port_protocol: 'TCP',
  });
  const webC = container('web', 'containerd://5a4b3c2d1e0f', 'registry.example.com/web:1.4.2', false);
  assert.deepEqual(records(web), [
    { __address__: '10.244.1.17:8080', ...webC, ...port('http', 8080) },
    { __address__: '10.244.1.17:9090', ...webC, ...port('grpc', 9090) },
    {
      __address__: '10.244.1.17',
      ...container('log-shipper', 'containerd://0f9e8d7c6b5a', 'fluent/fluent-bit:3.1', false),
    },
    {
      __address__: '10.244.1.17',
      ...container('migrate', 'containerd://a1b2c3d4e5f6', 'registry.example.com/web-migrate:1.4.2', true),
    },
  ]);
  // A pending pod without an IP has no targets yet.
  assert.ok(!c.groups.has('pod/jobs/batch-runner'));
  assert.ok(emitted[0].some((g) => g.source === 'pod/jobs/batch-runner' && g.targets.length === 0));
  // The list and the watch carry the Authorization header; the watch starts at the list's version.
  await c.waitFor('watch opened', () => server.calls('/api/v1/pods').watches.length > 0);
  const w = server.calls('/api/v1/pods').watches[0];
  assert.equal(w.searchParams.get('resourceVersion'), '48213');
  assert.ok(server.authorizations.every((a) => a === 'Bearer t0k3n'));
});

test('pod role: ADDED, MODIFIED and DELETED watch events change the emitted groups', async (t) => {
  const server = new KubeReplayServer()
    .list('/api/v1/pods', fixture('pods.json'))
    .watch('/api/v1/pods', fixture('pods-watch.ndjson'));
  const { c, emitted } = await start(t, server, { role: 'pod' });
  await c.waitFor('web pod deleted', () => !c.groups.has('pod/default/web-7d4b9c6f5-x2kqp'));
  await c.waitFor('api pod running', () => c.addresses().join() === '10.244.2.5:9100');
  const sources = emitted.map((gs) => gs.map((g) => `${g.source}=${g.targets.length}`).join(','));
  assert.deepEqual(sources.slice(1), [
    'pod/default/api-0=0', // ADDED while Pending: no pod IP, no targets
    'pod/default/api-0=1', // MODIFIED: running with an IP
    'pod/default/web-7d4b9c6f5-x2kqp=0', // DELETED
  ]);
  const api = c.groups.get('pod/default/api-0');
  assert.equal(api?.labels.get('__meta_kubernetes_pod_controller_kind'), 'StatefulSet');
  assert.equal(api?.targets[0].get('__meta_kubernetes_pod_container_id'), 'containerd://77aa88bb99cc');
  // The stream ended after the DELETED event: the next watch resumes from the last version seen.
  await c.waitFor('re-watch', () => server.calls('/api/v1/pods').watches.length >= 2);
  assert.equal(server.calls('/api/v1/pods').watches[1].searchParams.get('resourceVersion'), '48245');
  assert.equal(server.calls('/api/v1/pods').lists.length, 1);
});

test('a 410 Gone, as an ERROR event or as the watch status, triggers a relist', async (t) => {
  const relisted = JSON.stringify({
    kind: 'PodList',
    apiVersion: 'v1',
    metadata: { resourceVersion: '49000' },
    items: [],
  });
  const gone = JSON.stringify({ kind: 'Status', status: 'Failure', reason: 'Expired', code: 410 });
  const server = new KubeReplayServer()
    .list('/api/v1/pods', fixture('pods.json'))
    .list('/api/v1/pods', fixture('pods.json'))
    .list('/api/v1/pods', relisted)
    .watch('/api/v1/pods', fixture('watch-gone.ndjson'))
    .watch('/api/v1/pods', gone, 410);
  const { c } = await start(t, server, { role: 'pod' });
  await c.waitFor('first list', () => c.addresses().length === 4);
  await c.waitFor('relisted twice, pods gone', () => c.groups.size === 0);
  await c.waitFor('watching the relisted version', () => server.calls('/api/v1/pods').watches.length === 3);
  const calls = server.calls('/api/v1/pods');
  assert.equal(calls.lists.length, 3);
  // Watch 1 ends in an ERROR 410 event, watch 2 is refused with HTTP 410; each time a relist
  // follows, and the third watch starts from the last relist's version.
  assert.deepEqual(
    calls.watches.map((u) => u.searchParams.get('resourceVersion')),
    ['48213', '48213', '49000'],
  );
});

test('namespaces restrict the collections, selectors pass through to the API', async (t) => {
  const list = (ns: string): string => {
    const doc = JSON.parse(fixture('pods.json')) as { items: { metadata: { namespace: string } }[] };
    return JSON.stringify({ ...doc, items: doc.items.filter((i) => i.metadata.namespace === ns) });
  };
  const server = new KubeReplayServer()
    .list('/api/v1/namespaces/default/pods', list('default'))
    .list('/api/v1/namespaces/jobs/pods', list('jobs'));
  const { c } = await start(t, server, {
    role: 'pod',
    namespaces: ['default', 'jobs'],
    labelSelector: 'app.kubernetes.io/name=web,tier!=cache',
    fieldSelector: 'spec.nodeName=worker-1',
  });
  await c.waitFor('both listed', () => c.emits > 0);
  await c.waitFor('both watched', () =>
    ['default', 'jobs'].every((ns) => server.calls(`/api/v1/namespaces/${ns}/pods`).watches.length > 0),
  );
  assert.deepEqual([...c.groups.keys()], ['pod/default/web-7d4b9c6f5-x2kqp']);
  assert.equal(server.calls('/api/v1/pods').lists.length, 0, 'no cluster-wide list');
  for (const u of server.requests) {
    assert.equal(u.searchParams.get('labelSelector'), 'app.kubernetes.io/name=web,tier!=cache');
    assert.equal(u.searchParams.get('fieldSelector'), 'spec.nodeName=worker-1');
  }
});

test('node role: address by preference with the kubelet port, instance, every meta label', async (t) => {
  const server = new KubeReplayServer().list('/api/v1/nodes', fixture('nodes.json'));
  // Namespaces do not apply to nodes: the cluster-wide collection is listed.
  const { c } = await start(t, server, { role: 'node', namespaces: ['default'] });
  await c.waitFor('nodes listed', () => c.emits > 0);
  const w = c.groups.get('node/worker-1');
  assert.ok(w);
  assert.deepEqual(records(w), [{ __address__: '10.0.1.11:10250', instance: 'worker-1' }]);
  assert.deepEqual(w.labels.toRecord(), {
    __meta_kubernetes_node_name: 'worker-1',
    __meta_kubernetes_node_provider_id: 'aws:///eu-west-1a/i-0abc123def4567890',
    __meta_kubernetes_node_label_kubernetes_io_hostname: 'worker-1',
    __meta_kubernetes_node_labelpresent_kubernetes_io_hostname: 'true',
    // An empty label value is the same as no label; the labelpresent label still says it exists.
    __meta_kubernetes_node_labelpresent_node_role_kubernetes_io_worker: 'true',
    __meta_kubernetes_node_label_topology_kubernetes_io_zone: 'eu-west-1a',
    __meta_kubernetes_node_labelpresent_topology_kubernetes_io_zone: 'true',
    __meta_kubernetes_node_annotation_node_alpha_kubernetes_io_ttl: '0',
    __meta_kubernetes_node_annotationpresent_node_alpha_kubernetes_io_ttl: 'true',
    __meta_kubernetes_node_address_Hostname: 'ip-10-0-1-11.eu-west-1.compute.internal',
    __meta_kubernetes_node_address_ExternalIP: '54.12.34.56',
    __meta_kubernetes_node_address_InternalIP: '10.0.1.11',
    __meta_kubernetes_node_condition_memorypressure: 'false',
    __meta_kubernetes_node_condition_diskpressure: 'false',
    __meta_kubernetes_node_condition_ready: 'true',
  });
  // Only a Hostname address: it is used.
  const edge = c.groups.get('node/edge-1');
  assert.deepEqual(records(edge), [{ __address__: 'edge-1:10250', instance: 'edge-1' }]);
  assert.equal(edge?.labels.get('__meta_kubernetes_node_condition_ready'), 'unknown');
  assert.equal(edge?.labels.get('__meta_kubernetes_node_provider_id'), '');
});

test('service role: <svc>.<ns>.svc:<port> per port with every meta label', async (t) => {
  const server = new KubeReplayServer().list('/api/v1/services', fixture('services.json'));
  const { c } = await start(t, server, { role: 'service' });
  await c.waitFor('services listed', () => c.emits > 0);
  const web = c.groups.get('svc/default/web');
  assert.ok(web);
  assert.deepEqual(web.labels.toRecord(), {
    __meta_kubernetes_namespace: 'default',
    __meta_kubernetes_service_name: 'web',
    __meta_kubernetes_service_label_app_kubernetes_io_name: 'web',
    __meta_kubernetes_service_labelpresent_app_kubernetes_io_name: 'true',
    __meta_kubernetes_service_annotation_prometheus_io_probe: 'true',
    __meta_kubernetes_service_annotationpresent_prometheus_io_probe: 'true',
  });
  const clusterIP = {
    __meta_kubernetes_service_type: 'ClusterIP',
    __meta_kubernetes_service_cluster_ip: '10.96.12.34',
  };
  assert.deepEqual(records(web), [
    {
      __address__: 'web.default.svc:80',
      __meta_kubernetes_service_port_name: 'http',
      __meta_kubernetes_service_port_number: '80',
      __meta_kubernetes_service_port_protocol: 'TCP',
      ...clusterIP,
    },
    {
      __address__: 'web.default.svc:53',
      __meta_kubernetes_service_port_name: 'dns',
      __meta_kubernetes_service_port_number: '53',
      __meta_kubernetes_service_port_protocol: 'UDP',
      ...clusterIP,
    },
  ]);
  assert.deepEqual(records(c.groups.get('svc/ingress/ingress-nginx')), [
    {
      __address__: 'ingress-nginx.ingress.svc:443',
      __meta_kubernetes_service_port_name: 'https',
      __meta_kubernetes_service_port_number: '443',
      __meta_kubernetes_service_port_protocol: 'TCP',
      __meta_kubernetes_service_type: 'LoadBalancer',
      __meta_kubernetes_service_cluster_ip: '10.96.0.200',
      __meta_kubernetes_service_loadbalancer_ip: '203.0.113.10,203.0.113.11',
    },
  ]);
  assert.deepEqual(records(c.groups.get('svc/ext/billing')), [
    {
      __address__: 'billing.ext.svc:443',
      // An unnamed port: the empty port name is no label at all.
      __meta_kubernetes_service_port_number: '443',
      __meta_kubernetes_service_port_protocol: 'TCP',
      __meta_kubernetes_service_type: 'ExternalName',
      __meta_kubernetes_service_external_name: 'billing.partner.example.com',
    },
  ]);
});

test('ingress role: one target per host and path, scheme from TLS, class name', async (t) => {
  const server = new KubeReplayServer().list(
    '/apis/networking.k8s.io/v1/namespaces/default/ingresses',
    fixture('ingresses.json'),
  );
  const { c } = await start(t, server, { role: 'ingress', namespaces: ['default'] });
  await c.waitFor('ingresses listed', () => c.emits > 0);
  const shop = c.groups.get('ingress/default/shop');
  assert.ok(shop);
  assert.deepEqual(shop.labels.toRecord(), {
    __meta_kubernetes_namespace: 'default',
    __meta_kubernetes_ingress_name: 'shop',
    __meta_kubernetes_ingress_label_app: 'shop',
    __meta_kubernetes_ingress_labelpresent_app: 'true',
    __meta_kubernetes_ingress_annotation_nginx_ingress_kubernetes_io_rewrite_target: '/',
    __meta_kubernetes_ingress_annotationpresent_nginx_ingress_kubernetes_io_rewrite_target: 'true',
    __meta_kubernetes_ingress_class_name: 'nginx',
  });
  const target = (host: string, scheme: string, p: string): Record<string, string> => ({
    __address__: host,
    __meta_kubernetes_ingress_scheme: scheme,
    __meta_kubernetes_ingress_path: p,
  });
  assert.deepEqual(records(shop), [
    target('www.shop.example.com', 'https', '/'),
    target('www.shop.example.com', 'https', '/api'),
    target('status.example.org', 'http', '/'),
  ]);
  // The fixture also holds an ingress of another namespace; the replay serves it as recorded.
  const legacy = c.groups.get('ingress/ops/legacy');
  assert.equal(legacy?.labels.get('__meta_kubernetes_ingress_class_name'), 'traefik');
  assert.deepEqual(records(legacy), [target('grafana.ops.example.com', 'http', '/')]);
});

test('endpoints role: address x port with pod and service labels, plus unlisted container ports', async (t) => {
  const server = new KubeReplayServer()
    .list('/api/v1/namespaces/default/endpoints', fixture('endpoints.json'))
    .list('/api/v1/namespaces/default/services', fixture('services.json'))
    .list('/api/v1/namespaces/default/pods', fixture('pods.json'));
  const { c } = await start(t, server, { role: 'endpoints', namespaces: ['default'] });
  await c.waitFor('endpoints listed', () => c.emits > 0);
  const g = c.groups.get('endpoints/default/web');
  assert.ok(g);
  assert.deepEqual(g.labels.toRecord(), {
    __meta_kubernetes_namespace: 'default',
    __meta_kubernetes_endpoints_name: 'web',
    __meta_kubernetes_endpoints_label_app_kubernetes_io_name: 'web',
    __meta_kubernetes_endpoints_labelpresent_app_kubernetes_io_name: 'true',
    __meta_kubernetes_endpoints_annotation_endpoints_kubernetes_io_last_change_trigger_time:
      '2026-11-24T09:12:51Z',
    __meta_kubernetes_endpoints_annotationpresent_endpoints_kubernetes_io_last_change_trigger_time: 'true',
    __meta_kubernetes_service_name: 'web',
    __meta_kubernetes_service_label_app_kubernetes_io_name: 'web',
    __meta_kubernetes_service_labelpresent_app_kubernetes_io_name: 'true',
    __meta_kubernetes_service_annotation_prometheus_io_probe: 'true',
    __meta_kubernetes_service_annotationpresent_prometheus_io_probe: 'true',
  });
  const [ready, notReady, extra] = records(g);
  assert.equal(records(g).length, 3);
  assert.equal(ready.__address__, '10.244.1.17:8080');
  assert.equal(ready.__meta_kubernetes_endpoint_ready, 'true');
  assert.equal(ready.__meta_kubernetes_endpoint_port_name, 'http');
  assert.equal(ready.__meta_kubernetes_endpoint_port_protocol, 'TCP');
  assert.equal(ready.__meta_kubernetes_endpoint_node_name, 'worker-1');
  assert.equal(ready.__meta_kubernetes_endpoint_address_target_kind, 'Pod');
  assert.equal(ready.__meta_kubernetes_endpoint_address_target_name, 'web-7d4b9c6f5-x2kqp');
  assert.equal(ready.__meta_kubernetes_pod_name, 'web-7d4b9c6f5-x2kqp');
  assert.equal(ready.__meta_kubernetes_pod_container_name, 'web');
  assert.equal(ready.__meta_kubernetes_pod_container_port_name, 'http');
  // A not-ready address whose pod is unknown: endpoint labels only.
  assert.deepEqual(notReady, {
    __address__: '10.244.3.9:8080',
    __meta_kubernetes_endpoint_port_name: 'http',
    __meta_kubernetes_endpoint_port_protocol: 'TCP',
    __meta_kubernetes_endpoint_ready: 'false',
    __meta_kubernetes_endpoint_hostname: 'web-canary',
    __meta_kubernetes_endpoint_node_name: 'worker-3',
    __meta_kubernetes_endpoint_address_target_kind: 'Pod',
    __meta_kubernetes_endpoint_address_target_name: 'web-7d4b9c6f5-q8zzt',
  });
  // The pod's grpc port is not an endpoint port: a target of its own, without endpoint labels.
  assert.equal(extra.__address__, '10.244.1.17:9090');
  assert.equal(extra.__meta_kubernetes_pod_container_port_name, 'grpc');
  assert.equal(extra.__meta_kubernetes_endpoint_ready, undefined);
});

test('endpointslice role: endpoint x port with slice, pod and service labels', async (t) => {
  const server = new KubeReplayServer()
    .list('/apis/discovery.k8s.io/v1/endpointslices', fixture('endpointslices.json'))
    .list('/api/v1/services', fixture('services.json'))
    .list('/api/v1/pods', fixture('pods.json'));
  const { c } = await start(t, server, { role: 'endpointslice' });
  await c.waitFor('slices listed', () => c.emits > 0);
  const g = c.groups.get('endpointslice/default/web-8xk2p');
  assert.ok(g);
  assert.equal(g.labels.get('__meta_kubernetes_endpointslice_name'), 'web-8xk2p');
  assert.equal(g.labels.get('__meta_kubernetes_endpointslice_label_kubernetes_io_service_name'), 'web');
  assert.equal(g.labels.get('__meta_kubernetes_service_name'), 'web', 'service found by its label');
  const [direct, extra] = records(g);
  const slice = Object.fromEntries(
    Object.entries(direct).filter(([k]) => k.startsWith('__meta_kubernetes_endpointslice_')),
  );
  assert.deepEqual(slice, {
    __meta_kubernetes_endpointslice_port: '8080',
    __meta_kubernetes_endpointslice_port_name: 'http',
    __meta_kubernetes_endpointslice_port_protocol: 'TCP',
    __meta_kubernetes_endpointslice_port_app_protocol: 'http',
    __meta_kubernetes_endpointslice_address_type: 'IPv4',
    __meta_kubernetes_endpointslice_endpoint_conditions_ready: 'true',
    __meta_kubernetes_endpointslice_endpoint_conditions_serving: 'true',
    __meta_kubernetes_endpointslice_endpoint_conditions_terminating: 'false',
    __meta_kubernetes_endpointslice_endpoint_node_name: 'worker-1',
    __meta_kubernetes_endpointslice_endpoint_zone: 'eu-west-1a',
    __meta_kubernetes_endpointslice_address_target_kind: 'Pod',
    __meta_kubernetes_endpointslice_address_target_name: 'web-7d4b9c6f5-x2kqp',
  });
  assert.equal(direct.__address__, '10.244.1.17:8080');
  assert.equal(direct.__meta_kubernetes_pod_container_port_name, 'http');
  assert.equal(extra.__address__, '10.244.1.17:9090');
  assert.equal(records(g).length, 2);
});

test('pod role with attach_metadata.node: node labels follow node changes', async (t) => {
  const nodes = JSON.parse(fixture('nodes.json')) as { items: { metadata: Record<string, unknown> }[] };
  const worker1 = nodes.items[0];
  const relabelled = {
    ...worker1,
    metadata: {
      ...worker1.metadata,
      resourceVersion: '51010',
      labels: { 'topology.kubernetes.io/zone': 'eu-west-1b' },
    },
  };
  const server = new KubeReplayServer()
    .list('/api/v1/pods', fixture('pods.json'))
    .list('/api/v1/nodes', fixture('nodes.json'))
    .watch('/api/v1/nodes', JSON.stringify({ type: 'MODIFIED', object: relabelled }) + '\n');
  const { c } = await start(t, server, { role: 'pod', attachNodeMetadata: true });
  const zone = (): string =>
    c.groups
      .get('pod/default/web-7d4b9c6f5-x2kqp')
      ?.labels.get('__meta_kubernetes_node_label_topology_kubernetes_io_zone') ?? '';
  await c.waitFor('zone after the node update', () => zone() === 'eu-west-1b');
  const g = c.groups.get('pod/default/web-7d4b9c6f5-x2kqp');
  assert.equal(g?.labels.get('__meta_kubernetes_node_name'), 'worker-1');
  assert.equal(g?.labels.get('__meta_kubernetes_node_labelpresent_topology_kubernetes_io_zone'), 'true');
  assert.equal(
    g?.labels.has('__meta_kubernetes_node_label_kubernetes_io_hostname'),
    false,
    'old labels gone',
  );
});

test('a failing API server is retried and a malformed object is skipped', async (t) => {
  const doc = JSON.parse(fixture('services.json')) as { items: unknown[] };
  const bad = JSON.stringify({ ...doc, items: [...doc.items, { metadata: { name: 7 } }] });
  const forbidden = JSON.stringify({
    kind: 'Status',
    status: 'Failure',
    message: 'services is forbidden',
    code: 403,
  });
  const server = new KubeReplayServer()
    .list('/api/v1/services', forbidden, 403)
    .list('/api/v1/services', bad);
  const { c } = await start(t, server, { role: 'service' });
  await c.waitFor('listed after retry', () => c.groups.size === 3);
  assert.equal(server.calls('/api/v1/services').lists.length, 2);
});
