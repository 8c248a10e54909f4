import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scrapeText } from '../../test/helpers/scrape-append.js';
import { readSamples } from '../../test/helpers/storage.js';
import { SeriesText } from '../exposition/series-text.js';
import { Labels } from '../model/labels.js';
import { MemoryStorage } from '../storage/memory.js';
import type { AppendStats } from './append.js';
import { ScrapeCache } from './cache.js';

/** Series texts whose hashes are equal: found by search, checked in the first test. */
const COLLIDING = [
  ['m{id="15092"}', 'm{id="34024"}'],
  ['m{id="32348"}', 'm{id="51320"}'],
] as const;

/** The values of a series' samples, in time order. */
function values(samples: [number, number | 'stale'][]): (number | 'stale')[] {
  return samples.map(([, v]) => v);
}

/** Scrapes `text` at `t`, which must succeed. */
async function scrape(db: MemoryStorage, cache: ScrapeCache, text: string, t: number): Promise<AppendStats> {
  const stats = await scrapeText(db, cache, text, t);
  assert.equal(stats.err, undefined);
  return stats;
}

/** Adds `key` to `cache` as seen in scrape `iter`. */
function add(cache: ScrapeCache, key: string, iter: number): void {
  const text = SeriesText.of(key);
  cache.add(text, Labels.from({ __name__: 'm', key })).lastIter = iter;
}

describe('ScrapeCache', () => {
  it('keeps series whose texts share a hash apart', async () => {
    for (const [a, b] of COLLIDING) assert.equal(SeriesText.of(a).hash(), SeriesText.of(b).hash());
    const [a, b] = COLLIDING[0];
    const db = new MemoryStorage();
    const cache = new ScrapeCache();
    await scrape(db, cache, `${a} 1\n${b} 2\n`, 1000);
    const s = await scrape(db, cache, `${b} 20\n${a} 10\n`, 2000);
    assert.equal(s.seriesAdded, 0);
    assert.equal(s.duplicate, 0);
    assert.equal(cache.size, 2);
    assert.deepEqual(readSamples(db, 'm', { id: a.slice(6, -2) }), [
      [1000, 1],
      [2000, 10],
    ]);
    assert.deepEqual(readSamples(db, 'm', { id: b.slice(6, -2) }), [
      [1000, 2],
      [2000, 20],
    ]);
    assert.notEqual(cache.get(a), cache.get(b));
    assert.equal(cache.get(a)?.labels?.get('id'), a.slice(6, -2));
  });

  it('adds a text whose hash is already cached for another text', async () => {
    const [a, b] = COLLIDING[1];
    const db = new MemoryStorage();
    const cache = new ScrapeCache();
    await scrape(db, cache, `${a} 1\n`, 1000);
    const s = await scrape(db, cache, `${a} 1\n${b} 2\n`, 2000);
    assert.equal(s.seriesAdded, 1);
    assert.deepEqual(readSamples(db, 'm', { id: b.slice(6, -2) }), [[2000, 2]]);
  });

  it('tells apart texts that differ only in length or in their last byte', () => {
    const cache = new ScrapeCache();
    add(cache, 'metric_name{a="1"}', 1);
    assert.equal(cache.get('metric_name{a="1"}')?.labels?.get('key'), 'metric_name{a="1"}');
    assert.equal(cache.get('metric_name{a="2"}'), undefined);
    assert.equal(cache.get('metric_name{a="1"} '), undefined);
    assert.equal(cache.get('metric_name{a="'), undefined);
  });

  it('keeps every text when its arena grows', () => {
    const cache = new ScrapeCache();
    for (let i = 0; i < 5000; i++) add(cache, `node_network_receive_bytes_total{device="eth${i}"}`, 1);
    assert.equal(cache.size, 5000);
    for (const i of [0, 1, 2500, 4999]) {
      const key = `node_network_receive_bytes_total{device="eth${i}"}`;
      assert.equal(cache.get(key)?.labels?.get('key'), key);
    }
  });

  it('evicts old entries from anywhere in a chain and keeps the rest findable', () => {
    const [a, b] = COLLIDING[0];
    const [c, d] = COLLIDING[1];
    const cache = new ScrapeCache();
    for (const key of [a, b, c, d]) add(cache, key, 1);
    for (let i = 0; i < 200; i++) add(cache, `x${i}`, 1);
    // Scrape 2 saw only `a`, `d` and one other: the rest goes once the cache is far too large.
    cache.iterDone(true, 0);
    for (const key of [a, d, 'x150']) cache.get(key)!.lastIter = 2;
    assert.equal(cache.iterDone(true, 3), true);
    assert.equal(cache.size, 3);
    for (const key of [a, d, 'x150']) assert.equal(cache.get(key)?.labels?.get('key'), key);
    for (const key of [b, c, 'x0', 'x199']) assert.equal(cache.get(key), undefined);
  });

  it('finds every series when the order changes, series come and go, or repeat', async () => {
    const db = new MemoryStorage();
    const cache = new ScrapeCache();
    const payloads = [
      'a 1\nb 1\nc 1\n',
      'c 2\nb 2\na 2\n',
      'a 3\nc 3\n',
      'd 4\na 4\nb 4\nc 4\n',
      'a 5\na 5\nb 5\n',
    ];
    for (let i = 0; i < payloads.length; i++) await scrape(db, cache, payloads[i], (i + 1) * 1000);
    assert.equal(cache.size, 4);
    assert.deepEqual(values(readSamples(db, 'a')), [1, 2, 3, 4, 5]);
    assert.deepEqual(values(readSamples(db, 'b')), [1, 2, 'stale', 4, 5]);
    assert.deepEqual(values(readSamples(db, 'c')), [1, 2, 3, 4, 'stale']);
    assert.deepEqual(values(readSamples(db, 'd')), [4, 'stale']);
  });

  it('does not guess an evicted series', async () => {
    const db = new MemoryStorage();
    const cache = new ScrapeCache();
    const many = Array.from({ length: 300 }, (_, i) => `x${i} 1\n`).join('');
    await scrape(db, cache, `a 1\n${many}`, 1000);
    // Only `a` is left: the 300 others are evicted, and with them what followed `a` last time.
    await scrape(db, cache, 'a 2\n', 2000);
    assert.equal(cache.size, 1);
    const s = await scrape(db, cache, 'a 3\nx0 3\n', 3000);
    assert.equal(s.seriesAdded, 1);
    assert.equal(cache.size, 2);
    assert.deepEqual(values(readSamples(db, 'x0')), [1, 'stale', 3]);
  });
});
