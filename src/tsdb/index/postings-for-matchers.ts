/**
 * Selects series by label matchers with Prometheus' semantics (`tsdb/querier.go`,
 * `PostingsForMatchers`): a matcher that accepts the empty string also selects series without
 * the label, so it is applied by removing the series whose value it rejects; the others select
 * the union of the postings of the values they accept; the results are intersected.
 */

import type { Matcher } from '../../model/matcher.js';
import { intersectPostings, mergePostings, subtractPostings } from './postings.js';
import type { IndexReader } from './reader.js';

/** The index operations `postingsForMatchers` needs. */
export type PostingsSource = Pick<IndexReader, 'postings' | 'allPostings' | 'labelValues'>;

/**
 * The sorted references of the series that satisfy every matcher. No matchers select nothing,
 * as in Prometheus (a selector needs at least one matcher).
 */
export function postingsForMatchers(reader: PostingsSource, matchers: readonly Matcher[]): number[] {
  if (matchers.length === 0) return [];
  const its: number[][] = [];
  const notIts: number[][] = [];
  for (const m of matchers) {
    const values = reader.labelValues(m.name);
    if (m.matchesEmpty()) {
      // Keep series without the label; drop those whose value the matcher rejects.
      const rejected = values.filter((v) => !m.matches(v));
      if (rejected.length > 0) notIts.push(mergePostings(rejected.map((v) => reader.postings(m.name, v))));
    } else {
      const accepted =
        m.type === '=' ? (values.includes(m.value) ? [m.value] : []) : values.filter((v) => m.matches(v));
      its.push(mergePostings(accepted.map((v) => reader.postings(m.name, v))));
    }
  }
  let out = its.length === 0 ? reader.allPostings() : intersectPostings(its);
  for (const n of notIts) out = subtractPostings(out, n);
  return out;
}
