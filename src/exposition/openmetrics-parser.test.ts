import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Entry } from './entry.js';
import { OpenMetricsParser } from './openmetrics-parser.js';
import { ParseError } from './parse-error.js';

function parse(input: string, validate = true): OpenMetricsParser {
  return new OpenMetricsParser(Buffer.from(input), { validate });
}

function rejectsAt(input: string, line: number, reason: RegExp): void {
  assert.throws(
    () => {
      const p = parse(input);
      while (p.next() !== Entry.EOF) p.labels();
    },
    (e: unknown) => e instanceof ParseError && e.line === line && reason.test(e.reason),
  );
}

void describe('OpenMetricsParser', () => {
  void it('reads metadata, samples, float-second timestamps and exemplars', () => {
    const p = parse(
      '# TYPE rpc_seconds histogram\n# UNIT rpc_seconds seconds\n# HELP rpc_seconds RPC \\"latency\\".\n' +
        'rpc_seconds_bucket{le="0.5"} 3 1.5 # {trace_id="abc"} 0.31 1.25\n' +
        'rpc_seconds_bucket{le="+Inf"} 4 1.5\nrpc_seconds_count 4 1.5\nrpc_seconds_sum 1.75 1.5\n# EOF\n',
    );
    assert.equal(p.next(), Entry.Type);
    assert.equal(p.type(), 'histogram');
    assert.equal(p.next(), Entry.Unit);
    assert.equal(p.unit(), 'seconds');
    assert.equal(p.next(), Entry.Help);
    assert.equal(p.help(), 'RPC "latency".');
    assert.equal(p.next(), Entry.Series);
    assert.equal(p.seriesKey(), 'rpc_seconds_bucket{le="0.5"}');
    assert.equal(p.value(), 3);
    assert.equal(p.timestamp(), 1500);
    const ex = p.exemplar();
    assert.equal(ex?.labels.get('trace_id'), 'abc');
    assert.equal(ex?.value, 0.31);
    assert.equal(ex?.timestamp, 1250);
    assert.equal(p.next(), Entry.Series);
    assert.equal(p.exemplar(), undefined);
    assert.equal(p.timestamp(), 1500);
    assert.equal(p.next(), Entry.Series);
    assert.equal(p.next(), Entry.Series);
    assert.equal(p.value(), 1.75);
    assert.equal(p.next(), Entry.EOF);
    assert.equal(p.next(), Entry.EOF);
  });

  void it('reads quoted UTF-8 names', () => {
    const p = parse('# TYPE "a.b" gauge\n{"a.b",c="d"} 1\n# EOF\n');
    p.next();
    assert.equal(p.metricName(), 'a.b');
    p.next();
    assert.equal(p.labels().toString(), '{__name__="a.b", c="d"}');
  });

  void it('rejects invalid UTF-8 at its line and column', () => {
    assert.throws(
      () => {
        const q = new OpenMetricsParser(
          Buffer.concat([
            Buffer.from('a 1\nb{c="x'),
            Buffer.from([0xc3, 0x28]),
            Buffer.from('"} 1\n# EOF\n'),
          ]),
        );
        while (q.next() !== Entry.EOF);
      },
      (e: unknown) =>
        e instanceof ParseError && e.line === 2 && e.column === 7 && e.reason === 'invalid UTF-8',
    );
  });

  void it('requires # EOF', () => rejectsAt('a 1\n', 2, /expected "# EOF"/));
  void it('rejects data after # EOF', () => rejectsAt('a 1\n# EOF\nb 1\n', 3, /after "# EOF"/));
  void it('rejects comments', () => rejectsAt('# a comment\n# EOF\n', 1, /expected HELP, TYPE, UNIT or EOF/));
  void it('rejects a counter going negative', () =>
    rejectsAt('# TYPE a counter\na_total -1\n# EOF\n', 2, /non-negative/));
  void it('rejects a split family', () => rejectsAt('a 1\nb 1\na 2\n# EOF\n', 3, /not grouped together/));
  void it('rejects a histogram without +Inf', () =>
    rejectsAt('# TYPE h histogram\nh_bucket{le="1"} 1\n# EOF\n', 2, /no \+Inf bucket/));
  void it('rejects exemplars on gauges', () =>
    rejectsAt('# TYPE g gauge\ng 1 # {a="b"} 1\n# EOF\n', 2, /exemplars are not allowed/));
  void it('rejects an exemplar over 128 characters', () =>
    rejectsAt(`# TYPE a counter\na_total 1 # {a="${'x'.repeat(128)}"} 1\n# EOF\n`, 2, /more than 128/));
  void it('rejects spaces the text format allows', () =>
    rejectsAt('a{b="c", d="e"} 1\n# EOF\n', 1, /expected label name/));

  void it('skips semantic checks when validate is false', () => {
    const p = parse('# TYPE a counter\na_total -1\n# EOF\n', false);
    while (p.next() !== Entry.EOF);
    assert.equal(p.value(), -1);
  });
});
