/**
 * The index of a block being streamed, kept compact and off the object heap: label strings as
 * length-prefixed UTF-8 in one growable byte buffer, chunk metadata in one `Float64Array`. Both
 * buffers are transferred (not copied) to a worker thread that builds and writes the index file,
 * so encoding the index of a large block never stalls the event loop.
 */
import { Labels } from '../../model/labels.js';
import type { ChunkMeta } from '../index/format.js';
import type { IndexSeries } from '../index/writer.js';

/** What the index worker receives. */
export interface IndexJobData {
  /** Where to write the index file. */
  path: string;
  /** Per series: uvarint pair count, then for each string uvarint byte length and UTF-8 bytes. */
  labels: Uint8Array<ArrayBuffer>;
  /** Per series: chunk count, then `mint, maxt, ref` per chunk. */
  metas: Float64Array<ArrayBuffer>;
  /** Number of series. */
  count: number;
}

const encoder = new TextEncoder();

/** Accumulates series for an index in compact buffers. */
export class IndexJobBuilder {
  private labels = new Uint8Array(1 << 16);
  private labelsLen = 0;
  private metas = new Float64Array(1 << 12);
  private metasLen = 0;
  /** Series added. */
  count = 0;

  /** Adds a series (in index order). */
  add(labels: Labels, chunks: readonly ChunkMeta[]): void {
    this.putUvarint(labels.size);
    for (let i = 0; i < labels.size; i++) {
      this.putString(labels.nameAt(i));
      this.putString(labels.valueAt(i));
    }
    this.reserveMetas(1 + chunks.length * 3);
    this.metas[this.metasLen++] = chunks.length;
    for (const c of chunks) {
      this.metas[this.metasLen++] = c.mint;
      this.metas[this.metasLen++] = c.maxt;
      this.metas[this.metasLen++] = c.ref;
    }
    this.count++;
  }

  /** The job for `path`; the builder must not be used afterwards. */
  build(path: string): IndexJobData {
    return {
      path,
      labels: this.labels.slice(0, this.labelsLen),
      metas: this.metas.slice(0, this.metasLen),
      count: this.count,
    };
  }

  private reserveLabels(n: number): void {
    if (this.labelsLen + n <= this.labels.length) return;
    const grown = new Uint8Array(Math.max(this.labels.length * 2, this.labelsLen + n));
    grown.set(this.labels.subarray(0, this.labelsLen));
    this.labels = grown;
  }

  private reserveMetas(n: number): void {
    if (this.metasLen + n <= this.metas.length) return;
    const grown = new Float64Array(Math.max(this.metas.length * 2, this.metasLen + n));
    grown.set(this.metas.subarray(0, this.metasLen));
    this.metas = grown;
  }

  private putUvarint(v: number): void {
    this.reserveLabels(5);
    while (v >= 0x80) {
      this.labels[this.labelsLen++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    this.labels[this.labelsLen++] = v;
  }

  private putString(s: string): void {
    // At most 3 UTF-8 bytes per UTF-16 unit.
    this.reserveLabels(5 + s.length * 3);
    const lenAt = this.labelsLen;
    // Encode first into the space after a maximal 5-byte length, then move it behind the real one.
    const { written } = encoder.encodeInto(s, this.labels.subarray(lenAt + 5));
    this.putUvarint(written);
    this.labels.copyWithin(this.labelsLen, lenAt + 5, lenAt + 5 + written);
    this.labelsLen += written;
  }
}

/** Rebuilds the series of a job (in the worker). */
export function decodeIndexJob(job: IndexJobData): IndexSeries[] {
  const decoder = new TextDecoder();
  const out: IndexSeries[] = new Array<IndexSeries>(job.count);
  const b = job.labels;
  let p = 0;
  let m = 0;
  const uvarint = (): number => {
    let v = 0;
    for (let shift = 0; ; shift += 7) {
      const x = b[p++];
      v += (x & 0x7f) * 2 ** shift;
      if (x < 0x80) return v;
    }
  };
  for (let i = 0; i < job.count; i++) {
    const n = uvarint();
    const pairs: string[] = new Array<string>(n * 2);
    for (let k = 0; k < n * 2; k++) {
      const len = uvarint();
      pairs[k] = decoder.decode(b.subarray(p, p + len));
      p += len;
    }
    const at = m;
    const metas = job.metas;
    m += 1 + metas[at] * 3;
    // Chunk metas are built when the encoder reaches the series and dropped right after: 1.2M
    // of them alive at once would double the worker's memory.
    out[i] = {
      labels: Labels.fromSortedPairs(pairs),
      get chunks(): ChunkMeta[] {
        const nc = metas[at];
        const chunks = new Array<ChunkMeta>(nc);
        for (let k = 0, q = at + 1; k < nc; k++, q += 3)
          chunks[k] = { mint: metas[q], maxt: metas[q + 1], ref: metas[q + 2] };
        return chunks;
      },
    };
  }
  return out;
}
