import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Labels } from '../model/labels.js';
import { Matcher } from '../model/matcher.js';
import { STALE_NAN, isStaleNaN } from '../model/value.js';
import { isStorageError } from './errors.js';
import { ValueType } from './interface.js';
import { MemoryStorage } from './memory.js';

/** Samples as `[t, v]`, with a staleness marker read as the string 'stale' (plain arrays lose NaN payloads). */
function samples(db: MemoryStorage, name: string): [number, number | 'stale'][] {
  const q = db.querier(-Infinity, Infinity);
  const set = q.select(true, undefined, new Matcher('=', '__name__', name));
  const out: [number, number | 'stale'][] = [];
  while (set.next()) {
    const it = set.at().iterator();
    while (it.next() === ValueType.Float) out.push([it.t(), isStaleNaN(it.v()) ? 'stale' : it.v()]);
  }
  return out;
}

describe('MemoryStorage appender', () => {
  const up = Labels.from({ __name__: 'up', job: 'a' });

  it('shows a batch only after commit and drops it on rollback', async () => {
    const db = new MemoryStorage();
    const app = db.appender();
    const ref = app.append(0, up, 1000, 1);
    app.append(ref, up, 2000, 1);
    assert.deepEqual(samples(db, 'up'), []);
    await app.commit();
    assert.deepEqual(samples(db, 'up'), [
      [1000, 1],
      [2000, 1],
    ]);
    const dropped = db.appender();
    dropped.append(ref, up, 3000, 0);
    await dropped.rollback();
    assert.equal(samples(db, 'up').length, 2);
  });

  it('rejects out-of-order and conflicting duplicates, accepts an identical duplicate', async () => {
    const db = new MemoryStorage();
    const app = db.appender();
    app.append(0, up, 2000, 1);
    assert.throws(
      () => app.append(0, up, 1000, 1),
      (e) => isStorageError(e, 'out-of-order'),
    );
    assert.throws(
      () => app.append(0, up, 2000, 5),
      (e) => isStorageError(e, 'duplicate'),
    );
    app.append(0, up, 2000, 1);
    app.append(0, up, 3000, STALE_NAN);
    await app.commit();
    assert.deepEqual(samples(db, 'up'), [
      [2000, 1],
      [3000, 'stale'],
    ]);
  });
});
