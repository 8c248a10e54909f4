/**
 * The `U__` value escaping of label names in URL paths (`/api/v1/label/U__http_2e_status/values`):
 * `U__` prefix, `__` for `_`, `_<hex>_` for any other code point. As Prometheus'
 * `model.UnescapeName`, a malformed escape leaves the name as it was.
 */

/** Decodes a `U__`-escaped name; other names, and malformed escapes, come back unchanged. */
export function unescapeLabelName(name: string): string {
  if (!name.startsWith('U__')) return name;
  const s = name.slice(3);
  let out = '';
  for (let i = 0; i < s.length; i++) {
    if (s[i] !== '_') {
      out += s[i];
      continue;
    }
    i++;
    if (i >= s.length) return name;
    if (s[i] === '_') {
      out += '_';
      continue;
    }
    let code = 0;
    let digits = 0;
    for (; i < s.length && s[i] !== '_'; i++) {
      // More than six hex digits cannot be a code point (the largest is 10FFFF).
      if (++digits > 6) return name;
      const d = parseInt(s[i], 16);
      if (Number.isNaN(d)) return name;
      code = code * 16 + d;
    }
    if (i >= s.length || digits === 0) return name;
    if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return name;
    out += String.fromCodePoint(code);
  }
  return out;
}
