/**
 * Streams an exposition into a `Writable` (an HTTP response, say) family by family, so a large
 * payload is never held whole and a slow reader applies backpressure.
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { MetricFamily, WriterOptions } from './types.js';
import { appendOpenMetricsFamily } from './writer-openmetrics.js';
import { appendTextFamily } from './writer-text.js';

/** Families are gathered into chunks of about this many characters: fewer, larger writes. */
const CHUNK_CHARS = 64 * 1024;

/**
 * Writes `families` to `out` in `format` (`# EOF` included for OpenMetrics) and resolves once all
 * of it was handed to the stream; it waits for `drain` whenever `out` asks it to. The stream is
 * not ended. The output is byte for byte what `writeText` or `writeOpenMetrics` returns.
 */
export async function streamExposition(
  out: Writable,
  families: Iterable<MetricFamily>,
  format: 'text' | 'openmetrics',
  options: WriterOptions = {},
): Promise<void> {
  const append = format === 'openmetrics' ? appendOpenMetricsFamily : appendTextFamily;
  const parts: string[] = [];
  let size = 0;
  const flush = async (): Promise<void> => {
    const chunk = parts.join('');
    parts.length = 0;
    size = 0;
    if (chunk !== '' && !out.write(chunk, 'utf8')) await once(out, 'drain');
  };
  for (const f of families) {
    const before = parts.length;
    append(parts, f, options);
    for (let i = before; i < parts.length; i++) size += parts[i].length;
    if (size >= CHUNK_CHARS) await flush();
  }
  if (format === 'openmetrics') parts.push('# EOF\n');
  await flush();
}
