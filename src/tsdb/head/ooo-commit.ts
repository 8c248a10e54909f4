/**
 * The out-of-order half of a commit: samples inserted into their series' out-of-order chunks and
 * the write-behind log records that describe it, in Prometheus' order. When a sample cuts a new
 * chunk, the samples collected so far are flushed to a record first and an mmap marker naming the
 * cut chunk precedes the later ones, so replay drops the open chunk exactly where the live head
 * cut it (its samples are in `chunks_head/` then).
 */
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
      // The sample just inserted belongs after the marker: flush the ones before it first.
      if (prev === undefined || prev !== 0) this.#flush();
      (this.#markers ??= new Map()).set(s.ref, s.ooo!.cutRef);
    }
    this.#samples = pushSample(this.#samples ?? newSampleBatch(64), s.ref, t, v);
    this.accepted++;
    return true;
  }

  #flush(): void {
    if (this.#markers !== undefined && this.#markers.size > 0) {
      this.#records.push(encodeMmapMarkers([...this.#markers].map(([ref, mmapRef]) => ({ ref, mmapRef }))));
    }
    if (this.#samples !== undefined && this.#samples.length > 0) this.#records.push(encodeSamples(this.#samples));
    this.#markers = undefined;
    if (this.#samples !== undefined) this.#samples.length = 0;
  }

  /** The write-behind log records for everything inserted: markers, then samples, per flush. */
  records(): Uint8Array[] {
    this.#flush();
    return this.#records;
  }
}
