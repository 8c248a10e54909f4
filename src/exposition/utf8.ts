/** UTF-8 validation of whole payloads, with the position of the first bad byte. */
import { isUtf8 } from 'node:buffer';
import { ParseError } from './parse-error.js';

const LF = 0x0a;

/**
 * Throws `ParseError` when `buf` is not valid UTF-8, naming the line and column of the first bad
 * byte. One native pass over the whole input; only a failure looks further.
 */
export function requireUtf8(buf: Uint8Array): void {
  if (isUtf8(buf)) return;
  let start = 0;
  let line = 1;
  for (;;) {
    let end = buf.indexOf(LF, start);
    if (end < 0) end = buf.length;
    if (!isUtf8(buf.subarray(start, end))) {
      let col = 0;
      while (start + col < end && isUtf8(buf.subarray(start, start + col + 1))) col++;
      // A truncated multi-byte sequence is valid until it is cut off: step back to its lead byte.
      while (col > 0 && (buf[start + col] & 0xc0) === 0x80) col--;
      throw new ParseError('ERR_EXPO_SYNTAX', line, col + 1, 'invalid UTF-8');
    }
    start = end + 1;
    line++;
  }
}
