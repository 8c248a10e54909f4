import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Labels } from '../model/labels.js';
import type { MetricFamily, MetricPoint } from './types.js';
import { writeOpenMetrics } from './writer-openmetrics.js';

function pt(name: string, labels: Record<string, string>, value: number, timestamp?: number): MetricPoint {
  return timestamp === undefined
    ? { name, labels: Labels.from(labels), value }
    : { name, labels: Labels.from(labels), value, timestamp };
}

void describe('writeOpenMetrics', () => {
  void it('writes a counter without _total in metadata and with it on samples', () => {
    for (const name of ['foo', 'foo_total']) {
      const f: MetricFamily = {
        name,
        type: 'counter',
        help: 'Some text and \n some " escaping\\',
        unit: 'seconds',
        metrics: [pt(name, {}, 17, 1520879607789), pt('foo_created', {}, 1520430000.123, 1520879607789)],
      };
      assert.equal(
        writeOpenMetrics([f]),
        '# TYPE foo counter\n' +
          '# UNIT foo seconds\n' +
          '# HELP foo Some text and \\n some \\" escaping\\\\\n' +
          'foo_total 17.0 1520879607.789\n' +
          'foo_created 1520430000.123 1520879607.789\n' +
          '# EOF\n',
      );
    }
  });

  void it('writes a gauge with labels, escaping and special values', () => {
    const f: MetricFamily = {
      name: 'bar_seconds',
      type: 'gauge',
      metrics: [
        pt('bar_seconds', { a: 'x', b: 'escaping" example \n \\' }, 0),
        pt('bar_seconds', { a: 'y' }, Infinity, 1000),
        pt('bar_seconds', { a: 'z' }, -Infinity, -1500),
        pt('bar_seconds', { a: 'w' }, NaN, 10),
        pt('bar_seconds', { a: 'v' }, 1.5e-7, 1),
      ],
    };
    assert.equal(
      writeOpenMetrics([f]),
      '# TYPE bar_seconds gauge\n' +
        'bar_seconds{a="x",b="escaping\\" example \\n \\\\"} 0.0\n' +
        'bar_seconds{a="y"} +Inf 1\n' +
        'bar_seconds{a="z"} -Inf -1.5\n' +
        'bar_seconds{a="w"} NaN 0.01\n' +
        'bar_seconds{a="v"} 1.5e-07 0.001\n' +
        '# EOF\n',
    );
  });

  void it('writes a histogram with integer counts and exemplars', () => {
    const f: MetricFamily = {
      name: 'foo',
      type: 'histogram',
      metrics: [
        pt('foo_bucket', { le: '0.01' }, 0),
        { ...pt('foo_bucket', { le: '0.1' }, 8), exemplar: { labels: Labels.EMPTY, value: 0.054 } },
        {
          ...pt('foo_bucket', { le: '1.0' }, 11),
          exemplar: { labels: Labels.from({ trace_id: 'KOO5S4vxi0o' }), value: 0.67 },
        },
        {
          ...pt('foo_bucket', { le: '10.0' }, 17),
          exemplar: {
            labels: Labels.from({ trace_id: 'oHg5SJYRHA0' }),
            value: 9.8,
            timestamp: 1520879607789,
          },
        },
        pt('foo_bucket', { le: '+Inf' }, 17),
        pt('foo_count', {}, 17),
        pt('foo_sum', {}, 324789.3),
        pt('foo_created', {}, 1520430000.123),
      ],
    };
    assert.equal(
      writeOpenMetrics([f]),
      '# TYPE foo histogram\n' +
        'foo_bucket{le="0.01"} 0\n' +
        'foo_bucket{le="0.1"} 8 # {} 0.054\n' +
        'foo_bucket{le="1.0"} 11 # {trace_id="KOO5S4vxi0o"} 0.67\n' +
        'foo_bucket{le="10.0"} 17 # {trace_id="oHg5SJYRHA0"} 9.8 1520879607.789\n' +
        'foo_bucket{le="+Inf"} 17\n' +
        'foo_count 17\n' +
        'foo_sum 324789.3\n' +
        'foo_created 1520430000.123\n' +
        '# EOF\n',
    );
  });

  void it('writes a gauge histogram, a summary, a stateset, an info and an unknown', () => {
    const fams: MetricFamily[] = [
      {
        name: 'gh',
        type: 'gaugehistogram',
        metrics: [pt('gh_bucket', { le: '+Inf' }, 4), pt('gh_gcount', {}, 4), pt('gh_gsum', {}, 2)],
      },
      {
        name: 'rpc',
        type: 'summary',
        metrics: [
          pt('rpc', { quantile: '0.5' }, 4773),
          pt('rpc_sum', {}, 1.7560473e7),
          pt('rpc_count', {}, 2693),
        ],
      },
      { name: 'st', type: 'stateset', metrics: [pt('st', { st: 'a' }, 1), pt('st', { st: 'b' }, 0)] },
      { name: 'build_info', type: 'info', metrics: [pt('build_info', { version: '8.2.7' }, 1)] },
      { name: 'other', type: 'unknown', help: 'anything', metrics: [pt('other', {}, 1e6)] },
    ];
    assert.equal(
      writeOpenMetrics(fams),
      '# TYPE gh gaugehistogram\ngh_bucket{le="+Inf"} 4\ngh_gcount 4\ngh_gsum 2.0\n' +
        '# TYPE rpc summary\nrpc{quantile="0.5"} 4773.0\nrpc_sum 1.7560473e+07\nrpc_count 2693\n' +
        '# TYPE st stateset\nst{st="a"} 1.0\nst{st="b"} 0.0\n' +
        '# TYPE build info\nbuild_info{version="8.2.7"} 1.0\n' +
        '# TYPE other unknown\n# HELP other anything\nother 1e+06\n' +
        '# EOF\n',
    );
  });

  void it('quotes UTF-8 names in metadata, samples and exemplars', () => {
    const f: MetricFamily = {
      name: 'my.requests',
      type: 'counter',
      help: 'h',
      metrics: [
        {
          name: 'my.requests',
          labels: Labels.from({ 'http.method': 'GET' }),
          value: 3,
          exemplar: { labels: Labels.from({ 'trace.id': 'x"y' }), value: 1 },
        },
      ],
    };
    assert.equal(
      writeOpenMetrics([f]),
      '# TYPE "my.requests" counter\n# HELP "my.requests" h\n' +
        '{"my.requests_total","http.method"="GET"} 3.0 # {"trace.id"="x\\"y"} 1.0\n# EOF\n',
    );
  });

  void it('escapes UTF-8 names when asked to, keeping sample suffixes on the escaped family name', () => {
    const fams: MetricFamily[] = [
      {
        name: 'my.requests',
        type: 'counter',
        metrics: [pt('my.requests_total', { 'http.method': 'GET' }, 3)],
      },
      {
        name: 'lat.seconds',
        type: 'histogram',
        metrics: [
          pt('lat.seconds_bucket', { le: '+Inf' }, 1),
          pt('lat.seconds_count', {}, 1),
          pt('lat.seconds_sum', {}, 2),
        ],
      },
      { name: 'node_load1', type: 'gauge', metrics: [pt('node_load1', {}, 1)] },
    ];
    assert.equal(
      writeOpenMetrics(fams, { escaping: 'values' }),
      '# TYPE U__my_2e_requests counter\nU__my_2e_requests_total{U__http_2e_method="GET"} 3.0\n' +
        '# TYPE U__lat_2e_seconds histogram\n' +
        'U__lat_2e_seconds_bucket{le="+Inf"} 1\nU__lat_2e_seconds_count 1\nU__lat_2e_seconds_sum 2.0\n' +
        '# TYPE node_load1 gauge\nnode_load1 1.0\n# EOF\n',
    );
    assert.equal(
      writeOpenMetrics(fams.slice(0, 1), { escaping: 'dots' }),
      '# TYPE my_dot_requests counter\nmy_dot_requests_total{http_dot_method="GET"} 3.0\n# EOF\n',
    );
  });

  void it('writes only # EOF for no families', () => {
    assert.equal(writeOpenMetrics([]), '# EOF\n');
  });
});
