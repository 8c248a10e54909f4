/**
 * Upper- and lower-casing as Go's `strings.ToUpper` / `strings.ToLower`: Unicode *simple* case
 * mapping, one code point to one code point. JavaScript's own methods use full mapping
 * (`ß` → `SS`), which would give different label values than Prometheus.
 */

// ASCII-only values (nearly all label values) take the native path: both mappings agree there.

/** Go's `strings.ToLower`. */
export function goToLower(s: string): string {
  return isAscii(s) ? s.toLowerCase() : mapSimple(s, (c) => (c === '\u0130' ? 'i' : c.toLowerCase()));
}

/** Go's `strings.ToUpper`. */
export function goToUpper(s: string): string {
  return isAscii(s) ? s.toUpperCase() : mapSimple(s, (c) => c.toUpperCase());
}

/** Maps each code point, keeping it unchanged where the mapping is not one code point. */
function mapSimple(s: string, map: (c: string) => string): string {
  let out = '';
  for (const c of s) {
    const m = map(c);
    out += m.length === c.length || [...m].length === 1 ? m : c;
  }
  return out;
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}
