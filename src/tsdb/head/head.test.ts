import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Dump } from '../../../test/support/storage-dump.js';
import { dumpStorage, dumpValue } from '../../../test/support/storage-dump.js';
import { mulberry32 } from '../../../test/support/random.js';
import { Labels } from '../../model/labels.js';
import { ChunkBufferPool } from './chunk-buffers.js';
import { Head } from './head.js';
import { HeadQuerier } from './querier.js';

describe('ChunkBufferPool', () => {
  it('rounds sizes up to powers of two from 128 B and hands freed buffers out again', () => {
    const pool = new ChunkBufferPool();
    const small = pool.alloc(20);
    assert.equal(small.length, 128);
    const mid = pool.alloc(300);
    assert.equal(mid.length, 512);
    mid.fill(0xff);
    pool.free(mid);
    const again = pool.alloc(257);
    assert.equal(again, mid, 'a freed 512 B buffer is reused for the next 512 B request');
    assert.notEqual(pool.alloc(512), mid);
  });

  it('gives requests over 4 KiB buffers of their own and never takes them back', () => {
    const pool = new ChunkBufferPool();
    const big = pool.alloc(5000);
    assert.equal(big.length, 5000);
    pool.free(big);
    assert.notEqual(pool.alloc(5000), big);
  });
});

describe('Head', () => {
  const chunkRange = 60_000;
  const step = 1_000;
  const head = () => new Head({ chunkRange });
  const dump = (h: Head): Dump => dumpStorage({ querier: (mint, maxt) => new HeadQuerier(h, mint, maxt) });

  it('keeps every sample exact across chunk cuts, buffer growth and buffers reused after truncation', async () => {
    // Random doubles cost ~9 bytes a sample, so each open chunk's buffer grows several times;
    // series that truncation removes give dirty buffers back, and new series reuse them.
    const h = head();
    const rnd = mulberry32(11);
    const want: Dump = {};
    const series = (gen: number, i: number) => Labels.from({ __name__: 'm', gen: String(gen), i: String(i) });
    for (let gen = 0; gen < 3; gen++) {
      const from = gen * 3 * chunkRange;
      for (let t = from; t < from + 2 * chunkRange; t += step) {
        const app = h.appender();
        for (let i = 0; i < 20; i++) {
          const v = rnd() * 1e6;
          app.append(0, series(gen, i), t, v);
          (want[series(gen, i).toString()] ??= []).push([t, dumpValue(v)]);
        }
        await app.commit();
      }
      // Drop the previous generation: its series go, their buffers return to the pool.
      const removed = h.truncate(from);
      if (gen > 0) assert.equal(removed.size, 20);
      for (let i = 0; i < 20 && gen > 0; i++) delete want[series(gen - 1, i).toString()];
    }
    assert.deepEqual(dump(h), want);
  });

  it('forgets the label strings of series truncated away', async () => {
    const h = head();
    for (let i = 0; i < 50; i++) {
      const app = h.appender();
      app.append(0, Labels.from({ __name__: 'm', pod: `pod-${i}` }), i < 25 ? 0 : 2 * chunkRange, 1);
      await app.commit();
    }
    assert.equal(h.internedStrings, 2 + 1 + 50); // names __name__ and pod, value m, 50 pod values
    assert.equal(h.truncate(chunkRange).size, 25);
    assert.equal(h.internedStrings, 2 + 1 + 25);
  });

  it('finds a series again by its labels whatever object carries them, and creates it once', () => {
    const h = head();
    const a = h.getOrCreate(Labels.from({ __name__: 'up', job: 'a' }));
    const again = h.getOrCreate(Labels.fromPairs(['job', 'a', '__name__', 'up']));
    assert.equal(again, a);
    assert.equal(h.numSeries, 1);
    assert.notEqual(h.getOrCreate(Labels.from({ __name__: 'up', job: 'b' })), a);
  });
});
