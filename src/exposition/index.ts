/**
 * Exposition formats: parsers and writers for the Prometheus text format 0.0.4 and OpenMetrics 1.0
 * text, and scrape content negotiation.
 */
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
export { requireUtf8 } from './utf8.js';
export { SeriesText, hashBytes } from './series-text.js';
export type { MetricFamily, MetricPoint, WriterOptions } from './types.js';
export { writeText, appendTextFamily, TEXT_CONTENT_TYPE } from './writer-text.js';
export { writeOpenMetrics, appendOpenMetricsFamily, OPENMETRICS_CONTENT_TYPE } from './writer-openmetrics.js';
export { formatFloat } from './writer-common.js';
export { DEFAULT_ESCAPING_SCHEME, parseEscapingScheme, escapeName } from './escaping.js';
export type { EscapingScheme } from './escaping.js';
export {
  ScrapeProtocol,
  SCRAPE_PROTOCOL_HEADERS,
  DEFAULT_SCRAPE_PROTOCOLS,
  DEFAULT_PROTO_FIRST_SCRAPE_PROTOCOLS,
  parseScrapeProtocol,
  scrapeAcceptHeader,
  parserForContentType,
  negotiateResponseFormat,
} from './negotiation.js';
export type { ScrapeFormat, ParserChoice, ResponseFormat } from './negotiation.js';
