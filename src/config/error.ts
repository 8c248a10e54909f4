/** Configuration errors: each names the file, line and column it is about. */

/** A position in a configuration file; line and column count from 1. */
export interface ConfigPosition {
  file: string;
  line: number;
  col: number;
}

/** An invalid configuration file. The message starts with `file:line:col: `. */
export class ConfigError extends Error {
  readonly code = 'ERR_CONFIG';
  /** Where the problem is; undefined only for errors about the file as a whole. */
  readonly position: ConfigPosition | undefined;
  /** The message without the position. */
  readonly detail: string;

  constructor(detail: string, position?: ConfigPosition, options?: ErrorOptions) {
    super(position ? `${position.file}:${position.line}:${position.col}: ${detail}` : detail, options);
    this.position = position;
    this.detail = detail;
  }
}
