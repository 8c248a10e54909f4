/**
 * The raw `name{labels}` bytes of a sample, as a scrape cache sees them: hashed and compared four
 * bytes at a time, without first copying them into a key string (which cost more than the rest of
 * the lookup). Different texts may share a hash: a match must be confirmed with `equals`.
 */

/** A byte range of a payload; the parser that hands it out moves it on each `next()`. */
export class SeriesText {
  readonly bytes: Uint8Array;
  readonly view: DataView;
  start = 0;
  end = 0;

  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** A text over a copy of the latin1 string's bytes (one byte per char), for cold callers and tests. */
  static of(latin1: string): SeriesText {
    const t = new SeriesText(Buffer.from(latin1, 'latin1'));
    t.end = t.bytes.length;
    return t;
  }

  get length(): number {
    return this.end - this.start;
  }

  /** `hashBytes` of the range. */
  hash(): number {
    return hashBytes(this.view, this.start, this.end);
  }

  /** Whether the range holds the same bytes as `view[at, at + length)`. */
  equals(view: DataView, at: number): boolean {
    const v = this.view;
    const n = this.end - this.start;
    const s = this.start;
    let i = 0;
    for (; i + 4 <= n; i += 4) if (v.getUint32(s + i, true) !== view.getUint32(at + i, true)) return false;
    for (; i < n; i++) if (v.getUint8(s + i) !== view.getUint8(at + i)) return false;
    return true;
  }

  /** Copies the range into `target` at `at`. */
  copyTo(target: Uint8Array, at: number): void {
    target.set(this.bytes.subarray(this.start, this.end), at);
  }
}

/**
 * A 30-bit hash of `view[start, end)`: a multiply per four bytes and a final mix. Thirty bits
 * keep it a small integer (Smi) in V8, so a `Map` keyed by it neither allocates nor hashes a
 * string. Not for untrusted equality: confirm matches against the bytes.
 */
export function hashBytes(view: DataView, start: number, end: number): number {
  let h = 0x811c9dc5 ^ (end - start);
  let i = start;
  for (; i + 4 <= end; i += 4) h = Math.imul(h ^ view.getUint32(i, true), 0x9e3779b1);
  for (; i < end; i++) h = Math.imul(h ^ view.getUint8(i), 0x01000193);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  return h & 0x3fffffff;
}
