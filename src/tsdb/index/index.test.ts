import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Labels } from '../../model/labels.js';
import { Matcher } from '../../model/matcher.js';
import type { MatchType } from '../../model/matcher.js';
import { CorruptionError } from '../encoding/errors.js';
import {
  encodeIndex,
  IndexReader,
  intersectPostings,
  mergePostings,
  postingsForMatchers,
  subtractPostings,
  SERIES_ALIGNMENT,
  compareBytewise,
  compareLabelsBytewise,
} from './index.js';
import type { IndexSeries } from './index.js';

const SERIES: Record<string, string>[] = [
  { __name__: 'up', job: 'api', instance: 'a' },
  { __name__: 'up', job: 'api', instance: 'b' },
  { __name__: 'up', job: 'db', instance: 'c' },
  { __name__: 'up', job: 'db' },
  { __name__: 'errors', job: 'api', code: '500' },
  { __name__: 'errors', job: 'api', code: '404' },
  { __name__: 'errors', code: '' },
];

function build(): { reader: IndexReader; input: IndexSeries[] } {
  const input: IndexSeries[] = SERIES.map((r, i) => ({
    labels: Labels.from(r),
    chunks: [
      { mint: -1000 + i, maxt: 5000 + i, ref: 8 + i * 100 },
      { mint: 6000 + i, maxt: 6000 + i, ref: 4294967296 + 8 },
      { mint: 7000, maxt: 90000, ref: 4294967296 + 50 },
    ],
  })).sort((a, b) => Labels.compare(a.labels, b.labels));
  return { reader: IndexReader.fromBytes(encodeIndex(input)), input };
}

/** Names of the selected series, as `name{instance|code}` strings in index order. */
function select(reader: IndexReader, ...ms: [MatchType, string, string][]): string[] {
  return postingsForMatchers(
    reader,
    ms.map(([t, n, v]) => new Matcher(t, n, v)),
  ).map((ref) => reader.series(ref).labels.toString());
}

/** The same selection by brute force over the label sets: Prometheus' semantics by definition. */
function bruteForce(...ms: [MatchType, string, string][]): string[] {
  return SERIES.map((r) => Labels.from(r))
    .sort((a, b) => Labels.compare(a, b))
    .filter((l) => ms.every(([t, n, v]) => new Matcher(t, n, v).matches(l.get(n))))
    .map((l) => l.toString());
}

test('index: series round-trip with labels and chunk metas (negative mint, second segment)', () => {
  const { reader, input } = build();
  const refs = reader.allPostings();
  assert.equal(refs.length, input.length);
  refs.forEach((ref, i) => {
    const s = reader.series(ref);
    assert.ok(s.labels.equals(input[i].labels));
    assert.deepEqual(s.chunks, input[i].chunks);
  });
  assert.ok(refs.every((r, i) => i === 0 || r > refs[i - 1]));
});

