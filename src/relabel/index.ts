/** Relabeling: rules from `relabel_configs` and their application to label sets. */
export { relabel, applyRule, hashMod } from './relabel.js';
export {
  makeRelabelConfig,
  isRelabelAction,
  RelabelConfigError,
  RELABEL_ACTIONS,
  RELABEL_DEFAULTS,
} from './config.js';
export type { RelabelConfig, RelabelConfigInput, RelabelAction } from './config.js';
export { RelabelRegex } from './regexp.js';
export { expandTemplate, hasTemplateReference } from './expand.js';
export type { Captures } from './expand.js';
