/** The error every exposition parser throws for bad input: a stable code and a position. */

/** Machine-readable reasons a payload was rejected. */
export type ParseErrorCode =
  | 'ERR_EXPO_SYNTAX'
  | 'ERR_EXPO_VALUE'
  | 'ERR_EXPO_METADATA'
  | 'ERR_EXPO_ORDER'
  | 'ERR_EXPO_SEMANTIC'
  | 'ERR_EXPO_EOF';

/**
 * A malformed exposition payload. `line` and `column` are 1-based (the column counts bytes); the
 * message reads `LINE:COL: reason`, as Prometheus reports scrape parse errors.
 */
export class ParseError extends Error {
  /** Stable code for programs; the message is for people. */
  readonly code: ParseErrorCode;
  /** 1-based line of the offending input. */
  readonly line: number;
  /** 1-based byte column of the offending input. */
  readonly column: number;
  /** The reason without the position prefix. */
  readonly reason: string;

  constructor(code: ParseErrorCode, line: number, column: number, reason: string) {
    super(`${line}:${column}: ${reason}`);
    this.name = 'ParseError';
    this.code = code;
    this.line = line;
    this.column = column;
    this.reason = reason;
  }
}
