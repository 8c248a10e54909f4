/** The promqltest runner: Prometheus' engine test scripts run against Vigil's engine. */
export { runScript } from './runner.js';
export { parseTestTime, parseSeriesLabels } from './test-values.js';
export type { EvalKind, EvalResult } from './runner.js';
export { parseScript, splitSeriesLine, ScriptError } from './script.js';
export type { ScriptCommand, Expectation, ExpectedLine } from './script.js';
export { almostEqual, compareOutcome } from './compare.js';
export { expandSeriesValues, SeriesValuesError } from './series-values.js';
export type { SequenceValue } from './series-values.js';
