import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aggregatedStatus, decodeCatalogServices, decodeServiceEntries } from './consul-api.js';
import { joinHostPort, sanitizeLabelName } from './consul-labels.js';
import { DiscoveryError } from './errors.js';

const isResponseError = (err: unknown): boolean =>
  err instanceof DiscoveryError && err.code === 'ERR_SD_CONSUL_RESPONSE';

test('decodeCatalogServices reads service → tags and rejects other shapes', () => {
  assert.deepEqual(
    [...decodeCatalogServices({ web: ['a', 'b'], consul: [], old: null })],
    [
      ['web', ['a', 'b']],
      ['consul', []],
      ['old', []],
    ],
  );
  for (const bad of [[], null, 'x', { web: 'a' }, { web: [1] }]) {
    assert.throws(() => decodeCatalogServices(bad), isResponseError, JSON.stringify(bad));
  }
});

const ENTRY = {
  Node: { Node: 'n1', Address: '10.0.0.1', Datacenter: 'dc1', TaggedAddresses: null, Meta: { a: 'b' } },
  Service: { ID: 's1', Service: 's', Tags: null, Address: '', Meta: null, Port: 80 },
  Checks: [{ CheckID: 'serfHealth', Status: 'passing' }],
};

test('decodeServiceEntries reads entries, treating null fields as empty', () => {
  const [e] = decodeServiceEntries([ENTRY]);
  assert.ok(e);
  assert.equal(e.node.node, 'n1');
  assert.deepEqual(e.node.taggedAddresses, {});
  assert.deepEqual(e.node.meta, { a: 'b' });
  assert.deepEqual(e.service.tags, []);
  assert.equal(e.service.port, 80);
  assert.equal(e.service.namespace, '');
  assert.deepEqual(e.checks, [{ checkId: 'serfHealth', status: 'passing' }]);
});

test('decodeServiceEntries rejects malformed entries', () => {
  const cases: Record<string, unknown> = {
    'not a list': {},
    'entry not an object': [1],
    'no Node': [{ ...ENTRY, Node: undefined }],
    'no Service': [{ ...ENTRY, Service: 'x' }],
    'port a string': [{ ...ENTRY, Service: { ...ENTRY.Service, Port: '80' } }],
    'port out of range': [{ ...ENTRY, Service: { ...ENTRY.Service, Port: 70000 } }],
    'address a number': [{ ...ENTRY, Node: { ...ENTRY.Node, Address: 1 } }],
    'meta value a number': [{ ...ENTRY, Node: { ...ENTRY.Node, Meta: { a: 1 } } }],
    'checks not a list': [{ ...ENTRY, Checks: {} }],
  };
  for (const [name, doc] of Object.entries(cases)) {
    assert.throws(() => decodeServiceEntries(doc), isResponseError, name);
  }
});

test('aggregatedStatus: maintenance > critical > warning > passing', () => {
  const cases: [string, [string, string][]][] = [
    ['passing', []],
    ['passing', [['serfHealth', 'passing']]],
    [
      'warning',
      [
        ['serfHealth', 'passing'],
        ['service:a', 'warning'],
      ],
    ],
    [
      'critical',
      [
        ['serfHealth', 'critical'],
        ['service:a', 'warning'],
      ],
    ],
    ['maintenance', [['_node_maintenance', 'critical']]],
    [
      'maintenance',
      [
        ['_service_maintenance:a', 'critical'],
        ['serfHealth', 'passing'],
      ],
    ],
  ];
  for (const [want, checks] of cases) {
    const got = aggregatedStatus(checks.map(([checkId, status]) => ({ checkId, status })));
    assert.equal(got, want, JSON.stringify(checks));
  }
});

test('joinHostPort brackets IPv6 hosts; sanitizeLabelName replaces invalid characters', () => {
  assert.equal(joinHostPort('10.0.0.1', 80), '10.0.0.1:80');
  assert.equal(joinHostPort('fd00::1', 80), '[fd00::1]:80');
  assert.equal(joinHostPort('web.service.consul', 80), 'web.service.consul:80');
  assert.equal(sanitizeLabelName('consul-network-segment'), 'consul_network_segment');
  assert.equal(sanitizeLabelName('a.b/c'), 'a_b_c');
});
