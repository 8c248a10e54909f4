/**
 * The functions with the most self time in a V8 `.cpuprofile` (as `node --cpu-prof` writes), for
 * the ingest benchmark's report. Run alone: `node dist/bench/cpuprofile-top.js FILE [N [FROM_S TO_S]]`.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface Profile {
  startTime: number;
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** One row: a function (name and place) and its share of the profile's self time. */
export interface TopFunction {
  name: string;
  place: string;
  percent: number;
}

/**
 * The `n` functions with the most self time; `(idle)` is left out of the total. `from`/`to` (s
 * after the profile's start, which is the process's) keep only that span, e.g. a measured window.
 */
export function topFunctions(file: string, n: number, from = 0, to = Infinity): TopFunction[] {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<string, { name: string; place: string; us: number }>();
  let total = 0;
  let t = profile.startTime; // µs; each sample's time is the sum of the deltas so far
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i] ?? 0;
    const at = (t - profile.startTime) / 1e6;
    if (at < from || at > to) continue;
    const node = byId.get(profile.samples[i]);
    if (node === undefined) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)') continue;
    const us = profile.timeDeltas[i] ?? 0;
    total += us;
    // Shorten file URLs to the path inside the repository (or the module's name).
    const short = url.replace(/^file:\/\/.*?\/(dist|node_modules)\//, '$1/');
    const place = url === '' ? '' : `${short}:${lineNumber + 1}`;
    const key = `${functionName}@${place}`;
    const row = self.get(key) ?? { name: functionName || '(anonymous)', place, us: 0 };
    row.us += us;
    self.set(key, row);
  }
  return [...self.values()]
    .sort((a, b) => b.us - a.us)
    .slice(0, n)
    .map((r) => ({ name: r.name, place: r.place, percent: (100 * r.us) / total }));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [file, n, from, to] = process.argv.slice(2);
  if (file === undefined) throw new Error('usage: cpuprofile-top FILE [N [FROM_S TO_S]]');
  for (const r of topFunctions(file, Number(n ?? 20), Number(from ?? 0), Number(to ?? Infinity)))
    console.log(`${r.percent.toFixed(1).padStart(5)}%  ${r.name}  ${r.place}`);
}
