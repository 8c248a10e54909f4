/**
 * Postings helpers over sorted arrays of series references. Arrays rather than cursors: the
 * index is in memory and lists are small enough so far; all inputs must be sorted ascending and
 * duplicate-free, and so are all outputs.
 */

/** Series present in every list (an empty input gives an empty result). */
export function intersectPostings(lists: readonly (readonly number[])[]): number[] {
  if (lists.length === 0) return [];
  // Start from the shortest list: the result cannot be longer.
  const sorted = [...lists].sort((a, b) => a.length - b.length);
  let acc = sorted[0].slice();
  for (let k = 1; k < sorted.length && acc.length > 0; k++) {
    const b = sorted[k];
    const out: number[] = [];
    let i = 0;
    let j = 0;
    while (i < acc.length && j < b.length) {
      const x = acc[i];
      const y = b[j];
      if (x === y) {
        out.push(x);
        i++;
        j++;
      } else if (x < y) i++;
      else j++;
    }
    acc = out;
  }
  return acc;
}

/** Series present in any list. */
export function mergePostings(lists: readonly (readonly number[])[]): number[] {
  if (lists.length === 0) return [];
  if (lists.length === 1) return lists[0].slice();
  const all: number[] = [];
  for (const l of lists) for (const r of l) all.push(r);
  all.sort((a, b) => a - b);
  const out: number[] = [];
  for (const r of all) if (out.length === 0 || out[out.length - 1] !== r) out.push(r);
  return out;
}

/** Series in `a` and not in `b`. */
export function subtractPostings(a: readonly number[], b: readonly number[]): number[] {
  const out: number[] = [];
  let j = 0;
  for (const x of a) {
    while (j < b.length && b[j] < x) j++;
    if (j < b.length && b[j] === x) continue;
    out.push(x);
  }
  return out;
}
