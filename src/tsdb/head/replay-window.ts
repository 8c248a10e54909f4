/**
 * Replayed samples held back and applied series by series. The WAL interleaves all series (one
 * scrape after another), so appending in its order touches a different series' chunk every
 * sample, a cache miss each time with a million series; a window of samples regrouped by series
 * (each series' samples kept in WAL order) appends about twice as fast, grouping included.
 */

/** Samples a window holds per series at most (more buys little), and in all (bounds its memory). */
const SAMPLES_PER_SERIES = 8;
const MIN_CAPACITY = 1 << 12;
const MAX_CAPACITY = 1 << 22;

/** Receives one series' samples of a window, in WAL order: `times[from, to)`, `values[from, to)`. */
export type GroupApply = (
  ref: number,
  times: Float64Array,
  values: Float64Array,
  from: number,
  to: number,
) => void;

export class ReplayWindow {
  readonly #seriesCount: () => number;
  #length = 0;
  #refs = new Uint32Array(MIN_CAPACITY);
  #times = new Float64Array(MIN_CAPACITY);
  #values = new Float64Array(MIN_CAPACITY);
  /** The same samples grouped by series. */
  #groupedTimes = new Float64Array(MIN_CAPACITY);
  #groupedValues = new Float64Array(MIN_CAPACITY);
  /** Per ref: its samples in the window, then (while grouping) where its next one goes. */
  #counts = new Int32Array(0);
  #next = new Int32Array(0);
  /** Refs in the order of their first sample in the window, with their sample counts. */
  #groupRefs = new Uint32Array(1024);
  #groupSizes = new Int32Array(1024);

  /**
   * A window sized by the head's series count as replay goes (`seriesCount`), up to a few samples
   * a series; refs pushed must be below 2^32.
   */
  constructor(seriesCount: () => number) {
    this.#seriesCount = seriesCount;
  }

  /** Adds a sample; false (and nothing added) when the window is full: flush, then push again. */
  push(ref: number, t: number, v: number): boolean {
    const i = this.#length;
    if (i === this.#refs.length && !this.#grow()) return false;
    this.#refs[i] = ref;
    this.#times[i] = t;
    this.#values[i] = v; // a Float64Array keeps NaN payload bits (the staleness marker)
    this.#length = i + 1;
    if (ref >= this.#counts.length) this.#growRefs(ref);
    return true;
  }

  /** Hands every series' samples to `apply`, series in order of first appearance, and empties the window. */
  flush(apply: GroupApply): void {
    const n = this.#length;
    if (n === 0) return;
    const refs = this.#refs;
    const counts = this.#counts;
    const next = this.#next;
    for (let i = 0; i < n; i++) counts[refs[i]]++;
    let groups = 0;
    let offset = 0;
    for (let i = 0; i < n; i++) {
      const r = refs[i];
      const c = counts[r];
      if (c === 0) continue; // placed already
      next[r] = offset;
      offset += c;
      if (groups === this.#groupRefs.length) this.#growGroups();
      this.#groupRefs[groups] = r;
      this.#groupSizes[groups++] = c;
      counts[r] = 0;
    }
    const times = this.#groupedTimes;
    const values = this.#groupedValues;
    for (let i = 0; i < n; i++) {
      const at = next[refs[i]]++;
      times[at] = this.#times[i];
      values[at] = this.#values[i];
    }
    this.#length = 0;
    let from = 0;
    for (let g = 0; g < groups; g++) {
      const to = from + this.#groupSizes[g];
      apply(this.#groupRefs[g], times, values, from, to);
      from = to;
    }
  }

  /** Doubles the window while it holds fewer than a few samples a series; false at its size. */
  #grow(): boolean {
    const cap = this.#refs.length;
    const want = Math.min(MAX_CAPACITY, this.#seriesCount() * SAMPLES_PER_SERIES);
    if (cap >= want) return false;
    const size = Math.min(MAX_CAPACITY, cap * 2);
    const refs = new Uint32Array(size);
    const times = new Float64Array(size);
    const values = new Float64Array(size);
    refs.set(this.#refs);
    times.set(this.#times);
    values.set(this.#values);
    this.#refs = refs;
    this.#times = times;
    this.#values = values;
    this.#groupedTimes = new Float64Array(size);
    this.#groupedValues = new Float64Array(size);
    return true;
  }

  // Counts are all zero between flushes, so the arrays are replaced, not copied.
  #growRefs(ref: number): void {
    const size = Math.max(1024, (ref + 1) * 2);
    this.#counts = new Int32Array(size);
    this.#next = new Int32Array(size);
  }

  #growGroups(): void {
    const refs = new Uint32Array(this.#groupRefs.length * 2);
    const sizes = new Int32Array(refs.length);
    refs.set(this.#groupRefs);
    sizes.set(this.#groupSizes);
    this.#groupRefs = refs;
    this.#groupSizes = sizes;
  }
}
