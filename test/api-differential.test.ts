/**
 * HTTP API differential test: the same blocks served by the real Prometheus 2.42 and by the
 * `vigil server` process, the same requests (GET and POST form) sent to both, and the HTTP status
 * and JSON body compared. Unlike the PromQL differential test this one is about the API surface:
 * parameter parsing (times, durations, `match[]`), result shapes, value and label encoding, error
 * types and messages. Answers must be equal as JSON; a known 2.42-vs-3.x difference (Vigil follows
 * 3.x) is listed in `KNOWN` with its reason and must still differ, so the list cannot go stale.
 */
import assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Labels } from '../src/model/labels.js';
import { STALE_NAN } from '../src/model/value.js';
import { writeBlock } from '../src/tsdb/block/writer.js';
import type { BlockSeries } from '../src/tsdb/block/writer.js';
import { startServer } from './support/query-servers.js';
import type { QueryServer } from './support/query-servers.js';
import { mulberry32 } from './support/random.js';

/** Data start, seconds (2023-11-14T22:13:20Z). */
const T0 = 1_700_000_000;
const STEP_MS = 15_000;
const SAMPLES = 480; // two hours

/**
 * Sample times `offsetMs` past each 15 s slot; requests use whole or .5 seconds, so no sample sits
 * on a window boundary, where 2.42's closed windows and 3.x's left-open ones differ.
 */
function times(count: number, offsetMs: number, first = 0): number[] {
  const out: number[] = [];
  for (let i = first; i < first + count; i++) out.push(T0 * 1000 + i * STEP_MS + offsetMs);
  return out;
}

function series(labels: Record<string, string>, ts: number[], values: ArrayLike<number>): BlockSeries {
  return { labels: Labels.from(labels), timestamps: ts, values: Float64Array.from(values) };
}

/**
 * Counters, gauges with NaN and ±Inf, a series with staleness markers, one that ends after an
 * hour, one with many labels and label values beyond ASCII (whose byte order and UTF-16 order
 * differ), a recording-rule style name with colons.
 */
function generate(): BlockSeries[] {
  const rand = mulberry32(20251124);
  const out: BlockSeries[] = [];
  for (const job of ['api', 'web'])
    for (const instance of ['10.0.0.1:9100', '10.0.0.2:9100'])
      for (const code of ['200', '500']) {
        let c = 0;
        const vals = Array.from({ length: SAMPLES }, () => (c += Math.floor(rand() * 10)));
        out.push(series({ __name__: 'api_requests_total', job, instance, code }, times(SAMPLES, 250), vals));
      }
  {
    const specials = [NaN, Infinity, -Infinity, 0, -0.5, 1e-300, 1.7976931348623157e308, 123456789.125];
    const vals = Array.from({ length: SAMPLES }, (_, i) => specials[i % specials.length]);
    out.push(series({ __name__: 'api_gauge', job: 'api', kind: 'special' }, times(SAMPLES, 500), vals));
    const walk = Array.from({ length: SAMPLES }, (_, i) => Math.sin(i / 10) * 40 + 0.1);
    out.push(series({ __name__: 'api_gauge', job: 'api', kind: 'plain' }, times(SAMPLES, 500), walk));
  }
  {
    // Up for 10 minutes, a staleness marker, gone for 5 minutes; typed arrays keep the marker's bits.
    const ts: number[] = [];
    const vals: number[] = [];
    const all = times(SAMPLES, 750);
    for (let i = 0; i < all.length; i++) {
      const phase = i % 60;
      if (phase < 40) {
        ts.push(all[i]);
        vals.push(i);
      } else if (phase === 40) {
        ts.push(all[i]);
        vals.push(NaN);
      }
    }
    const v = Float64Array.from(vals);
    for (let i = 0; i < ts.length; i++) if (Number.isNaN(v[i])) v[i] = STALE_NAN;
    out.push({ labels: Labels.from({ __name__: 'api_flappy', job: 'web' }), timestamps: ts, values: v });
  }
  out.push(
    series({ __name__: 'api_old', job: 'batch' }, times(SAMPLES / 2, 300), new Array(SAMPLES / 2).fill(7)),
  );
  {
    const l: Record<string, string> = { __name__: 'api_many_labels' };
    for (let j = 0; j < 40; j++) l[`label_${String(j).padStart(2, '0')}`] = `value-${j}`;
    out.push(series(l, times(SAMPLES, 400), new Array(SAMPLES).fill(1)));
  }
  const odd = [
    'Zürich',
    '日本語',
    '🙂 smile',
    'Ａfullwidth',
    'a"b\\c',
    '<b>&amp;</b>',
    'line1\nline2',
    'tab\there',
  ];
  odd.forEach((city, k) =>
    out.push(
      series({ __name__: 'api_utf8', city, k: String(k) }, times(SAMPLES, 600), new Array(SAMPLES).fill(k)),
    ),
  );
  out.push(
    series(
      { __name__: 'job:api_requests:rate5m', job: 'api' },
      times(SAMPLES, 650),
      new Array(SAMPLES).fill(0.25),
    ),
  );
  return out;
}

