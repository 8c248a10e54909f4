/**
 * Chunk references in a block: Prometheus' uint64 with the segment index (0-based position of the
 * file among `chunks/000001`, `000002`, …) in the upper 32 bits and the byte offset within that
 * file in the lower 32 bits.
 *
 * Held in one JavaScript number as `segment · 2^32 + offset`: exact while the segment index is
 * below 2^21 (two million 512 MiB segments, far more than a block has).
 */

const TWO_32 = 4294967296;

/** Builds a reference from a segment index and an offset (< 2^32) within it. */
export function chunkRef(segment: number, offset: number): number {
  return segment * TWO_32 + offset;
}

/** The segment index of a reference. */
export function chunkRefSegment(ref: number): number {
  return Math.floor(ref / TWO_32);
}

/** The byte offset of a reference within its segment. */
export function chunkRefOffset(ref: number): number {
  return ref % TWO_32;
}
