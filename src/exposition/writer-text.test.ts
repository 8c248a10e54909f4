import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Labels } from '../model/labels.js';
import type { MetricFamily, MetricPoint } from './types.js';
import { writeText } from './writer-text.js';

function pt(name: string, labels: Record<string, string>, value: number, timestamp?: number): MetricPoint {
  return timestamp === undefined
    ? { name, labels: Labels.from(labels), value }
    : { name, labels: Labels.from(labels), value, timestamp };
}

void describe('writeText', () => {
  void it('writes a counter with HELP, TYPE, labels and timestamps', () => {
    const f: MetricFamily = {
      name: 'http_requests_total',
      type: 'counter',
      help: 'The total number of HTTP requests.',
      metrics: [
        pt('http_requests_total', { method: 'post', code: '200' }, 1027, 1395066363000),
        pt('http_requests_total', { method: 'post', code: '400' }, 3, 1395066363000),
      ],
    };
    assert.equal(
      writeText([f]),
      '# HELP http_requests_total The total number of HTTP requests.\n' +
        '# TYPE http_requests_total counter\n' +
        'http_requests_total{code="200",method="post"} 1027 1395066363000\n' +
        'http_requests_total{code="400",method="post"} 3 1395066363000\n',
    );
  });

  void it('names a counter family by its _total samples', () => {
    const f: MetricFamily = { name: 'jobs', type: 'counter', metrics: [pt('jobs_total', {}, 5)] };
    assert.equal(writeText([f]), '# TYPE jobs_total counter\njobs_total 5\n');
  });

  void it('escapes label values and HELP as the text format does', () => {
    const f: MetricFamily = {
      name: 'msdos_file_access_time_seconds',
      type: 'gauge',
      help: 'Path C:\\DIR with "quotes"\nand a second line',
      metrics: [
        pt(
          'msdos_file_access_time_seconds',
          { path: 'C:\\DIR\\FILE.TXT', error: 'Cannot find file:\n"FILE.TXT"' },
          1.458255915e9,
        ),
      ],
    };
    assert.equal(
      writeText([f]),
      '# HELP msdos_file_access_time_seconds Path C:\\\\DIR with "quotes"\\nand a second line\n' +
        '# TYPE msdos_file_access_time_seconds gauge\n' +
        'msdos_file_access_time_seconds{error="Cannot find file:\\n\\"FILE.TXT\\"",path="C:\\\\DIR\\\\FILE.TXT"} 1.458255915e+09\n',
    );
  });

  void it('quotes UTF-8 metric and label names', () => {
    const f: MetricFamily = {
      name: 'my.dotted.metric',
      type: 'gauge',
      help: 'dots',
      metrics: [
        pt('my.dotted.metric', { 'error.message': 'Not Found', code: '404' }, 1),
        pt('my.dotted.metric', {}, 2),
      ],
    };
    assert.equal(
      writeText([f]),
      '# HELP "my.dotted.metric" dots\n' +
        '# TYPE "my.dotted.metric" gauge\n' +
        '{"my.dotted.metric",code="404","error.message"="Not Found"} 1\n' +
        '{"my.dotted.metric"} 2\n',
    );
  });

  void it('escapes UTF-8 names when asked to', () => {
    const f: MetricFamily = {
      name: 'my.metric',
      type: 'gauge',
      metrics: [pt('my.metric', { 'a.b': 'x' }, 1)],
    };
    assert.equal(
      writeText([f], { escaping: 'underscores' }),
      '# TYPE my_metric gauge\nmy_metric{a_b="x"} 1\n',
    );
    assert.equal(
      writeText([f], { escaping: 'values' }),
      '# TYPE U__my_2e_metric gauge\nU__my_2e_metric{U__a_2e_b="x"} 1\n',
    );
  });

  void it('keeps the _total of a counter on the escaped name', () => {
    const f: MetricFamily = { name: 'a.b', type: 'counter', metrics: [pt('a.b_total', {}, 1)] };
    assert.equal(writeText([f], { escaping: 'dots' }), '# TYPE a_dot_b_total counter\na_dot_b_total 1\n');
    assert.equal(writeText([f]), '# TYPE "a.b_total" counter\n{"a.b_total"} 1\n');
  });

  void it('writes NaN, +Inf, -Inf and negative timestamps', () => {
    const f: MetricFamily = {
      name: 'something_weird',
      type: 'unknown',
      metrics: [
        pt('something_weird', { problem: 'division by zero' }, Infinity, -3982045),
        pt('something_weird', { problem: 'minus' }, -Infinity),
        pt('something_weird', { problem: 'nan' }, NaN),
      ],
    };
    assert.equal(
      writeText([f]),
      '# TYPE something_weird untyped\n' +
        'something_weird{problem="division by zero"} +Inf -3982045\n' +
        'something_weird{problem="minus"} -Inf\n' +
        'something_weird{problem="nan"} NaN\n',
    );
  });

  void it('writes a histogram and a summary as the spec example does', () => {
    const h: MetricFamily = {
      name: 'http_request_duration_seconds',
      type: 'histogram',
      help: 'A histogram of the request duration.',
      metrics: [
        pt('http_request_duration_seconds_bucket', { le: '0.05' }, 24054),
        pt('http_request_duration_seconds_bucket', { le: '+Inf' }, 144320),
        pt('http_request_duration_seconds_sum', {}, 53423),
        pt('http_request_duration_seconds_count', {}, 144320),
      ],
    };
    const s: MetricFamily = {
      name: 'rpc_duration_seconds',
      type: 'summary',
      help: 'A summary of the RPC duration in seconds.',
      metrics: [
        pt('rpc_duration_seconds', { quantile: '0.01' }, 3102),
        pt('rpc_duration_seconds_sum', {}, 1.7560473e7),
        pt('rpc_duration_seconds_count', {}, 2693),
      ],
    };
    assert.equal(
      writeText([h, s]),
      '# HELP http_request_duration_seconds A histogram of the request duration.\n' +
        '# TYPE http_request_duration_seconds histogram\n' +
        'http_request_duration_seconds_bucket{le="0.05"} 24054\n' +
        'http_request_duration_seconds_bucket{le="+Inf"} 144320\n' +
        'http_request_duration_seconds_sum 53423\n' +
        'http_request_duration_seconds_count 144320\n' +
        '# HELP rpc_duration_seconds A summary of the RPC duration in seconds.\n' +
        '# TYPE rpc_duration_seconds summary\n' +
        'rpc_duration_seconds{quantile="0.01"} 3102\n' +
        'rpc_duration_seconds_sum 1.7560473e+07\n' +
        'rpc_duration_seconds_count 2693\n',
    );
  });

  void it('maps OpenMetrics-only types and drops exemplars and units', () => {
    const fams: MetricFamily[] = [
      { name: 'build', type: 'info', unit: 'x', metrics: [pt('build_info', { version: '1.2' }, 1)] },
      { name: 'state', type: 'stateset', metrics: [pt('state', { state: 'a' }, 1)] },
      { name: 'queue', type: 'gaugehistogram', metrics: [pt('queue_gcount', {}, 4)] },
      {
        name: 'c_total',
        type: 'counter',
        metrics: [
          {
            name: 'c_total',
            labels: Labels.EMPTY,
            value: 1,
            exemplar: { labels: Labels.from({ id: 'x' }), value: 1 },
          },
        ],
      },
    ];
    assert.equal(
      writeText(fams),
      '# TYPE build_info gauge\nbuild_info{version="1.2"} 1\n' +
        '# TYPE state gauge\nstate{state="a"} 1\n' +
        '# TYPE queue untyped\nqueue_gcount 4\n' +
        '# TYPE c_total counter\nc_total 1\n',
    );
  });

  void it('writes nothing for no families', () => {
    assert.equal(writeText([]), '');
  });
});
