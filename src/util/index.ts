/** Small shared utilities: logging. */
export { LogfmtLogger, defaultLogfmtLoggerOptions, formatLogfmtValue, noopLogger } from './logger.js';
export type { Logger, LogFields, LogLevel, LogValue, LogfmtLoggerOptions } from './logger.js';
