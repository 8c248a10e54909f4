/**
 * The out-of-order half of a commit: samples inserted into their series' out-of-order chunks and
 * the write-behind log records that describe it. When a sample cuts a new chunk, an mmap marker
 * naming the cut chunk must precede the series' later samples and follow its earlier ones, so
 * replay drops the open chunk exactly where the live head cut it (its samples are in
 * `chunks_head/` then). Prometheus flushes the samples collected so far at every such cut; Vigil
 * flushes only when the series has samples in the pending record — the same order for every
 * series, and one record pair instead of one per series when a whole scrape cuts at once.
 */
import { Encbuf } from '../encoding/encbuf.js';
import { encodeMmapMarkers, encodeSamples } from '../record/encode.js';
import { newSampleBatch, pushSample } from '../record/types.js';
import type { SampleBatch } from '../record/types.js';
import { OooInsert } from './ooo-series.js';
import type { MemSeries } from './series.js';

export class OooCommit {
  accepted = 0;
  chunksCreated = 0;
  readonly #capMax: number;
  readonly #records: Uint8Array[] = [];
  #samples: SampleBatch | undefined;
  /** Markers of this flush by series ref (Prometheus keeps one per series: a map). */
  #markers: Map<number, number> | undefined;
  /** Series with a sample in the pending samples record. */
  readonly #pending = new Set<number>();
  /** One encoder for the commit's records (each record is copied out). */
  readonly #enc = new Encbuf(16 * 1024);

  constructor(capMax: number) {
    this.#capMax = capMax;
  }

  /** Inserts one sample; false when its timestamp was already in the open chunk (dropped). */
  insert(s: MemSeries, t: number, v: number): boolean {
    const r = s.insertOoo(t, v, this.#capMax);
    if (r === OooInsert.Duplicate) return false;
    if (r === OooInsert.InsertedNewChunk) {
      this.chunksCreated++;
      const prev = this.#markers?.get(s.ref);
      // The sample just inserted belongs after the marker: flush the series' earlier ones first.
      if (prev === undefined ? this.#pending.has(s.ref) : prev !== 0) this.#flush();
      (this.#markers ??= new Map()).set(s.ref, s.ooo!.cutRef);
    }
    this.#samples = pushSample(this.#samples ?? newSampleBatch(64), s.ref, t, v);
    this.#pending.add(s.ref);
    this.accepted++;
    return true;
  }

  #flush(): void {
    if (this.#markers !== undefined && this.#markers.size > 0) {
      const markers = [...this.#markers].map(([ref, mmapRef]) => ({ ref, mmapRef }));
      this.#records.push(encodeMmapMarkers(markers, this.#enc));
    }
    if (this.#samples !== undefined && this.#samples.length > 0)
      this.#records.push(encodeSamples(this.#samples, this.#enc));
    this.#markers = undefined;
    this.#pending.clear();
    if (this.#samples !== undefined) this.#samples.length = 0;
  }

  /** The write-behind log records for everything inserted: markers, then samples, per flush. */
  records(): Uint8Array[] {
    this.#flush();
    return this.#records;
  }
}
