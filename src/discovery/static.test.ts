import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GroupCollector } from '../../test/helpers/sd-collector.js';
import { DiscoveryError } from './errors.js';
import { StaticDiscoverer } from './static.js';

test('static discoverer emits its groups once and stops on abort', async () => {
  const d = new StaticDiscoverer({
    configs: [{ targets: ['a:9100', 'b:9100'], labels: { env: 'prod' } }, { targets: ['c:80'] }],
  });
  const c = new GroupCollector();
  const ac = new AbortController();
  const done = d.run(ac.signal, c.emit);
  assert.deepEqual(c.addresses(), ['a:9100', 'b:9100', 'c:80']);
  assert.equal(c.groups.get('0')?.labels.get('env'), 'prod');
  ac.abort();
  await done;
  assert.equal(c.emits, 1);
});

test('static discoverer rejects a URL as target', () => {
  assert.throws(
    () => new StaticDiscoverer({ configs: [{ targets: ['http://a:9100/metrics'] }] }),
    (err: unknown) => err instanceof DiscoveryError && err.code === 'ERR_SD_INVALID_GROUPS',
  );
});
