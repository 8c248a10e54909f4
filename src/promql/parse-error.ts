/** The error of a query that does not parse or type-check. */
import type { PositionRange } from './ast.js';

/**
 * A PromQL syntax or type error. `message` reads as Prometheus': `LINE:COL: parse error: …`, with
 * the 1-based line and column of `pos.start` in the query text.
 */
export class ParseError extends Error {
  readonly code = 'ERR_PROMQL_PARSE';
  /** The message without the position prefix. */
  readonly detail: string;

  constructor(
    detail: string,
    readonly pos: PositionRange,
    readonly query: string,
  ) {
    const { line, col } = lineCol(query, pos.start);
    super(`${line}:${col}: parse error: ${detail}`);
    this.name = 'ParseError';
    this.detail = detail;
  }
}

/** The 1-based line and column of an offset (columns count UTF-8 bytes, as Go does). */
export function lineCol(query: string, offset: number): { line: number; col: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < query.length; i++) {
    if (query.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  const col = Buffer.byteLength(query.slice(lineStart, offset), 'utf8') + 1;
  return { line, col };
}
