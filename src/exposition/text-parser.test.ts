import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Entry } from './entry.js';
import type { EntryKind } from './entry.js';
import { ParseError } from './parse-error.js';
import { TextParser } from './text-parser.js';

interface Seen {
  kind: EntryKind;
  text: string;
}

/** Runs the parser and describes each entry as one line of text. */
function entries(input: string): Seen[] {
  const p = new TextParser(Buffer.from(input));
  const out: Seen[] = [];
  for (let k = p.next(); k !== Entry.EOF; k = p.next()) {
    let text: string;
    if (k === Entry.Series) {
      const ts = p.timestamp();
      text = `${p.labels().toString()} ${p.value()}${ts === undefined ? '' : ' @' + ts} key=${p.seriesKey()}`;
    } else if (k === Entry.Help) text = `${p.metricName()} ${JSON.stringify(p.help())}`;
    else if (k === Entry.Type) text = `${p.metricName()} ${p.type()}`;
    else text = p.comment();
    out.push({ kind: k, text });
  }
  return out;
}

function rejects(input: string, line: number, column: number, reason: RegExp): void {
  assert.throws(
    () => entries(input),
    (e: unknown) =>
      e instanceof ParseError && e.line === line && e.column === column && reason.test(e.reason),
  );
}

void describe('TextParser', () => {
  void it('reads metadata, comments and samples with labels and timestamps', () => {
    const got = entries(
      '# HELP http_requests_total The total.\\nSecond line with \\\\.\n' +
        '# TYPE http_requests_total counter\n' +
        '\n' +
        '# just a comment\n' +
        'http_requests_total{method="post",code="200"} 1027 1395066363000\n' +
        'http_requests_total{method="post",code="400"}    3   1395066363000\n' +
        'metric_without_timestamp_and_labels 12.47\n',
    );
    assert.deepEqual(got, [
      { kind: Entry.Help, text: 'http_requests_total "The total.\\nSecond line with \\\\."' },
      { kind: Entry.Type, text: 'http_requests_total counter' },
      { kind: Entry.Comment, text: ' just a comment' },
      {
        kind: Entry.Series,
        text: '{__name__="http_requests_total", code="200", method="post"} 1027 @1395066363000 key=http_requests_total{method="post",code="200"}',
      },
      {
        kind: Entry.Series,
        text: '{__name__="http_requests_total", code="400", method="post"} 3 @1395066363000 key=http_requests_total{method="post",code="400"}',
      },
      {
        kind: Entry.Series,
        text: '{__name__="metric_without_timestamp_and_labels"} 12.47 key=metric_without_timestamp_and_labels',
      },
    ]);
  });

  void it('unescapes only backslash and newline in HELP', () => {
    const p = new TextParser(Buffer.from('# HELP a x\\\\y \\"q\\" \\n\n'));
    p.next();
    assert.equal(p.help(), 'x\\y \\"q\\" \n');
  });

  void it('gives the raw series bytes as a cache key that tells series apart', () => {
    const p = new TextParser(Buffer.from('a{x="é"} 1\na{x="e"} 2\na{x="é"} 3 5\n'));
    const keys: string[] = [];
    while (p.next() !== Entry.EOF) {
      keys.push(p.seriesKey());
      assert.equal(Buffer.from(p.seriesBytes()).toString('utf8').startsWith('a{x="'), true);
    }
    assert.equal(keys[0], keys[2]);
    assert.notEqual(keys[0], keys[1]);
  });

  void it('reads special values, exponents and negative timestamps', () => {
    const p = new TextParser(
      Buffer.from('a +Inf\nb -Inf\nc NaN\nd 1.5e-3 -10\ne -0.25\nf 123456789012345678901\n'),
    );
    const values: number[] = [];
    for (let k = p.next(); k !== Entry.EOF; k = p.next()) values.push(p.value());
    assert.deepEqual(values, [Infinity, -Infinity, NaN, 0.0015, -0.25, Number('123456789012345678901')]);
    const q = new TextParser(Buffer.from('d 1 -10\n'));
    q.next();
    assert.equal(q.timestamp(), -10);
  });

  void it('unescapes label values and keeps unknown escapes', () => {
    const p = new TextParser(Buffer.from('a{path="C:\\\\dir\\\\",msg="say \\"hi\\"\\nbye",odd="\\z"} 1\n'));
    p.next();
    const l = p.labels();
    assert.equal(l.get('path'), 'C:\\dir\\');
    assert.equal(l.get('msg'), 'say "hi"\nbye');
    assert.equal(l.get('odd'), '\\z');
  });

  void it('reads Prometheus 3 quoted UTF-8 metric and label names', () => {
    const got = entries(
      '# HELP "my.metric" Dotted.\n# TYPE "my.metric" gauge\n{"my.metric", "a.b"="c", d="é"} 2\n',
    );
    assert.equal(got[0].text, 'my.metric "Dotted."');
    assert.equal(got[1].text, 'my.metric gauge');
    assert.match(got[2].text, /^\{__name__="my\.metric", a\.b="c", d="é"\} 2 /);
  });

  void it('drops empty label values and allows a trailing comma', () => {
    const p = new TextParser(Buffer.from('a{x="",y="1",} 1\n'));
    p.next();
    assert.equal(p.labels().toString(), '{__name__="a", y="1"}');
  });

  void it('reads the last line without a trailing newline', () => {
    assert.equal(entries('a 1\nb 2').length, 2);
  });

  void it('keeps returning EOF at the end', () => {
    const p = new TextParser(Buffer.from('a 1\n'));
    assert.equal(p.next(), Entry.Series);
    assert.equal(p.next(), Entry.EOF);
    assert.equal(p.next(), Entry.EOF);
  });

  void it('rejects a missing label value', () =>
    rejects('ok 1\na{b=INVALID} 1\n', 2, 5, /^expected label value, got "INVALID}"$/));
  void it('rejects a missing equal sign', () => rejects('a{b"c"} 1\n', 1, 4, /^expected equal/));
  void it('rejects a missing value', () => rejects('a{b="c"}\n', 1, 9, /^expected value after metric/));
  void it('rejects a bad value', () => rejects('a 1x\n', 1, 3, /^invalid value "1x"/));
  void it('rejects a float timestamp', () => rejects('a 1 1.5\n', 1, 5, /^invalid timestamp "1.5"/));
  void it('rejects text after the timestamp', () =>
    rejects('a 1 2 3\n', 1, 7, /^expected next entry after timestamp/));
  void it('rejects an unterminated label value', () =>
    rejects('a{b="c} 1\n', 1, 10, /unterminated label value/));
  void it('rejects an unknown TYPE', () =>
    rejects('# TYPE a gaugehistogram\n', 1, 10, /^invalid metric type "gaugehistogram"/));
  void it('rejects duplicate label names when labels are read', () =>
    rejects('a{b="1",b="2"} 1\n', 1, 9, /^duplicate label name "b"/));
  void it('rejects a metric name given twice', () =>
    rejects('{"a", "b"} 1\n', 1, 7, /metric name given twice/));
  void it('rejects a label set without a metric name', () =>
    rejects('{a="b"} 1\n', 1, 1, /metric name missing/));
});