type Method = 'GET' | 'POST';

/** One request: sent as GET with a query string and, for `methods` with POST, as a form body. */
interface Case {
  readonly name: string;
  readonly path: string;
  readonly params?: readonly (readonly [string, string])[];
  readonly methods?: readonly Method[];
  /**
   * `exact` (default): equal JSON; `shape`: the same keys and value types (build info); `subset`:
   * Vigil's keys are among Prometheus' (flags: Vigil has fewer).
   */
  readonly compare?: 'exact' | 'shape' | 'subset';
}

const at = (s: number): string => String(T0 + s);
const BOTH: readonly Method[] = ['GET', 'POST'];
type Params = readonly (readonly [string, string])[];

/** `/api/v1/query` of `query` at `time` (default 30 min into the data), as GET and POST. */
function instant(name: string, query: string, extra: Params = [], time = at(1803)): Case {
  const params: Params = [['query', query], ['time', time], ...extra];
  return { name: `query ${name}`, path: '/api/v1/query', params, methods: BOTH };
}

/** `/api/v1/query_range`, as GET and POST. */
function range(name: string, query: string, start: string, end: string, step: string): Case {
  const params: Params = [
    ['query', query],
    ['start', start],
    ['end', end],
    ['step', step],
  ];
  return { name: `query_range ${name}`, path: '/api/v1/query_range', params, methods: BOTH };
}

/** A GET (and POST when `post`) of `path` with `params`. */
function get(name: string, path: string, params: Params = [], post = false): Case {
  return { name, path, params, methods: post ? BOTH : ['GET'] };
}

