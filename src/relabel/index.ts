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
