/**
 * Byte-order (UTF-8, i.e. code point) comparison, the order Go and so Prometheus sort symbols,
 * label values and series in. JavaScript's `<` compares UTF-16 code units, which disagrees when a
 * surrogate pair (code point ≥ U+10000) meets a character in U+E000–U+FFFF.
 */

import type { Labels } from '../../model/labels.js';

/** Compares two strings in UTF-8 byte order. */
export function compareBytewise(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const sx = x >= 0xd800 && x < 0xe000;
    const sy = y >= 0xd800 && y < 0xe000;
    // A surrogate (part of a code point ≥ U+10000) sorts after U+E000–U+FFFF in UTF-8.
    if (sx !== sy && (x >= 0xe000 || y >= 0xe000)) return sx ? 1 : -1;
    return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

/** Compares label sets as Prometheus does (label by label, name then value), in byte order. */
export function compareLabelsBytewise(a: Labels, b: Labels): number {
  const n = Math.min(a.size, b.size);
  for (let i = 0; i < n; i++) {
    const c = compareBytewise(a.nameAt(i), b.nameAt(i)) || compareBytewise(a.valueAt(i), b.valueAt(i));
    if (c !== 0) return c;
  }
  return a.size - b.size;
}