/** Instant queries: every result type, times in every spelling, bad parameters, errors. */
function instantCases(): Case[] {
  return [
    instant('counter selector', 'api_requests_total'),
    instant('selector with matchers', 'api_requests_total{job="api",code=~"5.."}'),
    instant('gauge with NaN and ±Inf', 'api_gauge'),
    instant('stale series', 'api_flappy'),
    instant('ended series', 'api_old'),
    instant('many labels', 'api_many_labels'),
    instant('UTF-8 label values', 'api_utf8'),
    instant('UTF-8 matcher', 'api_utf8{city="日本語"}'),
    instant('name with colons', 'job:api_requests:rate5m'),
    instant('__name__ regex', '{__name__=~"api_(gauge|old)"}'),
    instant('matrix', 'api_gauge[2m]'),
    instant('matrix of a stale series', 'api_flappy[5m]'),
    instant('matrix with offset', 'api_requests_total{code="500"}[1m] offset 10m'),
    instant('rate keeps labels, drops name', 'rate(api_requests_total[5m])'),
    instant('sum by', 'sum by (job) (api_requests_total)'),
    instant('scalar', '1.5'),
    instant('scalar NaN', 'NaN'),
    instant('scalar +Inf', '+Inf'),
    instant('scalar -Inf', '-1/0'),
    instant('scalar tiny', '1e-300'),
    instant('scalar huge', '1.7976931348623157e308'),
    instant('scalar integer', '100000000000000000000'),
    instant('time()', 'time()'),
    instant('scalar()', 'scalar(api_old)'),
    instant('string', '"hello"'),
    instant('string with escapes', '"a\\"b\\\\c <&> ü 🙂"'),
    instant('empty vector', 'nonexistent_metric'),
    instant('empty matrix', 'nonexistent_metric[5m]'),
    instant('vector(time())', 'vector(time())'),
    instant('@ modifier', 'api_gauge @ 1700001000'),
    instant('timestamp()', 'timestamp(api_gauge)'),
    instant('time with fraction', 'api_gauge', [], `${at(1803)}.5`),
    instant('time with ms fraction', 'time()', [], `${at(1803)}.123`),
    instant('RFC 3339 time', 'api_gauge', [], '2023-11-14T22:43:23Z'),
    instant('RFC 3339 time with fraction', 'time()', [], '2023-11-14T22:43:23.25Z'),
    instant('RFC 3339 time with offset', 'time()', [], '2023-11-14T23:43:23+01:00'),
    instant('lookback_delta', 'api_flappy', [['lookback_delta', '1s']], at(617)),
    instant('timeout', 'api_old', [['timeout', '10s']]),
    { ...instant('stats', 'api_old', [['stats', 'all']]), compare: 'shape' },
    // Errors: parse errors with their position, bad parameters, execution errors.
    instant('parse error', 'sum(api_gauge'),
    instant('parse error in braces', 'api_gauge{job='),
    instant('parse error on line 2', 'sum(\n  rate(api_gauge[5m]) +)'),
    instant('unknown function', 'nofunc(api_gauge)'),
    instant('type error', 'rate(api_gauge)'),
    get('query empty', '/api/v1/query', [['time', at(1803)]], true),
    instant('bad time', 'api_gauge', [], 'yesterday'),
    instant('bad RFC 3339 date', 'api_gauge', [], '2023-02-31T00:00:00Z'),
    instant('bad timeout', 'api_gauge', [['timeout', 'soon']]),
    instant('bad lookback_delta', 'api_gauge', [['lookback_delta', '5x']]),
    ...PARSE_ERRORS.map((q) => ({ ...instant(`parse error ${q}`, q), methods: ['GET' as const] })),
    instant('many-to-many', 'api_requests_total * on(job) api_requests_total'),
    instant('duplicate series', 'label_replace(api_requests_total, "code", "x", "", "")'),
  ];
}

/** Syntax errors: the message names the position and, inside an aggregation, says so. */
const PARSE_ERRORS = [
  'sum(x +)',
  'sum(x + +)',
  'sum(foo bar)',
  'sum by (a) (x y)',
  'sum(1 + ,)',
  'max(-)',
  'sum(rate(x +))',
  'sum((x +))',
  'sum(abs(x y))',
  'sum(,)',
  'topk(,x)',
  'sum(x,)',
  'sum(x +) by (a)',
  'rate(x +)',
  'rate(foo bar)',
  'abs(x,)',
  '(x +)',
  '(x y)',
  'x + )',
  'sum(x ) )',
  '((x)',
  'x{a="b"',
  'x{a=}',
  'x{a="b" c="d"}',
  'x[5m',
  'x[5m:',
  'x[5x]',
  'x offset',
  'x @',
  'sum(x) by (a',
  'sum without',
  'count_values(x',
  'x == bool',
  'x and on(',
  '1 +',
  '"unterminated',
  'x{a="\\\\q"}',
  '`raw',
  'x !~ y',
  '#comment only',
];

