/**
 * Byte-order (UTF-8, i.e. code point) comparison, the order Go and so Prometheus sort symbols,
 * label values and series in. JavaScript's `<` compares UTF-16 code units, which disagrees when a
 * surrogate pair (code point ≥ U+10000) meets a character in U+E000–U+FFFF.
 */

import { Labels, compareStrings } from '../../model/labels.js';

/** Compares two strings in UTF-8 byte order (the model's `compareStrings`). */
export const compareBytewise = compareStrings;

/** Compares label sets as Prometheus does (label by label, name then value), in byte order. */
export function compareLabelsBytewise(a: Labels, b: Labels): number {
  return Labels.compare(a, b);
}