test('index file: series read through the read window match the bytes, in any order', async () => {
  // ~3,000 series with 40 chunks each: an index of several read windows, entries across their edges.
  const input: IndexSeries[] = Array.from({ length: 3000 }, (_, i) => ({
    labels: Labels.from({ __name__: 'm', instance: `host-${i}`, pad: 'x'.repeat(i % 97) }),
    chunks: Array.from({ length: 40 }, (_, k) => ({
      mint: k * 1000,
      maxt: k * 1000 + 999,
      ref: 8 + i * 4000 + k * 100,
    })),
  })).sort((a, b) => Labels.compare(a.labels, b.labels));
  const bytes = encodeIndex(input);
  assert.ok(bytes.length > 4 * 64 * 1024);
  const dir = await mkdtemp(join(tmpdir(), 'vigil-index-'));
  try {
    await writeFile(join(dir, 'index'), bytes);
    const file = await IndexReader.open(join(dir, 'index'));
    try {
      const refs = file.allPostings();
      assert.equal(refs.length, input.length);
      // Forwards, then every 7th backwards: hits, misses and refills of the window.
      const order = [...refs.keys(), ...[...refs.keys()].filter((i) => i % 7 === 0).reverse()];
      const held = order.map((i) => ({ i, s: file.series(refs[i]) }));
      for (const { i, s } of held) {
        assert.ok(s.labels.equals(input[i].labels), `series ${i}`);
        assert.deepEqual(s.chunks, input[i].chunks);
      }
      // A time range keeps only the chunks overlapping it (ends inclusive).
      assert.deepEqual(file.series(refs[5], 10_500, 12_000).chunks, input[5].chunks.slice(10, 13));
      // The query form appends the same chunks as triples after what the array held.
      const triples = [-1];
      assert.ok(file.seriesChunks(refs[5], 10_500, 12_000, triples).equals(input[5].labels));
      assert.deepEqual(triples, [
        -1,
        ...input[5].chunks.slice(10, 13).flatMap((c) => [c.mint, c.maxt, c.ref]),
      ]);
      assert.deepEqual(
        file.postings('instance', 'host-42'),
        IndexReader.fromBytes(bytes).postings('instance', 'host-42'),
      );
    } finally {
      file.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('index: symbols sorted, label names and values', () => {
  const { reader } = build();
  const syms = reader.symbols();
  assert.deepEqual([...syms], [...syms].sort());
  assert.equal(reader.symbol(syms.indexOf('job')), 'job');
  assert.deepEqual(reader.labelNames(), ['__name__', 'code', 'instance', 'job']);
  assert.deepEqual(reader.labelValues('job'), ['api', 'db']);
  assert.deepEqual(reader.labelValues('nope'), []);
  assert.equal(reader.postings('job', 'api').length, 4);
  assert.deepEqual(reader.postings('job', 'nope'), []);
  assert.throws(() => reader.symbol(10_000), CorruptionError);
});

const CASES: [MatchType, string, string][][] = [
  [['=', '__name__', 'up']],
  [['=', 'job', 'api']],
  [['!=', 'job', 'api']],
  [['=', 'job', '']],
  [['!=', 'job', '']],
  [['=~', 'job', 'a.*|d.*']],
  [['=~', 'job', '.*']],
  [['=~', 'job', '.+']],
  [['!~', 'job', 'api|']],
  [['!~', 'instance', 'a']],
  [
    ['=', '__name__', 'up'],
    ['!=', 'instance', 'b'],
  ],
  [
    ['=', '__name__', 'errors'],
    ['=~', 'code', '5..|'],
  ],
  [
    ['=', '__name__', 'up'],
    ['=', 'instance', ''],
  ],
  [['=', 'missing', '']],
  [['!=', 'missing', 'x']],
  [['=', 'missing', 'x']],
];

for (const c of CASES) {
  const name = c.map(([t, n, v]) => `${n}${t}"${v}"`).join(',');
  void test(`postingsForMatchers {${name}} matches brute force`, () => {
    const { reader } = build();
    assert.deepEqual(select(reader, ...c), bruteForce(...c));
  });
}

test('postingsForMatchers: no matchers select nothing', () => {
  assert.deepEqual(postingsForMatchers(build().reader, []), []);
});

test('postings helpers: intersect, merge, subtract on sorted arrays', () => {
  assert.deepEqual(
    intersectPostings([
      [1, 3, 5, 7],
      [3, 4, 5],
      [0, 3, 5, 9],
    ]),
    [3, 5],
  );
  assert.deepEqual(intersectPostings([]), []);
  assert.deepEqual(mergePostings([[1, 5], [2, 5, 8], []]), [1, 2, 5, 8]);
  assert.deepEqual(subtractPostings([1, 2, 3, 4, 5], [0, 2, 4, 6]), [1, 3, 5]);
});

test('index: series refs are offsets / 16 and writes reject unsorted input', () => {
  const { reader } = build();
  for (const ref of reader.allPostings()) assert.ok(ref * SERIES_ALIGNMENT > 5);
  const a = { labels: Labels.from({ a: '1' }), chunks: [] };
  const b = { labels: Labels.from({ a: '2' }), chunks: [] };
  assert.throws(() => encodeIndex([b, a]), { code: 'ERR_INDEX_WRITE' });
  assert.throws(() => encodeIndex([a, a]), { code: 'ERR_INDEX_WRITE' });
});

test('index: flipped bytes are caught by the CRCs', () => {
  const { input } = build();
  const bytes = encodeIndex(input);
  // One flipped bit in a series entry, in the TOC, and in the magic.
  const reader = IndexReader.fromBytes(bytes);
  const ref = reader.allPostings()[0];
  const off = ref * SERIES_ALIGNMENT + 3;
  const bad = bytes.slice();
  bad[off] ^= 0x40;
  assert.throws(() => IndexReader.fromBytes(bad).series(ref), /read index series/);
  const badToc = bytes.slice();
  badToc[badToc.length - 10] ^= 1;
  assert.throws(() => IndexReader.fromBytes(badToc), /read index toc/);
  const badMagic = bytes.slice();
  badMagic[0] = 0;
  assert.throws(() => IndexReader.fromBytes(badMagic), CorruptionError);
});

test('compareBytewise: UTF-8 byte order, unlike UTF-16 `<` for astral vs U+E000–U+FFFF', () => {
  assert.ok('\u{1F600}' < '\uE000'); // UTF-16 order
  assert.ok(compareBytewise('\u{1F600}', '\uE000') > 0); // byte order, as Go
  assert.ok(compareBytewise('a', 'b') < 0);
  assert.ok(compareBytewise('ab', 'a') > 0);
  assert.equal(compareBytewise('é', 'é'), 0);
  assert.ok(compareBytewise('\u{1F600}', '\u00ff') > 0);
  const values = ['\uE000', '\u{1F600}', 'z', 'ä'];
  const bytes = values.map((v) => Buffer.from(v));
  assert.deepEqual(
    [...values].sort(compareBytewise),
    values
      .map((v, i) => [v, bytes[i]] as const)
      .sort((x, y) => Buffer.compare(x[1], y[1]))
      .map(([v]) => v),
  );
});

test('index: values outside the BMP sort and select in byte order', () => {
  const input = ['\uE000', '\u{1F600}', 'plain'].map((v) => ({ labels: Labels.from({ v }), chunks: [] }));
  input.sort((a, b) => compareLabelsBytewise(a.labels, b.labels));
  const reader = IndexReader.fromBytes(encodeIndex(input));
  assert.deepEqual(reader.labelValues('v'), ['plain', '\uE000', '\u{1F600}']);
  assert.deepEqual(
    postingsForMatchers(reader, [new Matcher('=', 'v', '\u{1F600}')]).map((r) =>
      reader.series(r).labels.get('v'),
    ),
    ['\u{1F600}'],
  );
});
