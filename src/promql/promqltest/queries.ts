/**
 * Extracts the queries of `eval` commands from promqltest scripts (Prometheus' engine test
 * language), with whether the script expects the query to fail. Used to check the parser against
 * Prometheus' own test corpus; the full test language lands with the engine.
 */

/** One `eval` query of a script. */
export interface EvalQuery {
  /** 1-based line number in the script. */
  line: number;
  query: string;
  /** `eval_fail`, or an `expect fail` line follows. */
  expectFail: boolean;
}

const EVAL =
  /^eval(?:_fail|_warn|_info|_ordered)?\s+(?:instant\s+at\s+\S+|range\s+from\s+\S+\s+to\s+\S+\s+step\s+\S+)\s+(.*)$/;

/** The `eval` queries of a promqltest script, in order. */
export function extractEvalQueries(script: string): EvalQuery[] {
  const lines = script.split('\n');
  const out: EvalQuery[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = EVAL.exec(lines[i].trim());
    if (m === null) continue;
    let expectFail = lines[i].trim().startsWith('eval_fail');
    for (let j = i + 1; j < lines.length; j++) {
      const next = lines[j].trim();
      if (next === '' || next.startsWith('eval') || next.startsWith('load') || next.startsWith('clear'))
        break;
      if (/^expect\s+fail\b/.test(next)) expectFail = true;
    }
    out.push({ line: i + 1, query: m[1].trim(), expectFail });
  }
  return out;
}
