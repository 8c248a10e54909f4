import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { appendOptions as options, scrapeText as scrape } from '../../test/helpers/scrape-append.js';
import { readSamples } from '../../test/helpers/storage.js';
import { makeRelabelConfig } from '../relabel/config.js';
import { MemoryStorage } from '../storage/memory.js';
import type { AppendOptions } from './append.js';
import { ScrapeCache } from './cache.js';

describe('appendScrape', () => {
  it('marks vanished series stale, but not series with their own timestamps', async () => {
    const db = new MemoryStorage();
    const cache = new ScrapeCache();
    await scrape(db, cache, 'a 1\nb 2\nc 3 500\n', 1000);
    const s = await scrape(db, cache, 'a 1\n', 2000);
    assert.equal(s.total, 1);
    assert.deepEqual(readSamples(db, 'b'), [
      [1000, 2],
      [2000, 'stale'],
    ]);
    assert.deepEqual(readSamples(db, 'c'), [[500, 3]]);
    // A series that comes back is tracked again.
    await scrape(db, cache, 'a 1\nb 5\n', 3000);
    assert.deepEqual(readSamples(db, 'b').at(-1), [3000, 5]);
  });

  it('tracks timestamped series with track_timestamps_staleness', async () => {
    const db = new MemoryStorage();
    const cache = new ScrapeCache();
    const o = options({ trackTimestampsStaleness: true });
    await scrape(db, cache, 'c 3 500\n', 1000, o);
    await scrape(db, cache, '', 2000, o);
    assert.deepEqual(readSamples(db, 'c'), [
      [500, 3],
      [2000, 'stale'],
    ]);
  });

  it('uses the scrape time when timestamps are not honored', async () => {
    const db = new MemoryStorage();
    await scrape(db, new ScrapeCache(), 'c 3 500\n', 1000, options({ honorTimestamps: false }));
    assert.deepEqual(readSamples(db, 'c'), [[1000, 3]]);
  });

  it('counts storage rejections and duplicates without failing the scrape', async () => {
    const db = new MemoryStorage();
    const cache = new ScrapeCache();
    await scrape(db, cache, 'old 1 5000\n', 1000);
    const s = await scrape(db, cache, 'old 2 4000\ndup 1\ndup 2\nok 1\n', 2000);
    assert.equal(s.err, undefined);
    assert.equal(s.outOfOrder, 1);
    assert.equal(s.duplicate, 1);
    assert.equal(s.total, 4);
    assert.equal(s.added, 2);
    assert.deepEqual(readSamples(db, 'ok'), [[2000, 1]]);
    assert.deepEqual(readSamples(db, 'dup'), [[2000, 1]]);
  });

  it('caches series dropped by metric relabeling', async () => {
    const db = new MemoryStorage();
    const cache = new ScrapeCache();
    const drop = makeRelabelConfig({ sourceLabels: ['__name__'], regex: 'x_.*', action: 'drop' });
    const o = options({ metricRelabelConfigs: [drop] });
    const s = await scrape(db, cache, 'x_a 1\nx_b 1\nkeep 1\n', 1000, o);
    assert.deepEqual([s.total, s.added, s.seriesAdded], [3, 1, 1]);
    assert.equal(cache.get('x_a')?.labels, undefined);
    assert.ok(cache.get('x_a'));
    const again = await scrape(db, cache, 'x_a 1\nx_b 1\nkeep 1\n', 2000, o);
    assert.deepEqual([again.total, again.added, again.seriesAdded], [3, 1, 0]);
  });

  const failures: [string, string, Partial<AppendOptions>][] = [
    ['sample limit exceeded', 'a 1\nb 1\nc 1\n', { sampleLimit: 2 }],
    [
      'missing metric name (__name__ label)',
      'a 1\n',
      {
        metricRelabelConfigs: [makeRelabelConfig({ regex: '__name__', action: 'labeldrop' })],
      },
    ],
    [
      'label_name_length_limit exceeded (metric: a, label name: __name__, length: 8, limit: 5)',
      'a 1\n',
      { labelLimits: { labelLimit: 0, labelNameLengthLimit: 5, labelValueLengthLimit: 0 } },
    ],
  ];
  for (const [want, text, o] of failures) {
    it(`fails with: ${want}`, async () => {
      const db = new MemoryStorage();
      await scrape(db, new ScrapeCache(), 'a 0\n', 1000);
      const s = await scrape(db, new ScrapeCache(), text, 2000, options(o));
      assert.equal(s.err?.message, want);
      // Nothing of the failed scrape is stored.
      assert.deepEqual(readSamples(db, 'a'), [[1000, 0]]);
    });
  }

  it('fails on a parse error and keeps the count of samples before it', async () => {
    const db = new MemoryStorage();
    const s = await scrape(db, new ScrapeCache(), 'a 1\nb{ 2\n', 1000);
    assert.ok(s.err);
    assert.equal(s.total, 1);
  });
});