/** Range queries: start/end/step in every accepted spelling, every result type, every refusal. */
function rangeCases(): Case[] {
  return [
    range('counters', 'api_requests_total', at(607), at(1807), '60'),
    range('gauge with NaN and ±Inf', 'api_gauge', at(607), at(907), '15'),
    range('stale gaps', 'api_flappy', at(7), at(3607), '30'),
    range('ended series', 'api_old', at(3000), at(4200), '60'),
    range('UTF-8 label values', 'api_utf8', at(7), at(127), '60'),
    range('rate', 'rate(api_requests_total[5m])', at(607), at(1807), '1m'),
    range('scalar', 'time()', at(607), at(907), '30s'),
    range('scalar NaN', 'NaN', at(607), at(907), '30s'),
    range('empty', 'nonexistent_metric', at(607), at(907), '30s'),
    range('step with fraction', 'api_gauge{kind="plain"}', at(607), at(667), '15.5'),
    range('step as duration', 'api_gauge{kind="plain"}', at(607), at(1207), '1m30s'),
    range('unix times with fractions', 'api_gauge{kind="plain"}', `${at(607)}.25`, `${at(907)}.75`, '20'),
    range('RFC 3339 times', 'time()', '2023-11-14T22:23:27Z', '2023-11-14T22:33:27.5Z', '60'),
    range('start equals end', 'api_gauge{kind="plain"}', at(607), at(607), '60'),
    range('exactly 11,000 points', 'vector(1)', at(0), at(11_000), '1'),
    // Refusals.
    range('string', '"hello"', at(607), at(907), '60'),
    range('range vector', 'api_gauge[5m]', at(607), at(907), '60'),
    range('parse error', 'api_gauge +', at(607), at(907), '60'),
    range('end before start', 'api_gauge', at(907), at(607), '60'),
    range('too many points', 'api_gauge', at(0), at(11_001), '1'),
    range('step 0', 'api_gauge', at(607), at(907), '0'),
    range('negative step', 'api_gauge', at(607), at(907), '-15'),
    range('bad step', 'api_gauge', at(607), at(907), 'fast'),
    range('bad start', 'api_gauge', 'then', at(907), '60'),
    range('bad end', 'api_gauge', at(607), '2023-13-01T00:00:00Z', '60'),
    get(
      'query_range missing start',
      '/api/v1/query_range',
      [
        ['query', 'x'],
        ['end', at(9)],
        ['step', '6'],
      ],
      true,
    ),
    get(
      'query_range missing step',
      '/api/v1/query_range',
      [
        ['query', 'x'],
        ['start', at(6)],
        ['end', at(9)],
      ],
      true,
    ),
  ];
}

/** `series`, `labels`, `label/<name>/values`: with and without `match[]`, with time bounds. */
function metadataCases(): Case[] {
  const hourTwo: Params = [
    ['start', at(3700)],
    ['end', at(7000)],
  ];
  const before: Params = [
    ['start', at(-7200)],
    ['end', at(-3600)],
  ];
  const match = (...selectors: string[]): Params => selectors.map((m) => ['match[]', m]);
  const series = (name: string, params: Params): Case =>
    get(`series ${name}`, '/api/v1/series', params, true);
  return [
    series('one match[]', match('api_requests_total{code="200"}')),
    series('several match[]', match('api_gauge', 'api_utf8', 'api_gauge{kind="plain"}')),
    series('by __name__ regex', match('{__name__=~".+"}')),
    series('in the second hour', [...match('{job=~"batch|web"}'), ...hourTwo]),
    series('before the data', [...match('api_gauge'), ...before]),
    series('RFC 3339 bounds', [
      ...match('api_old'),
      ['start', '2023-11-14T23:30:00Z'],
      ['end', '2023-11-15T00:00:00Z'],
    ]),
    series('no match[]', []),
    series('empty matcher', match('{job=~".*"}')),
    series('bad match[]', match('api_gauge{')),
    series('bad start', [...match('api_gauge'), ['start', 'x']]),
    get('labels', '/api/v1/labels'),
    { ...get('labels POST', '/api/v1/labels'), methods: ['POST'] },
    get('labels match[]', '/api/v1/labels', match('api_utf8', 'api_old')),
    get('labels in the second hour', '/api/v1/labels', [...match('{job=~"batch|web"}'), ...hourTwo]),
    get('labels before the data', '/api/v1/labels', before),
    get('labels bad match[]', '/api/v1/labels', match('{')),
    get('label values job', '/api/v1/label/job/values'),
    get('label values __name__', '/api/v1/label/__name__/values'),
    get('label values UTF-8', '/api/v1/label/city/values'),
    get('label values match[]', '/api/v1/label/job/values', match('api_requests_total', 'api_flappy')),
    get('label values in the second hour', '/api/v1/label/job/values', hourTwo),
    get('label values before the data', '/api/v1/label/job/values', before),
    get('label values unknown label', '/api/v1/label/nonexistent/values'),
    get('label values bad label name', '/api/v1/label/0abc/values'),
    get('label values bad end', '/api/v1/label/job/values', [['end', 'later']]),
  ];
}

