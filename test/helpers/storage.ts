/** Reading a MemoryStorage back in tests. */
import { Matcher } from '../../src/model/matcher.js';
import { isStaleNaN } from '../../src/model/value.js';
import { ValueType } from '../../src/storage/interface.js';
import type { Labels } from '../../src/model/labels.js';
import type { MemoryStorage } from '../../src/storage/memory.js';

/** One stored series: its labels and samples, a staleness marker read as 'stale'. */
export interface StoredSeries {
  labels: Labels;
  samples: [t: number, v: number | 'stale'][];
}

/** The series named `name` whose labels include `match`, with all their samples. */
export function readSeries(
  db: MemoryStorage,
  name: string,
  match: Record<string, string> = {},
): StoredSeries[] {
  const q = db.querier(-Infinity, Infinity);
  const matchers = [new Matcher('=', '__name__', name)];
  for (const [k, v] of Object.entries(match)) matchers.push(new Matcher('=', k, v));
  const set = q.select(true, undefined, ...matchers);
  const out: StoredSeries[] = [];
  while (set.next()) {
    const s = set.at();
    const samples: [number, number | 'stale'][] = [];
    const it = s.iterator();
    while (it.next() === ValueType.Float) samples.push([it.t(), isStaleNaN(it.v()) ? 'stale' : it.v()]);
    out.push({ labels: s.labels, samples });
  }
  q.close();
  return out;
}

/** The samples of the one series matching; empty when there is none. */
export function readSamples(
  db: MemoryStorage,
  name: string,
  match: Record<string, string> = {},
): [number, number | 'stale'][] {
  const found = readSeries(db, name, match);
  if (found.length > 1) throw new Error(`${found.length} series match ${name} ${JSON.stringify(match)}`);
  return found[0]?.samples ?? [];
}

/** Polls `cond` every 10 ms until it holds; throws `what` after `timeoutMs`. */
export async function waitUntil(what: string, cond: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
