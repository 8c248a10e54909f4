/**
 * Where in the query a server error points. Prometheus (and Vigil) start parse errors with
 * `LINE:COL:` — 1-based, the column counted in UTF-8 bytes as Go does — optionally a range
 * `LINE:COL-LINE:COL`. The editor needs character offsets to underline the spot.
 */

export interface ErrorSpan {
  /** Offsets into the query, in UTF-16 code units (JavaScript string indexes). */
  from: number;
  to: number;
  /** The message without its position prefix. */
  message: string;
}

const PREFIX = /^(\d+):(\d+)(?:-(\d+):(\d+))?: (?:parse error: )?/;

/** The span an error message names in `query`, or `null` when it carries no position. */
export function errorSpan(query: string, error: string): ErrorSpan | null {
  const m = PREFIX.exec(error);
  if (m === null) return null;
  const from = offsetOf(query, Number(m[1]), Number(m[2]));
  let to = m[3] !== undefined ? offsetOf(query, Number(m[3]), Number(m[4])) : from;
  // A point error underlines one character, or the last one when it points past the end.
  if (to <= from) to = Math.min(from + 1, query.length);
  const start = Math.min(from, Math.max(query.length - 1, 0));
  return { from: start, to: Math.max(to, start), message: error.slice(m[0].length) };
}

function offsetOf(query: string, line: number, byteCol: number): number {
  let pos = 0;
  for (let l = 1; l < line; l++) {
    const nl = query.indexOf('\n', pos);
    if (nl < 0) return query.length;
    pos = nl + 1;
  }
  let bytes = 1;
  while (pos < query.length && bytes < byteCol && query[pos] !== '\n') {
    const code = query.codePointAt(pos) ?? 0;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    pos += code >= 0x10000 ? 2 : 1;
  }
  return pos;
}
