/** Contract tests of `/series`, `/labels` and `/label/<name>/values` over real HTTP. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Labels } from '../model/labels.js';
import { MemoryStorage } from '../storage/memory.js';
import { fetchJson, fetchRaw, startHarness } from './testing/harness.js';
import type { Harness } from './testing/harness.js';

let h: Harness;
before(async () => {
  const s = new MemoryStorage();
  s.add(Labels.from({ __name__: 'up', job: 'api', instance: 'a' }), 1000, 1);
  s.add(Labels.from({ __name__: 'up', job: 'db', instance: 'b' }), 1000, 1);
  s.add(Labels.from({ __name__: 'process_start_time_seconds', job: 'api' }), 1000, 5);
  s.add(Labels.from({ __name__: 'http.requests', 'http.status_code': '200' }), 1000, 3);
  h = await startHarness({ storage: s });
});
after(() => h.close());

const get = (path: string): ReturnType<typeof fetchRaw> => fetchRaw(`${h.base}${path}`);
const enc = encodeURIComponent;

describe('/api/v1/series', () => {
  test('one selector: exact bytes', async () => {
    assert.equal(
      (await get(`/api/v1/series?match[]=${enc('up{job="db"}')}`)).text,
      '{"status":"success","data":[{"__name__":"up","instance":"b","job":"db"}]}',
    );
  });

  test('two selectors: union, deduplicated, sorted', async () => {
    const r = await fetchJson(`${h.base}/api/v1/series?match[]=up&match[]=${enc('{job="api"}')}`);
    assert.deepEqual((r.body as { data: unknown }).data, [
      { __name__: 'process_start_time_seconds', job: 'api' },
      { __name__: 'up', instance: 'a', job: 'api' },
      { __name__: 'up', instance: 'b', job: 'db' },
    ]);
  });

  test('POST form with match[] in body and URL', async () => {
    const r = await fetchJson(`${h.base}/api/v1/series?match[]=${enc('{job="db"}')}`, {
      form: { 'match[]': 'process_start_time_seconds', start: '0', end: '2' },
    });
    assert.equal((r.body as { data: unknown[] }).data.length, 2);
  });

  test('limit truncates with a warning', async () => {
    const r = await fetchJson(`${h.base}/api/v1/series?match[]=up&limit=1`);
    assert.deepEqual(r.body, {
      status: 'success',
      data: [{ __name__: 'up', instance: 'a', job: 'api' }],
      warnings: ['results truncated due to limit'],
    });
  });

  test('UTF-8 metric and label names', async () => {
    const r = await fetchJson(`${h.base}/api/v1/series?match[]=${enc('{"http.requests"}')}`);
    assert.deepEqual((r.body as { data: unknown }).data, [
      { __name__: 'http.requests', 'http.status_code': '200' },
    ]);
  });

  const errors: [string, string][] = [
    ['', '{"status":"error","errorType":"bad_data","error":"no match[] parameter provided"}'],
    [
      `match[]=${enc('{job=""}')}`,
      '{"status":"error","errorType":"bad_data","error":"invalid parameter \\"match[]\\": match[] must contain at least one non-empty matcher"}',
    ],
    [
      'match[]=up&start=x',
      '{"status":"error","errorType":"bad_data","error":"invalid parameter \\"start\\": Invalid time value for \'start\': cannot parse \\"x\\" to a valid timestamp"}',
    ],
    [
      `match[]=${enc('up{')}`,
      '{"status":"error","errorType":"bad_data","error":"invalid parameter \\"match[]\\": 1:4: parse error: unexpected end of input inside braces"}',
    ],
  ];
  for (const [qs, body] of errors) {
    test(`error: ${qs || 'no match[]'}`, async () => {
      const r = await get(`/api/v1/series?${qs}`);
      assert.equal(r.status, 400);
      assert.equal(r.text, body);
    });
  }
});

describe('/api/v1/labels', () => {
  test('all names', async () => {
    assert.equal(
      (await get('/api/v1/labels')).text,
      '{"status":"success","data":["__name__","http.status_code","instance","job"]}',
    );
  });
  test('with match[] and times, limit', async () => {
    const r = await fetchJson(`${h.base}/api/v1/labels?match[]=process_start_time_seconds&start=0&end=2`);
    assert.deepEqual((r.body as { data: unknown }).data, ['__name__', 'job']);
    const lim = await fetchJson(`${h.base}/api/v1/labels?limit=2`);
    assert.deepEqual(lim.body, {
      status: 'success',
      data: ['__name__', 'http.status_code'],
      warnings: ['results truncated due to limit'],
    });
  });
  test('POST', async () => {
    const r = await fetchJson(`${h.base}/api/v1/labels`, {
      form: { 'match[]': ['up', 'process_start_time_seconds'] },
    });
    assert.deepEqual((r.body as { data: unknown }).data, ['__name__', 'instance', 'job']);
  });
  test('a bad match[] is bad_data without a parameter prefix', async () => {
    const r = await get(`/api/v1/labels?match[]=${enc('{a=""}')}`);
    assert.equal(
      r.text,
      '{"status":"error","errorType":"bad_data","error":"match[] must contain at least one non-empty matcher"}',
    );
  });
});

describe('/api/v1/label/<name>/values', () => {
  test('metric names', async () => {
    assert.equal(
      (await get('/api/v1/label/__name__/values')).text,
      '{"status":"success","data":["http.requests","process_start_time_seconds","up"]}',
    );
  });
  test('with match[] combinations', async () => {
    const one = await fetchJson(`${h.base}/api/v1/label/job/values?match[]=up`);
    assert.deepEqual((one.body as { data: unknown }).data, ['api', 'db']);
    const two = await fetchJson(
      `${h.base}/api/v1/label/instance/values?match[]=${enc('up{job="api"}')}&match[]=${enc('up{job="db"}')}`,
    );
    assert.deepEqual((two.body as { data: unknown }).data, ['a', 'b']);
    const none = await fetchJson(`${h.base}/api/v1/label/instance/values?match[]=nothing`);
    assert.deepEqual((none.body as { data: unknown }).data, []);
  });
  test('U__ escaped UTF-8 name', async () => {
    assert.equal(
      (await get('/api/v1/label/U__http_2e_status__code/values')).text,
      '{"status":"success","data":["200"]}',
    );
  });
  test('limit', async () => {
    const r = await fetchJson(`${h.base}/api/v1/label/__name__/values?limit=1`);
    assert.deepEqual(r.body, {
      status: 'success',
      data: ['http.requests'],
      warnings: ['results truncated due to limit'],
    });
  });
  test('POST is not a route: 405', async () => {
    const r = await fetchRaw(`${h.base}/api/v1/label/job/values`, { form: {} });
    assert.equal(r.status, 405);
    assert.equal(r.text, 'Method Not Allowed\n');
  });
});
