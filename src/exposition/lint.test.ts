import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Entry } from './entry.js';
import { MetricsLinter } from './lint.js';
import { TextParser } from './text-parser.js';

/** Lints a text payload and returns `metric text` lines, as promtool prints them. */
function lint(input: string): string[] {
  const p = new TextParser(Buffer.from(input));
  const l = new MetricsLinter(false);
  for (let k = p.next(); k !== Entry.EOF; k = p.next()) l.observe(p, k);
  return l.problems().map((x) => `${x.metric} ${x.text}`);
}

// The expected lines are what `promtool check metrics` (Prometheus 2.42) prints for the same input.
test('lint findings match promtool on a mixed payload', () => {
  const input = [
    '# TYPE requests counter',
    'requests 1',
    '# HELP latency_milliseconds L.',
    '# TYPE latency_milliseconds gauge',
    'latency_milliseconds 3',
    '# HELP fooBar x',
    '# TYPE fooBar gauge',
    'fooBar{someLabel="a"} 1',
    '# HELP x_total x',
    '# TYPE x_total gauge',
    'x_total 1',
    '# HELP a:b x',
    '# TYPE a:b counter',
    'a:b_total 1',
    '# HELP y_count y',
    '# TYPE y_count gauge',
    'y_count 1',
    '# HELP cnt_gauge_total y',
    '# TYPE cnt_gauge_total counter',
    'cnt_gauge_total 1',
    '# HELP kb_kilobytes y',
    '# TYPE kb_kilobytes gauge',
    'kb_kilobytes 1',
    '',
  ].join('\n');
  assert.deepEqual(lint(input), [
    "a:b_total metric names should not contain ':'",
    'a:b_total no help text',
    "cnt_gauge_total metric name should not include type 'gauge'",
    "fooBar label names should be written in 'snake_case' not 'camelCase'",
    "fooBar metric names should be written in 'snake_case' not 'camelCase'",
    'kb_kilobytes use base unit "bytes" instead of "kilobytes"',
    'latency_milliseconds use base unit "seconds" instead of "milliseconds"',
    'requests counter metrics should have "_total" suffix',
    'requests no help text',
    'x_total non-counter metrics should not have "_total" suffix',
    'y_count non-histogram and non-summary metrics should not have "_count" suffix',
  ]);
});

test('histogram and summary samples belong to their family', () => {
  const input =
    '# HELP rpc_seconds R.\n# TYPE rpc_seconds summary\nrpc_seconds{quantile="0.5"} 1\nrpc_seconds_sum 1\nrpc_seconds_count 1\n' +
    '# HELP req_seconds R.\n# TYPE req_seconds histogram\nreq_seconds_bucket{le="+Inf"} 1\nreq_seconds_sum 1\nreq_seconds_count 1\n';
  assert.deepEqual(lint(input), []);
});