/** The rest of the surface a dashboard or a client library touches, on an empty configuration. */
function otherCases(): Case[] {
  const exemplars: Params = [
    ['query', 'api_gauge'],
    ['start', at(0)],
    ['end', at(7200)],
  ];
  return [
    { ...get('buildinfo', '/api/v1/status/buildinfo'), compare: 'shape' },
    { ...get('runtimeinfo', '/api/v1/status/runtimeinfo'), compare: 'shape' },
    { ...get('flags', '/api/v1/status/flags'), compare: 'subset' },
    get('query_exemplars', '/api/v1/query_exemplars', exemplars, true),
    get('query_exemplars parse error', '/api/v1/query_exemplars', [['query', 'api_gauge{']]),
    get('metadata', '/api/v1/metadata'),
    get('metadata of one metric', '/api/v1/metadata', [['metric', 'api_gauge']]),
    get('targets', '/api/v1/targets'),
    get('targets active', '/api/v1/targets', [['state', 'active']]),
    get('targets metadata', '/api/v1/targets/metadata'),
    get('rules', '/api/v1/rules'),
    get('alerts', '/api/v1/alerts'),
    get('alertmanagers', '/api/v1/alertmanagers'),
    get('format_query', '/api/v1/format_query', [['query', 'sum by(job)(rate(api_gauge[5m]))']]),
    get('parse_query', '/api/v1/parse_query', [['query', 'api_gauge']]),
    get('unknown endpoint', '/api/v1/nonexistent'),
  ];
}

/**
 * Answers known to differ between Prometheus 2.42 and Vigil (which follows 3.x), by case name,
 * with the reason. A listed case must still differ, or the entry is stale and the test fails.
 */
const KNOWN = new Map<string, string>([
  ...['query scalar tiny', 'query scalar huge'].map((n): [string, string] => [
    n,
    '3.x writes values below 1e-6 or from 1e21 up in exponent form (1e-300); 2.42 always in plain decimals',
  ]),
  ['query bad lookback_delta', 'the lookback_delta parameter is 3.x; 2.42 ignores it'],
  ...['query_range string', 'query_range range vector', 'query_range parse error'].map(
    (n): [string, string] => [
      n,
      '3.x prefixes query_range\'s query errors with `invalid parameter "query": ` as query\'s; 2.42 did not',
    ],
  ),
  [
    'query parse error x[5x]',
    '3.x lexes numbers and durations together: "bad number or duration syntax: \\"5x\\""',
  ],
  [
    'query parse error x offset',
    '3.x (duration expressions after offset): "in duration expression, expected number or duration"',
  ],
  ['label values bad label name', '3.x accepts any UTF-8 label name (0abc); 2.42 only legacy names'],
  ['runtimeinfo', '3.x adds hostname, serverTime and timeSeriesCount'],
  ['targets', '3.x adds droppedTargetCounts'],
  ['targets active', '3.x adds droppedTargetCounts'],
  ['parse_query', 'parse_query is 3.x; 2.42 answers 404'],
  ['flags', "Vigil's own --storage.tsdb.wal-fsync (the WAL fsync policy) is not a Prometheus flag"],
  [
    'query many-to-many',
    '3.x names the two duplicate series in label order (operators.test); 2.42 names the later one first',
  ],
]);

