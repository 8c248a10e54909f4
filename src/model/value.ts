/**
 * Sample values: float64, with Prometheus' staleness marker told apart from an ordinary NaN.
 *
 * The marker is the NaN whose bits are 0x7ff0000000000002. V8 keeps a NaN's payload when it is only
 * moved (assigned, stored in a Float64Array or an object field, read back), but arithmetic makes a
 * new NaN, and so does storing into a plain Array of numbers (V8 canonicalises NaN in its double
 * arrays): keep values in typed arrays, and test with `isStaleNaN`, never `Number.isNaN`.
 */

const scratch = new DataView(new ArrayBuffer(8));

function float64FromBits(hi: number, lo: number): number {
  scratch.setUint32(0, hi);
  scratch.setUint32(4, lo);
  return scratch.getFloat64(0);
}

/** The bits of Prometheus' staleness marker, high and low words. */
export const STALE_NAN_HI = 0x7ff00000;
export const STALE_NAN_LO = 0x00000002;

/** Prometheus' staleness marker: written when a series disappears from its target. */
export const STALE_NAN: number = float64FromBits(STALE_NAN_HI, STALE_NAN_LO);

/** True only for the staleness marker, not for any other NaN. */
export function isStaleNaN(v: number): boolean {
  if (v === v) return false; // fast path: not NaN at all
  scratch.setFloat64(0, v);
  return scratch.getUint32(0) === STALE_NAN_HI && scratch.getUint32(4) === STALE_NAN_LO;
}

/** The high and low 32-bit words of a float64, for encoders that XOR values. */
export function float64Bits(v: number): [hi: number, lo: number] {
  scratch.setFloat64(0, v);
  return [scratch.getUint32(0), scratch.getUint32(4)];
}

/**
 * True when two floats have the same bits: the head's duplicate-sample rule, under which the
 * staleness marker differs from an ordinary NaN and a NaN equals itself.
 */
export function sameFloatBits(a: number, b: number): boolean {
  if (a === b) return a !== 0 || 1 / a === 1 / b; // fast path; keeps +0 and -0 apart
  if (a === a || b === b) return false; // one is not NaN: different
  scratch.setFloat64(0, a);
  const hi = scratch.getUint32(0);
  const lo = scratch.getUint32(4);
  scratch.setFloat64(0, b);
  return hi === scratch.getUint32(0) && lo === scratch.getUint32(4);
}
