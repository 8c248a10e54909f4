/** Contract tests of the query endpoints over real HTTP, MemoryStorage and the real engine. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Labels } from '../model/labels.js';
import { STALE_NAN } from '../model/value.js';
import { Engine } from '../promql/engine/engine.js';
import { MemoryStorage } from '../storage/memory.js';
import { engineAdapter } from './engine-adapter.js';
import { fetchJson, fetchRaw, startHarness } from './testing/harness.js';
import type { Harness } from './testing/harness.js';

/** up{a} = 1 and up{b} = 0 every 15s over 10 minutes; odd values; a series that went stale. */
export function fixture(): MemoryStorage {
  const s = new MemoryStorage();
  const a = Labels.from({ __name__: 'up', job: 'api', instance: 'a' });
  const b = Labels.from({ __name__: 'up', job: 'api', instance: 'b' });
  for (let t = 0; t <= 600_000; t += 15_000) {
    s.add(a, t, 1);
    s.add(b, t, 0);
  }
  s.add(Labels.from({ __name__: 'odd', v: 'nan' }), 0, Number.NaN);
  s.add(Labels.from({ __name__: 'odd', v: 'pinf' }), 0, Infinity);
  s.add(Labels.from({ __name__: 'odd', v: 'ninf' }), 0, -Infinity);
  s.add(Labels.from({ __name__: 'odd', v: 'tiny' }), 0, 1.5e-7);
  const gone = Labels.from({ __name__: 'gone' });
  s.add(gone, 0, 5);
  s.add(gone, 30_000, STALE_NAN);
  return s;
}

let h: Harness;
before(async () => {
  h = await startHarness({ storage: fixture() });
});
after(() => h.close());

const url = (path: string): string => `${h.base}${path}`;

describe('/api/v1/query', () => {
  test('one series: the exact bytes and content type', async () => {
    const r = await fetchRaw(url('/api/v1/query?query=up{instance="a"}&time=60'));
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], 'application/json');
    assert.equal(
      r.text,
      '{"status":"success","data":{"resultType":"vector","result":[{"metric":{"__name__":"up","instance":"a","job":"api"},"value":[60,"1"]}]}}',
    );
  });

  test('RFC 3339 and Unix times with fractions name the same instant', async () => {
    const unix = await fetchRaw(url('/api/v1/query?query=up{instance="a"}&time=60.5'));
    const rfc = await fetchRaw(url('/api/v1/query?query=up{instance="a"}&time=1970-01-01T00:01:00.500Z'));
    assert.equal(unix.text, rfc.text);
    assert.match(unix.text, /"value":\[60\.500,"1"\]/);
  });

  test('scalar and string results', async () => {
    assert.equal(
      (await fetchRaw(url('/api/v1/query?query=1.5&time=1435781451.781'))).text,
      '{"status":"success","data":{"resultType":"scalar","result":[1435781451.781,"1.5"]}}',
    );
    assert.equal(
      (await fetchRaw(url('/api/v1/query?query=%22a%3Cb%22&time=10'))).text,
      '{"status":"success","data":{"resultType":"string","result":[10,"a\\u003cb"]}}',
    );
  });

  test('NaN, +Inf, -Inf and exponents as strings', async () => {
    const r = await fetchJson(url('/api/v1/query?query=odd&time=1'));
    const result = (r.body as { data: { result: { metric: { v: string }; value: [number, string] }[] } }).data
      .result;
    const byV = Object.fromEntries(result.map((x) => [x.metric.v, x.value[1]]));
    assert.deepEqual(byV, { nan: 'NaN', pinf: '+Inf', ninf: '-Inf', tiny: '1.5e-07' });
  });

  test('a series past its staleness marker is absent: empty result', async () => {
    assert.equal(
      (await fetchRaw(url('/api/v1/query?query=gone&time=31'))).text,
      '{"status":"success","data":{"resultType":"vector","result":[]}}',
    );
  });

  test('a range selector gives a matrix of raw samples', async () => {
    const r = await fetchRaw(url('/api/v1/query?query=up{instance="b"}[30s]&time=60'));
    assert.equal(
      r.text,
      '{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"up","instance":"b","job":"api"},"values":[[45,"0"],[60,"0"]]}]}}',
    );
  });

  test('POST form body', async () => {
    const r = await fetchRaw(url('/api/v1/query'), { form: { query: 'up{instance="a"}', time: '60' } });
    assert.equal(r.status, 200);
    assert.match(r.text, /"value":\[60,"1"\]/);
  });

  test('limit cuts series and warns', async () => {
    const r = await fetchJson(url('/api/v1/query?query=up&time=60&limit=1'));
    const body = r.body as { data: { result: unknown[] }; warnings: string[] };
    assert.equal(body.data.result.length, 1);
    assert.deepEqual(body.warnings, ['results truncated due to limit']);
  });

  test('stats=true adds timings and sample counts', async () => {
    const r = await fetchJson(url('/api/v1/query?query=up&time=60&stats=true'));
    const stats = (
      r.body as { data: { stats: { timings: Record<string, number>; samples: Record<string, number> } } }
    ).data.stats;
    assert.deepEqual(Object.keys(stats.timings), [
      'evalTotalTime',
      'resultSortTime',
      'queryPreparationTime',
      'innerEvalTime',
      'execQueueTime',
      'execTotalTime',
    ]);
    assert.deepEqual(Object.keys(stats.samples), ['totalQueryableSamples', 'peakSamples']);
  });

  test('annotations: infos beside the data', async () => {
    const r = await fetchRaw(url('/api/v1/query?query=rate(up[1m])&time=60'));
    assert.match(
      r.text,
      /,"infos":\["PromQL info: metric might not be a counter, name does not end in _total\/_sum\/_count\/_bucket: \\"up\\" \(1:6\)"\]\}$/,
    );
    assert.doesNotMatch(r.text, /"warnings"/);
  });

  test('lookback_delta reaches further back', async () => {
    const near = await fetchJson(url('/api/v1/query?query=up{instance="a"}&time=1000'));
    assert.equal((near.body as { data: { result: unknown[] } }).data.result.length, 0);
    const far = await fetchJson(url('/api/v1/query?query=up{instance="a"}&time=1000&lookback_delta=10m'));
    assert.equal((far.body as { data: { result: unknown[] } }).data.result.length, 1);
  });
});