/** What a server answered: HTTP status and body (JSON parsed when it is JSON). */
interface Answer {
  readonly status: number;
  readonly text: string;
  readonly json: unknown;
}

async function send(server: QueryServer, c: Case, method: Method): Promise<Answer> {
  const form = new URLSearchParams(c.params?.map(([k, v]): [string, string] => [k, v]) ?? []).toString();
  const res =
    method === 'GET'
      ? await fetch(`${server.base}${c.path}${form === '' ? '' : `?${form}`}`)
      : await fetch(`${server.base}${c.path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: form,
        });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, text, json };
}

/** The keys and value types of a JSON value, arrays by their first element. */
function shape(v: unknown): unknown {
  if (Array.isArray(v)) return v.length === 0 ? [] : [shape(v[0])];
  if (v !== null && typeof v === 'object')
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, shape((v as Record<string, unknown>)[k])]),
    );
  return typeof v;
}

/** Undefined when the answers agree under the case's comparison, else what differs. */
function difference(c: Case, p: Answer, v: Answer): string | undefined {
  if (p.status !== v.status)
    return `HTTP ${p.status} vs ${v.status}: ${p.text.slice(0, 300)} | ${v.text.slice(0, 300)}`;
  if (p.json === undefined || v.json === undefined)
    return p.text === v.text
      ? undefined
      : `body ${JSON.stringify(p.text.slice(0, 200))} vs ${JSON.stringify(v.text.slice(0, 200))}`;
  if (c.compare === 'subset') {
    const data = (j: unknown): Record<string, unknown> => (j as { data: Record<string, unknown> }).data;
    const extra = Object.keys(data(v.json)).filter((k) => !(k in data(p.json)));
    return extra.length === 0 ? undefined : `only in Vigil: ${extra.join(', ')}`;
  }
  const [a, b] = c.compare === 'shape' ? [shape(p.json), shape(v.json)] : [p.json, v.json];
  if (isDeepStrictEqual(a, b)) return undefined;
  return `${JSON.stringify(a).slice(0, 600)}\n    vs ${JSON.stringify(b).slice(0, 600)}`;
}

test(
  'the HTTP API of vigil server answers as Prometheus 2.42 on the same blocks',
  { timeout: 120_000 },
  async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'vigil-apidiff-'));
    const servers: QueryServer[] = [];
    try {
      await writeBlock(join(dir, 'blocks'), generate());
      const [prom, vigil] = await Promise.all([
        startServer('prometheus', join(dir, 'blocks'), dir),
        startServer('vigil', join(dir, 'blocks'), dir),
      ]);
      servers.push(prom, vigil);
      const cases = [...instantCases(), ...rangeCases(), ...metadataCases(), ...otherCases()];
      const mismatches: string[] = [];
      const knownSeen = new Set<string>();
      let compared = 0;
      for (const c of cases)
        for (const method of c.methods ?? ['GET']) {
          const [p, v] = await Promise.all([send(prom, c, method), send(vigil, c, method)]);
          compared++;
          const diff = difference(c, p, v);
          if (KNOWN.has(c.name)) {
            if (diff !== undefined) knownSeen.add(c.name);
          } else if (diff !== undefined) mismatches.push(`${c.name} (${method}): ${diff}`);
        }
      t.diagnostic(
        `${compared} request pairs compared, ${knownSeen.size} known differences, ${mismatches.length} mismatches`,
      );
      assert.deepEqual(
        [...KNOWN.keys()].filter((k) => !knownSeen.has(k)),
        [],
        'known differences that no longer differ',
      );
      assert.deepEqual(mismatches, []);
    } finally {
      await Promise.all(servers.map((s) => s.stop()));
      await rm(dir, { recursive: true, force: true });
    }
  },
);
