import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Labels } from '../../model/labels.js';
import { Matcher } from '../../model/matcher.js';
import type { SeriesSet } from '../../storage/interface.js';
import { ValueType } from '../../storage/interface.js';
import { MemoryStorage } from '../../storage/memory.js';
import { mergeSeriesSets } from './series-set.js';

/** A sorted set of `m{i=…}` series, one per entry: i → samples [t, v]. */
function source(series: Record<string, [number, number][]>): SeriesSet {
  const s = new MemoryStorage();
  for (const [i, samples] of Object.entries(series))
    for (const [t, v] of samples) s.add(Labels.from({ __name__: 'm', i }), t, v);
  return s.querier(0, 1e9).select(true, undefined, new Matcher('=', '__name__', 'm'));
}

/** Each series as `i: t=v …`. */
function read(set: SeriesSet): string[] {
  const out: string[] = [];
  while (set.next()) {
    const s = set.at();
    const it = s.iterator();
    const pts: string[] = [];
    while (it.next() === ValueType.Float) pts.push(`${it.t()}=${it.v()}`);
    out.push(`${s.labels.get('i')}: ${pts.join(' ')}`);
  }
  return out;
}

test('mergeSeriesSets: sorted sets merge in label order, shared series merged, the older source winning ties', () => {
  const got = read(
    mergeSeriesSets([
      source({
        a: [[1, 1]],
        c: [
          [1, 1],
          [3, 3],
        ],
        e: [[5, 5]],
      }),
      source({
        b: [[2, 2]],
        c: [
          [2, 20],
          [3, 30],
        ],
      }),
      source({
        c: [[4, 400]],
        d: [[1, 1]],
        e: [
          [5, 50],
          [6, 60],
        ],
      }),
    ]),
  );
  assert.deepEqual(got, ['a: 1=1', 'b: 2=2', 'c: 1=1 2=20 3=3 4=400', 'd: 1=1', 'e: 5=5 6=60']);
});

test('mergeSeriesSets: one non-empty set among empty ones comes through as it is', () => {
  const got = read(mergeSeriesSets([source({}), source({ b: [[1, 1]], a: [[2, 2]] }), source({})]));
  assert.deepEqual(got, ['a: 2=2', 'b: 1=1']);
});
