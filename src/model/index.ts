/** The data model: labels, names, matchers, regexes, sample values, durations. */
export {
  Labels,
  LabelsBuilder,
  StringInterner,
  METRIC_NAME,
  compareStrings,
  hashString,
  quoteString,
} from './labels.js';
export type { Label } from './labels.js';
export { Matcher, matchesAll } from './matcher.js';
export type { MatchType } from './matcher.js';
export {
  isLegacyMetricName,
  isLegacyLabelName,
  isUtf8Name,
  isValidMetricName,
  isValidLabelName,
  formatLabelName,
  formatMetricName,
} from './names.js';
export type { NameValidationScheme } from './names.js';
export { compileRegex, RegexSyntaxError } from './regex.js';
export type { StringMatcher } from './regex.js';
export { CaptureRegex } from './capture-regex.js';
export { expandTemplate, hasTemplateReference } from './expand-template.js';
export type { Captures } from './expand-template.js';
export { STALE_NAN, isStaleNaN, float64Bits } from './value.js';
export { parseDuration, formatDuration, DurationError } from './time.js';