describe('/api/v1/query errors', () => {
  const cases: [string, number, string][] = [
    [
      '/api/v1/query?query=up{',
      400,
      '{"status":"error","errorType":"bad_data","error":"invalid parameter \\"query\\": 1:4: parse error: unexpected end of input inside braces"}',
    ],
    [
      '/api/v1/query?query=up&time=abc',
      400,
      '{"status":"error","errorType":"bad_data","error":"invalid parameter \\"time\\": Invalid time value for \'time\': cannot parse \\"abc\\" to a valid timestamp"}',
    ],
    [
      '/api/v1/query?query=up&limit=-1',
      400,
      '{"status":"error","errorType":"bad_data","error":"invalid parameter \\"limit\\": limit must be non-negative"}',
    ],
    [
      '/api/v1/query?query=up&limit=x',
      400,
      '{"status":"error","errorType":"bad_data","error":"invalid parameter \\"limit\\": strconv.Atoi: parsing \\"x\\": invalid syntax"}',
    ],
    [
      '/api/v1/query?query=up&timeout=soon',
      400,
      '{"status":"error","errorType":"bad_data","error":"invalid parameter \\"timeout\\": cannot parse \\"soon\\" to a valid duration"}',
    ],
    [
      '/api/v1/query?query=up&lookback_delta=x',
      400,
      '{"status":"error","errorType":"bad_data","error":"error parsing lookback delta duration: cannot parse \\"x\\" to a valid duration"}',
    ],
    [
      // A zero timeout has expired before the query gets its slot: the queue stage, as in Prometheus.
      '/api/v1/query?query=up&time=60&timeout=0',
      503,
      '{"status":"error","errorType":"timeout","error":"query timed out in query queue"}',
    ],
  ];
  for (const [path, status, body] of cases) {
    test(path, async () => {
      const r = await fetchRaw(url(path));
      assert.equal(r.status, status);
      assert.equal(r.text, body);
    });
  }

  test('too many samples: 422 execution', async () => {
    const small = await startHarness({
      storage: fixture(),
      sources: { engine: engineAdapter(new Engine({ maxSamples: 1 })) },
    });
    try {
      const r = await fetchRaw(`${small.base}/api/v1/query?query=up[5m]&time=600`);
      assert.equal(r.status, 422);
      assert.equal(
        r.text,
        '{"status":"error","errorType":"execution","error":"query processing would load too many samples into memory in query execution"}',
      );
    } finally {
      await small.close();
    }
  });
});

