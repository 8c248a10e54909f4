/** Whole-payload helpers over the cursor parsers, for tools and tests rather than hot paths. */
import type { EntryKind, ExpositionParser } from './entry.js';
import { Entry } from './entry.js';
import { OpenMetricsParser } from './openmetrics-parser.js';
import { TextParser } from './text-parser.js';

/** The two exposition formats Vigil reads. */
export type ExpositionFormat = 'text' | 'openmetrics';

/** A parser for `input` in `format`; OpenMetrics is validated against the spec's rules. */
export function newParser(input: Uint8Array, format: ExpositionFormat): ExpositionParser {
  return format === 'openmetrics' ? new OpenMetricsParser(input) : new TextParser(input);
}

/**
 * Guesses the format of a payload: OpenMetrics when its last non-empty line is `# EOF`, else the
 * text format (as `vigil check metrics` does without `--format`).
 */
export function detectFormat(input: Uint8Array): ExpositionFormat {
  let e = input.length;
  while (e > 0 && (input[e - 1] === 0x0a || input[e - 1] === 0x20)) e--;
  const tail = Buffer.from(input.buffer, input.byteOffset + Math.max(0, e - 5), Math.min(5, e)).toString(
    'latin1',
  );
  return tail === '# EOF' && (e === 5 || input[e - 6] === 0x0a) ? 'openmetrics' : 'text';
}

/** Runs a parser to the end and returns how many entries of each kind it saw. Throws `ParseError`. */
export function parseAll(p: ExpositionParser): Map<EntryKind, number> {
  const counts = new Map<EntryKind, number>();
  for (;;) {
    const k = p.next();
    counts.set(k, (counts.get(k) ?? 0) + 1);
    if (k === Entry.EOF) return counts;
  }
}
