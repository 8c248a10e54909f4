/**
 * Number parsing straight from bytes. The common case (a short decimal) is computed without making a
 * string; anything else falls back to `Number()` on a latin1 slice, after the grammar was checked.
 */

/** Exact powers of ten: dividing or multiplying an exact integer by these rounds correctly. */
const POW10 = [
  1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
  1e20, 1e21, 1e22,
];

/** Whether the last parse succeeded: a flag rather than a result object, so parsing allocates nothing. */
export const NUMBER_STATE = { ok: true };

/**
 * Parses `buf[start, end)` as a float: an optional sign, digits with an optional fraction and
 * exponent (OpenMetrics' `realnumber`), or, when `specials` is set, `Inf`/`Infinity`/`NaN` in any
 * case with an optional sign. Sets `NUMBER_STATE.ok` to false when the bytes are not a number.
 */
export function parseNumber(buf: Uint8Array, start: number, end: number, specials: boolean): number {
  NUMBER_STATE.ok = true;
  let i = start;
  let neg = false;
  const first = buf[i];
  if (first === 0x2b || first === 0x2d) {
    neg = first === 0x2d;
    i++;
  }
  let c: number;
  let mant = 0;
  let digits = 0; // significant digits folded into mant
  let intDigits = 0;
  let fracDigits = 0;
  let exact = true;
  let scale = 0; // power of ten to apply to mant
  while (i < end && (c = buf[i]!) >= 0x30 && c <= 0x39) {
    if (digits < 15) {
      mant = mant * 10 + (c - 0x30);
      if (mant !== 0) digits++;
    } else {
      exact = false;
      scale++;
    }
    intDigits++;
    i++;
  }
  if (i < end && buf[i] === 0x2e) {
    i++;
    while (i < end && (c = buf[i]!) >= 0x30 && c <= 0x39) {
      if (digits < 15) {
        mant = mant * 10 + (c - 0x30);
        if (mant !== 0) digits++;
        scale--;
      } else if (c !== 0x30) exact = false;
      fracDigits++;
      i++;
    }
  }
  if (intDigits + fracDigits === 0) {
    if (specials) return parseSpecial(buf, start, end);
    NUMBER_STATE.ok = false;
    return NaN;
  }
  if (i < end && (buf[i] === 0x65 || buf[i] === 0x45)) {
    i++;
    let eneg = false;
    if (i < end && (buf[i] === 0x2b || buf[i] === 0x2d)) eneg = buf[i++] === 0x2d;
    let e = 0;
    const es = i;
    while (i < end && (c = buf[i]!) >= 0x30 && c <= 0x39) {
      if (e < 100000) e = e * 10 + (c - 0x30);
      i++;
    }
    if (i === es) {
      NUMBER_STATE.ok = false;
      return NaN;
    }
    scale += eneg ? -e : e;
  }
  if (i !== end) {
    NUMBER_STATE.ok = false;
    return NaN;
  }
  if (exact && scale >= -22 && scale <= 22) {
    // mant < 2^53 and 10^|scale| are exact, so one multiply or divide is correctly rounded.
    const v = scale < 0 ? mant / POW10[-scale] : mant * POW10[scale];
    return neg ? -v : v;
  }
  return Number(asBuffer(buf).toString('latin1', start, end));
}

function parseSpecial(buf: Uint8Array, start: number, end: number): number {
  const s = asBuffer(buf).toString('latin1', start, end).toLowerCase();
  switch (s) {
    case 'nan':
      return NaN;
    case 'inf':
    case '+inf':
    case 'infinity':
    case '+infinity':
      return Infinity;
    case '-inf':
    case '-infinity':
      return -Infinity;
    default:
      NUMBER_STATE.ok = false;
      return NaN;
  }
}

/**
 * Parses a decimal integer (optional sign) as the text format's millisecond timestamps are written.
 * Sets `NUMBER_STATE.ok` to false on anything else.
 */
export function parseInteger(buf: Uint8Array, start: number, end: number): number {
  NUMBER_STATE.ok = true;
  let i = start;
  let neg = false;
  if (buf[i] === 0x2b || buf[i] === 0x2d) neg = buf[i++] === 0x2d;
  if (i >= end) {
    NUMBER_STATE.ok = false;
    return NaN;
  }
  let v = 0;
  for (; i < end; i++) {
    const c = buf[i];
    if (c < 0x30 || c > 0x39) {
      NUMBER_STATE.ok = false;
      return NaN;
    }
    v = v * 10 + (c - 0x30);
  }
  return neg ? -v : v;
}

/** Parses a label value (a string) as a float with the same rules, for `le` and `quantile`. */
export function parseNumberString(s: string, specials: boolean): number {
  const b = Buffer.from(s, 'utf8');
  return parseNumber(b, 0, b.length, specials);
}

/** A byte range as a latin1 string: one char per byte, so distinct bytes give distinct strings. */
export function latin1(buf: Buffer, start: number, end: number): string {
  return latin1Slice ? latin1Slice.call(buf, start, end) : buf.toString('latin1', start, end);
}

/** Node's internal latin1 decoder: what `toString('latin1')` calls, minus its argument checks. */
const latin1Slice = (
  Buffer.prototype as unknown as { latin1Slice?: (this: Buffer, s: number, e: number) => string }
).latin1Slice;

/** The same memory as a `Buffer` (no copy), for its fast string decoders. */
export function asBuffer(buf: Uint8Array): Buffer {
  return Buffer.isBuffer(buf) ? buf : Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
}
