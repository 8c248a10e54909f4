/** Exposition formats: the Prometheus text format 0.0.4 and OpenMetrics 1.0 text. */
export { Entry } from './entry.js';
export type { EntryKind, Exemplar, ExpositionParser, MetricType } from './entry.js';
export { ParseError } from './parse-error.js';
export type { ParseErrorCode } from './parse-error.js';
export { TextParser } from './text-parser.js';
export { OpenMetricsParser } from './openmetrics-parser.js';
export type { OpenMetricsParserOptions } from './openmetrics-parser.js';
export { newParser, detectFormat, parseAll } from './parse.js';
export type { ExpositionFormat } from './parse.js';
export { MetricsLinter } from './lint.js';
export type { LintProblem } from './lint.js';
export { TextMetadataValidator } from './text-validator.js';
