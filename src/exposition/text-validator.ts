/**
 * Metadata rules of the text format that Prometheus' own text parser (expfmt, used by
 * `promtool check metrics`) enforces: one HELP and one TYPE per metric family, and TYPE before the
 * family's samples. Scrapes do not need these; `vigil check metrics` applies them.
 */
import type { EntryKind, ExpositionParser, MetricType } from './entry.js';
import { Entry } from './entry.js';
import { ParseError } from './parse-error.js';

const SUFFIXES: Readonly<Partial<Record<MetricType, readonly string[]>>> = {
  histogram: ['_bucket', '_sum', '_count'],
  summary: ['_sum', '_count'],
};

/** Checks the metadata of one text-format payload entry by entry; create one per parse. */
export class TextMetadataValidator {
  readonly #help = new Set<string>();
  readonly #type = new Set<string>();
  /** Sample names seen so far (metric names, before any suffix is stripped). */
  readonly #sampled = new Set<string>();

  /** Checks the entry the parser is on; throws `ParseError` on a violation. */
  check(p: ExpositionParser, kind: EntryKind): void {
    if (kind === Entry.Series) {
      this.#sampled.add(p.metricName());
      return;
    }
    if (kind !== Entry.Help && kind !== Entry.Type) return;
    const name = p.metricName();
    const quoted = JSON.stringify(name);
    if (kind === Entry.Help) {
      if (this.#help.has(name))
        throw new ParseError('ERR_EXPO_METADATA', p.line(), 1, `second HELP line for metric name ${quoted}`);
      this.#help.add(name);
      return;
    }
    const names = [name, ...(SUFFIXES[p.type()] ?? []).map((s) => name + s)];
    if (this.#type.has(name) || names.some((n) => this.#sampled.has(n))) {
      throw new ParseError(
        'ERR_EXPO_METADATA',
        p.line(),
        1,
        `second TYPE line for metric name ${quoted}, or TYPE reported after samples`,
      );
    }
    this.#type.add(name);
  }
}
