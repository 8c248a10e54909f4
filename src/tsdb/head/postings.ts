/**
 * The head's inverted index: label name → value → series refs in increasing order. Refs are handed
 * out increasing, so adding a series appends; deleting rebuilds only the lists it touched.
 */
import type { Labels } from '../../model/labels.js';
import { compareBytewise } from '../index/compare.js';

export class MemPostings {
  readonly #byName = new Map<string, Map<string, number[]>>();
  #all: number[] = [];
  #allSorted = true;

  /** Indexes a series. */
  add(ref: number, labels: Labels): void {
    if (this.#all.length > 0 && this.#all[this.#all.length - 1] > ref) this.#allSorted = false;
    this.#all.push(ref);
    labels.forEach((name, value) => {
      let values = this.#byName.get(name);
      if (values === undefined) {
        values = new Map();
        this.#byName.set(name, values);
      }
      const list = values.get(value);
      if (list === undefined) values.set(value, [ref]);
      else insertSorted(list, ref);
    });
  }

  /** Removes series; `labelsOf` gives each one's labels so only their lists are touched. */
  delete(refs: ReadonlySet<number>, labelsOf: (ref: number) => Labels): void {
    const touched = new Map<string, Set<string>>();
    for (const ref of refs) {
      labelsOf(ref).forEach((name, value) => {
        let vs = touched.get(name);
        if (vs === undefined) touched.set(name, (vs = new Set()));
        vs.add(value);
      });
    }
    for (const [name, vs] of touched) {
      const values = this.#byName.get(name);
      if (values === undefined) continue;
      for (const v of vs) {
        const kept = (values.get(v) ?? []).filter((r) => !refs.has(r));
        if (kept.length === 0) values.delete(v);
        else values.set(v, kept);
      }
      if (values.size === 0) this.#byName.delete(name);
    }
    this.#all = this.#all.filter((r) => !refs.has(r));
  }

  /** Refs of series with `name="value"`, increasing. */
  postings(name: string, value: string): number[] {
    return this.#byName.get(name)?.get(value) ?? [];
  }

  /** Every ref, increasing. */
  allPostings(): number[] {
    if (!this.#allSorted) {
      this.#all.sort((a, b) => a - b);
      this.#allSorted = true;
    }
    return this.#all;
  }

  /** The values of a label name, sorted. */
  labelValues(name: string): string[] {
    const values = this.#byName.get(name);
    return values === undefined ? [] : [...values.keys()].sort(compareBytewise);
  }

  /** Every label name, sorted. */
  labelNames(): string[] {
    return [...this.#byName.keys()].sort(compareBytewise);
  }

  /** Per label name, how many values it has; per name=value pair, how many series. */
  *entries(): Generator<[name: string, values: ReadonlyMap<string, readonly number[]>]> {
    yield* this.#byName;
  }
}

/** Inserts `ref` into an increasing list, appending in the common case. */
function insertSorted(list: number[], ref: number): void {
  let i = list.length;
  if (list[i - 1] < ref) {
    list.push(ref);
    return;
  }
  while (i > 0 && list[i - 1] > ref) i--;
  if (list[i - 1] !== ref) list.splice(i, 0, ref);
}
