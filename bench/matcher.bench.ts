// Matcher throughput for each fast path and for a general regex, beside the same patterns run by
// JavaScript's backtracking RegExp (unsafe for user input; shown only as a yardstick).
// Run: npm run build && node dist/bench/matcher.bench.js
import { Matcher } from '../src/model/matcher.js';

const values = Array.from({ length: 1000 }, (_, i) => `node_cpu_seconds_${i % 7}_mode_${i}_total`);

const cases: Array<[label: string, pattern: string]> = [
  ['literal', 'node_cpu_seconds_3_mode_10_total'],
  ['set a|b|c', 'node_a|node_b|node_cpu_seconds_1_mode_1_total'],
  ['prefix foo.*', 'node_cpu.*'],
  ['suffix .*foo', '.*_total'],
  ['contains .*foo.*', '.*mode_1.*'],
  ['.*', '.*'],
  ['.+', '.+'],
  ['general regex', 'node_(cpu|mem)_seconds_[0-3]_.*_total'],
  ['general (?i)', '(?i)NODE_CPU.*TOTAL'],
];

function measure(fn: (s: string) => boolean): number {
  let hits = 0;
  const rounds = 300;
  const started = process.hrtime.bigint();
  for (let r = 0; r < rounds; r++) for (let i = 0; i < values.length; i++) if (fn(values[i])) hits++;
  const ns = Number(process.hrtime.bigint() - started);
  if (hits < 0) console.log(hits); // keeps the loop observable to the optimiser
  return (rounds * values.length) / (ns / 1e9);
}

console.log('pattern'.padEnd(20), 'vigil matches/s'.padStart(16), 'JS RegExp/s'.padStart(14));
for (const [label, pattern] of cases) {
  const m = new Matcher('=~', 'x', pattern);
  const flags = pattern.startsWith('(?i)') ? 'is' : 's';
  const js = new RegExp(`^(?:${pattern.replace('(?i)', '')})$`, flags);
  measure((s) => m.matches(s)); // warm-up
  measure((s) => js.test(s));
  const ours = measure((s) => m.matches(s));
  const theirs = measure((s) => js.test(s));
  console.log(label.padEnd(20), fmt(ours).padStart(16), fmt(theirs).padStart(14));
}

function fmt(n: number): string {
  return n >= 1e6 ? `${(n / 1e6).toFixed(1)}M` : `${(n / 1e3).toFixed(0)}k`;
}
