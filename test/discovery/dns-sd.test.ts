/**
 * DNS SD against a real DNS server: dnsmasq on 127.0.0.1 with SRV, A, AAAA, MX and NS records.
 * Needs the Debian package `dnsmasq`; without it these tests fail, by design.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DnsDiscoverer } from '../../src/discovery/dns.js';
import type { DnsOptions } from '../../src/discovery/dns.js';
import type { Logger } from '../../src/util/logger.js';
import { startDnsmasq } from '../helpers/dnsmasq.js';
import type { Dnsmasq } from '../helpers/dnsmasq.js';
import { GroupCollector } from '../helpers/sd-collector.js';

/** A domain name in DNS wire format, as hex, for dnsmasq's `dns-rr` (NS has no option of its own). */
function wireName(name: string): string {
  let hex = '';
  for (const label of name.split('.')) {
    hex += label.length.toString(16).padStart(2, '0') + Buffer.from(label, 'ascii').toString('hex');
  }
  return hex + '00';
}

let dir = '';
let dns: Dnsmasq | undefined;

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'vigil-dns-sd-'));
  dns = await startDnsmasq(dir, [
    'local=/vigil.test/',
    'srv-host=_node._tcp.vigil.test,host1.vigil.test,9100,10,5',
    'srv-host=_node._tcp.vigil.test,host2.vigil.test,9200,20,5',
    'host-record=host1.vigil.test,127.0.0.11,::11',
    'host-record=host2.vigil.test,127.0.0.12',
    'mx-host=vigil.test,mail.vigil.test,10',
    `dns-rr=vigil.test,2,${wireName('ns1.vigil.test')}`,
  ]);
});

after(async () => {
  await dns?.stop();
  if (dir !== '') await rm(dir, { recursive: true, force: true });
});

function server(): string {
  assert.ok(dns, 'dnsmasq is running');
  return dns.server;
}

/** Runs a discoverer until the collector holds something, returns its targets as records. */
async function discoverOnce(options: Partial<DnsOptions>): Promise<Record<string, string>[]> {
  const d = new DnsDiscoverer({ servers: [server()], refreshIntervalMs: 60_000, timeoutMs: 500, ...options });
  const c = new GroupCollector();
  const ac = new AbortController();
  const done = d.run(ac.signal, c.emit);
  try {
    await c.waitFor('first emit', () => c.emits > 0);
  } finally {
    ac.abort();
    await done;
  }
  const out: Record<string, string>[] = [];
  for (const g of c.groups.values()) for (const t of g.targets) out.push(t.toRecord());
  return out.sort((a, b) => (a['__address__'] < b['__address__'] ? -1 : 1));
}

test('DNS SD resolves SRV records (the default type)', async () => {
  assert.deepEqual(await discoverOnce({ names: ['_node._tcp.vigil.test'] }), [
    {
      __address__: 'host1.vigil.test:9100',
      __meta_dns_name: '_node._tcp.vigil.test',
      __meta_dns_srv_record_port: '9100',
      __meta_dns_srv_record_target: 'host1.vigil.test.',
    },
    {
      __address__: 'host2.vigil.test:9200',
      __meta_dns_name: '_node._tcp.vigil.test',
      __meta_dns_srv_record_port: '9200',
      __meta_dns_srv_record_target: 'host2.vigil.test.',
    },
  ]);
});

test('DNS SD resolves A and AAAA records with the configured port', async () => {
  assert.deepEqual(
    await discoverOnce({ names: ['host1.vigil.test', 'host2.vigil.test'], type: 'A', port: 9100 }),
    [
      { __address__: '127.0.0.11:9100', __meta_dns_name: 'host1.vigil.test' },
      { __address__: '127.0.0.12:9100', __meta_dns_name: 'host2.vigil.test' },
    ],
  );
  assert.deepEqual(await discoverOnce({ names: ['host1.vigil.test'], type: 'AAAA', port: 9100 }), [
    { __address__: '[::11]:9100', __meta_dns_name: 'host1.vigil.test' },
  ]);
});

test('DNS SD resolves MX and NS records with the configured port', async () => {
  assert.deepEqual(await discoverOnce({ names: ['vigil.test'], type: 'MX', port: 25 }), [
    {
      __address__: 'mail.vigil.test:25',
      __meta_dns_name: 'vigil.test',
      __meta_dns_mx_record_target: 'mail.vigil.test.',
    },
  ]);
  assert.deepEqual(await discoverOnce({ names: ['vigil.test'], type: 'NS', port: 9100 }), [
    {
      __address__: 'ns1.vigil.test:9100',
      __meta_dns_name: 'vigil.test',
      __meta_dns_ns_record_target: 'ns1.vigil.test.',
    },
  ]);
});

test('DNS SD requires a port for types other than SRV', () => {
  assert.throws(() => new DnsDiscoverer({ names: ['x'], type: 'A' }), /port is required/);
});

// Runs last: it stops the shared dnsmasq to see a failing server.
test('DNS SD follows changed records, empties a vanished name, keeps targets when the server fails', async () => {
  assert.ok(dns);
  await dns.setHosts('127.0.0.21 changing.vigil.test\n');
  const errors: string[] = [];
  const ignore = (): void => {};
  const logger: Logger = { debug: ignore, info: ignore, warn: ignore, error: (m) => errors.push(m) };
  const d = new DnsDiscoverer(
    {
      names: ['changing.vigil.test'],
      type: 'A',
      port: 80,
      servers: [server()],
      refreshIntervalMs: 50,
      timeoutMs: 200,
    },
    { logger },
  );
  const c = new GroupCollector();
  const ac = new AbortController();
  const done = d.run(ac.signal, c.emit);
  try {
    await c.waitFor('first answer', () => c.addresses().join() === '127.0.0.21:80');
    await dns.setHosts('127.0.0.21 changing.vigil.test\n127.0.0.22 changing.vigil.test\n');
    await c.waitFor('changed answer', () => c.addresses().join() === '127.0.0.21:80,127.0.0.22:80');
    // NXDOMAIN is an answer: the group empties.
    await dns.setHosts('');
    await c.waitFor('vanished name', () => c.addresses().length === 0);
    await dns.setHosts('127.0.0.23 changing.vigil.test\n');
    await c.waitFor('name back', () => c.addresses().join() === '127.0.0.23:80');
    assert.deepEqual(errors, []);

    // A server that no longer answers: logged, and the last targets stay.
    const emits = c.emits;
    await dns.stop();
    await c.waitFor('error logged', () => errors.length > 0);
    assert.equal(c.emits, emits);
    assert.deepEqual(c.addresses(), ['127.0.0.23:80']);
  } finally {
    ac.abort();
    await done;
  }
});
