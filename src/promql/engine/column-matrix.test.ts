/**
 * Range queries whose root has columns (`x`, `rate(x[1m])`) are answered from the columns whole
 * (`column-matrix.ts`); the same expression under `(… + 0)` goes the step path. Both must give
 * the same answer (for name-less results), max-samples threshold and duplicate-labels error.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Labels } from '../../model/labels.js';
import { MemoryStorage } from '../../storage/memory.js';
import { Engine } from './engine.js';
import { TooManySamplesError } from './errors.js';

const MIN = 60_000;

/** Counters `a` and `b` with the same other labels: `a` in the first 10 min, `b` from min 12 or `from`. */
function storage(from = 12): MemoryStorage {
  const s = new MemoryStorage();
  for (let i = 0; i <= 40; i++) {
    const t = i * 15_000;
    if (t <= 10 * MIN) s.add(Labels.from({ __name__: 'a', job: 'j' }), t, i * 2);
    if (t >= from * MIN) s.add(Labels.from({ __name__: 'b', job: 'j' }), t, i * 3);
    s.add(Labels.from({ __name__: 'a', job: 'k' }), t, i);
  }
  return s;
}

/** The answer as text, or the error's message. */
function answer(s: MemoryStorage, q: string, maxSamples = 50_000_000): string {
  try {
    const r = new Engine({ maxSamples }).rangeQuery(s, q, 0, 10 * MIN, 30_000).result;
    assert.equal(r.type, 'matrix');
    if (r.type !== 'matrix') return '';
    return r.series.map((x) => `${x.labels.toString()} ${x.ts.join(',')} ${x.vs.join(',')}`).join('\n');
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

const stepPath = (q: string): string => `(${q}) + 0`;

test('rows that become one series once the name is dropped merge when they never meet', () => {
  const s = storage(12);
  const q = 'rate({__name__=~"a|b"}[1m] offset -3m)';
  const got = answer(s, q);
  assert.equal(got, answer(s, stepPath(q)));
  assert.match(got, /^\{job="j"\} /m);
});

test('rows that meet at a step once the name is dropped fail as the step path does', () => {
  const s = storage(5);
  const q = 'rate({__name__=~"a|b"}[1m])';
  assert.equal(answer(s, q), 'vector cannot contain metrics with the same labelset');
  assert.equal(answer(s, stepPath(q)), answer(s, q));
});

test('the max-samples limit trips at the same count as on the step path', () => {
  const s = storage();
  for (const q of ['a', 'rate(a[2m])', '{__name__=~"a|b"}']) {
    let limit = 1;
    while (answer(s, stepPath(q), limit) === new TooManySamplesError().message) limit++;
    assert.equal(answer(s, q, limit - 1), new TooManySamplesError().message, q);
    assert.notEqual(answer(s, q, limit), new TooManySamplesError().message, q);
  }
});

test('results whose order changes once the name is dropped come out sorted, as on the step path', () => {
  const s = new MemoryStorage();
  for (let i = 0; i <= 40; i++) {
    s.add(Labels.from({ __name__: 'a', job: 'z' }), i * 15_000, i);
    s.add(Labels.from({ __name__: 'b', job: 'y' }), i * 15_000, 2 * i);
    s.add(Labels.from({ __name__: 'b', job: 'x' }), i * 15_000, 3 * i);
  }
  const q = 'rate({__name__=~"a|b"}[1m])';
  const got = answer(s, q);
  assert.equal(got, answer(s, stepPath(q)));
  assert.deepEqual(
    got.split('\n').map((l) => l.split(' ')[0]),
    ['{job="x"}', '{job="y"}', '{job="z"}'],
  );
});
