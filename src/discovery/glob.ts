/**
 * File-name patterns as file SD accepts them: Go's `filepath.Match` syntax (`*`, `?`, `[a-z]`,
 * `[^a-z]`, `\` escapes), allowed in the last path element only.
 */

/** Compiles one path element pattern to an anchored regular expression. */
export function compileGlob(pattern: string): RegExp {
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '\\' && i + 1 < pattern.length) re += escapeRegex(pattern[++i]);
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) {
        re += '\\[';
        continue;
      }
      let body = pattern.slice(i + 1, end);
      let negate = false;
      if (body.startsWith('^') || body.startsWith('!')) {
        negate = true;
        body = body.slice(1);
      }
      re += `[${negate ? '^' : ''}${body.replace(/[\]\\^]/g, (m) => '\\' + m)}]`;
      i = end;
    } else re += escapeRegex(c);
  }
  return new RegExp(re + '$', 'u');
}

/** Whether the pattern holds glob metacharacters. */
export function hasGlobMeta(pattern: string): boolean {
  return /[*?[\\]/.test(pattern);
}

function escapeRegex(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