describe('/api/v1/query_range', () => {
  test('aligned steps, exact bytes', async () => {
    const r = await fetchRaw(url('/api/v1/query_range?query=up{instance="a"}&start=0&end=30&step=15'));
    assert.equal(
      r.text,
      '{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"up","instance":"a","job":"api"},"values":[[0,"1"],[15,"1"],[30,"1"]]}]}}',
    );
  });

  test('step as a duration, RFC 3339 bounds, POST form: same answer', async () => {
    const get = await fetchRaw(url('/api/v1/query_range?query=up&start=0&end=60&step=15'));
    const post = await fetchRaw(url('/api/v1/query_range'), {
      form: { query: 'up', start: '1970-01-01T00:00:00Z', end: '1970-01-01T00:01:00Z', step: '15s' },
    });
    assert.equal(post.status, 200);
    assert.equal(post.text, get.text);
  });

  test('series sorted by labels; staleness ends a series mid-range', async () => {
    const r = await fetchJson(url('/api/v1/query_range?query=gone&start=0&end=60&step=15'));
    assert.deepEqual((r.body as { data: { result: unknown } }).data.result, [
      {
        metric: { __name__: 'gone' },
        values: [
          [0, '5'],
          [15, '5'],
        ],
      },
    ]);
  });

  const errors: [string, string][] = [
    [
      'query=up&start=10&end=0&step=1',
      '{"status":"error","errorType":"bad_data","error":"invalid parameter \\"end\\": end timestamp must not be before start time"}',
    ],
    [
      'query=up&start=0&end=10&step=0',
      '{"status":"error","errorType":"bad_data","error":"invalid parameter \\"step\\": zero or negative query resolution step widths are not accepted. Try a positive integer"}',
    ],
    [
      'query=up&start=0&end=11001&step=1ms',
      '{"status":"error","errorType":"bad_data","error":"exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)"}',
    ],
    [
      'query=up&end=10&step=1',
      '{"status":"error","errorType":"bad_data","error":"invalid parameter \\"start\\": cannot parse \\"\\" to a valid timestamp"}',
    ],
    [
      'query=up&start=0&end=10&step=fast',
      '{"status":"error","errorType":"bad_data","error":"invalid parameter \\"step\\": cannot parse \\"fast\\" to a valid duration"}',
    ],
    [
      'query=sum(&start=0&end=10&step=1',
      '{"status":"error","errorType":"bad_data","error":"invalid parameter \\"query\\": 1:5: parse error: unclosed left parenthesis"}',
    ],
  ];
  for (const [qs, body] of errors) {
    test(`error: ${qs}`, async () => {
      const r = await fetchRaw(url(`/api/v1/query_range?${qs}`));
      assert.equal(r.status, 400);
      assert.equal(r.text, body);
    });
  }
});

describe('format_query, parse_query, query_exemplars', () => {
  test('format_query', async () => {
    assert.equal(
      (await fetchRaw(url('/api/v1/format_query?query=foo/bar'))).text,
      '{"status":"success","data":"foo / bar"}',
    );
    const bad = await fetchRaw(url('/api/v1/format_query?query=foo/'));
    assert.equal(bad.status, 400);
  });

  test('parse_query: the documented tree for foo/bar', async () => {
    const r = await fetchJson(url('/api/v1/parse_query'), { form: { query: 'foo/bar' } });
    const data = (r.body as { data: Record<string, unknown> }).data;
    const sel = (name: string): Record<string, unknown> => ({
      anchored: false,
      matchers: [{ name: '__name__', type: '=', value: name }],
      name,
      offset: 0,
      smoothed: false,
      startOrEnd: null,
      timestamp: null,
      type: 'vectorSelector',
    });
    assert.deepEqual(data, {
      bool: false,
      lhs: sel('foo'),
      matching: {
        card: 'one-to-one',
        fillValues: { lhs: null, rhs: null },
        include: [],
        labels: [],
        on: false,
      },
      op: '/',
      rhs: sel('bar'),
      type: 'binaryExpr',
    });
    // Go marshals maps with sorted keys.
    assert.match(r.text, /^\{"status":"success","data":\{"bool":false,"lhs":\{"anchored":false,"matchers":/);
  });

  test('query_exemplars: none kept; 204 without selectors; errors', async () => {
    assert.equal(
      (await fetchRaw(url('/api/v1/query_exemplars?query=up&start=0&end=10'))).text,
      '{"status":"success","data":[]}',
    );
    assert.equal((await fetchRaw(url('/api/v1/query_exemplars?query=1%2B1'))).status, 204);
    const bad = await fetchRaw(url('/api/v1/query_exemplars?query=up&start=10&end=0'));
    assert.equal(
      bad.text,
      '{"status":"error","errorType":"bad_data","error":"end timestamp must not be before start timestamp"}',
    );
  });
});

describe('large answers', () => {
  test('a matrix over a megabyte arrives whole (sent in pieces, never as one string)', async () => {
    const s = new MemoryStorage();
    for (let i = 0; i < 2000; i++) {
      const l = Labels.from({ __name__: 'big', instance: `instance-${i}` });
      for (let t = 0; t <= 3_600_000; t += 60_000) s.add(l, t, i + t / 1e6);
    }
    const big = await startHarness({ storage: s });
    try {
      const r = await fetchRaw(`${big.base}/api/v1/query_range?query=big&start=0&end=3600&step=60`);
      assert.ok(r.raw.length > 1 << 20);
      const body = JSON.parse(r.text) as { data: { result: { values: unknown[] }[] } };
      assert.equal(body.data.result.length, 2000);
      assert.ok(body.data.result.every((x) => x.values.length === 61));
    } finally {
      await big.close();
    }
  });
});
