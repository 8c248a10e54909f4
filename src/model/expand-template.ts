/**
 * Template expansion as Go's `Regexp.Expand`: `$1`, `${1}`, `$name`, `${name}` and `$$`.
 *
 * A bare name is the longest run of letters, digits and `_`, so `$1x` names the group `1x` (which
 * usually does not exist and expands to nothing); write `${1}x` for group 1 followed by `x`.
 */

/** The text of each capture group (undefined when it did not take part) and the group names. */
export interface Captures {
  /** Index 0 is the whole match. */
  groups: readonly (string | undefined)[];
  /** Group name → index. */
  names: Readonly<Record<string, number>>;
}

const NAME_CHAR = /[\p{L}\p{Nd}_]/u;

/** Expands `template` with `captures`; malformed references are copied as text, as in Go. */
export function expandTemplate(template: string, captures: Captures): string {
  let out = '';
  let i = 0;
  while (i < template.length) {
    const dollar = template.indexOf('$', i);
    if (dollar < 0) break;
    out += template.slice(i, dollar);
    i = dollar + 1;
    if (template[i] === '$') {
      out += '$';
      i++;
      continue;
    }
    const ref = extractReference(template, i);
    if (ref === undefined) {
      out += '$';
      continue;
    }
    i = ref.end;
    out += lookup(ref.name, captures) ?? '';
  }
  return out + template.slice(i);
}

/** Whether the template refers to any group (Prometheus' `varInRegexTemplate`). */
export function hasTemplateReference(template: string): boolean {
  return template.includes('$');
}

function extractReference(s: string, start: number): { name: string; end: number } | undefined {
  let i = start;
  const brace = s[i] === '{';
  if (brace) i++;
  const nameStart = i;
  while (i < s.length) {
    const cp = s.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    if (!NAME_CHAR.test(ch)) break;
    i += ch.length;
  }
  if (i === nameStart) return undefined;
  const name = s.slice(nameStart, i);
  if (brace) {
    if (s[i] !== '}') return undefined;
    i++;
  }
  return { name, end: i };
}

function lookup(name: string, captures: Captures): string | undefined {
  const num = groupNumber(name);
  if (num >= 0) return captures.groups[num];
  const idx = captures.names[name];
  return idx === undefined ? undefined : captures.groups[idx];
}

/** Go's rule: all ASCII digits, below 1e8, no leading zero; else -1 (a name). */
function groupNumber(name: string): number {
  let num = 0;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c < 48 || c > 57 || num >= 1e8) return -1;
    num = num * 10 + (c - 48);
  }
  if (name[0] === '0' && name.length > 1) return -1;
  return num;
}
