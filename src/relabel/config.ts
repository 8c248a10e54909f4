/**
 * A relabel rule (`relabel_config` in prometheus.yml): its defaults, compilation and the
 * validation Prometheus applies, with Prometheus' wording.
 */
import { isValidLabelName } from '../model/index.js';
import type { NameValidationScheme } from '../model/index.js';
import { hasTemplateReference } from '../model/expand-template.js';
import { CaptureRegex } from '../model/capture-regex.js';

/** Every relabel action Prometheus knows. */
export const RELABEL_ACTIONS = [
  'replace',
  'keep',
  'drop',
  'keepequal',
  'dropequal',
  'hashmod',
  'labelmap',
  'labeldrop',
  'labelkeep',
  'lowercase',
  'uppercase',
] as const;

/** One of `RELABEL_ACTIONS`. */
export type RelabelAction = (typeof RELABEL_ACTIONS)[number];

/** Whether `s` names a relabel action (already lower-cased, as Prometheus does on load). */
export function isRelabelAction(s: string): s is RelabelAction {
  return (RELABEL_ACTIONS as readonly string[]).includes(s);
}

/** A validated, compiled relabel rule. */
export interface RelabelConfig {
  readonly sourceLabels: readonly string[];
  readonly separator: string;
  readonly regex: CaptureRegex;
  readonly modulus: number;
  readonly targetLabel: string;
  readonly replacement: string;
  readonly action: RelabelAction;
}

/** A rule as written; omitted fields take Prometheus' defaults. */
export interface RelabelConfigInput {
  sourceLabels?: readonly string[];
  separator?: string;
  regex?: string;
  modulus?: number;
  targetLabel?: string;
  replacement?: string;
  action?: RelabelAction;
}

/** Prometheus' defaults: separator `;`, regex `(.*)`, replacement `$1`, action `replace`. */
export const RELABEL_DEFAULTS = {
  separator: ';',
  regex: '(.*)',
  replacement: '$1',
  action: 'replace',
  modulus: 0,
  targetLabel: '',
} as const;

/** An invalid relabel rule; the message is Prometheus'. */
export class RelabelConfigError extends Error {
  readonly code = 'ERR_RELABEL_CONFIG';
}

/**
 * Applies defaults, compiles the regex and validates the rule. Throws `RelabelConfigError` for an
 * invalid rule and `RegexSyntaxError` for a bad regex.
 */
export function makeRelabelConfig(
  input: RelabelConfigInput,
  scheme: NameValidationScheme = 'utf8',
): RelabelConfig {
  const regexSource = input.regex ?? RELABEL_DEFAULTS.regex;
  const cfg: RelabelConfig = {
    sourceLabels: input.sourceLabels ?? [],
    separator: input.separator ?? RELABEL_DEFAULTS.separator,
    regex: new CaptureRegex(regexSource),
    modulus: input.modulus ?? RELABEL_DEFAULTS.modulus,
    targetLabel: input.targetLabel ?? RELABEL_DEFAULTS.targetLabel,
    replacement: input.replacement ?? RELABEL_DEFAULTS.replacement,
    action: input.action ?? 'replace',
  };
  validate(cfg, input.sourceLabels !== undefined, scheme);
  return cfg;
}

function validate(c: RelabelConfig, sourceLabelsSet: boolean, scheme: NameValidationScheme): void {
  const a = c.action;
  const fail = (msg: string): never => {
    throw new RelabelConfigError(msg);
  };
  const validName = (n: string): boolean => isValidLabelName(n, scheme);
  if (c.modulus === 0 && a === 'hashmod') fail('relabel configuration for hashmod requires non-zero modulus');
  const needsTarget = ['replace', 'hashmod', 'lowercase', 'uppercase', 'keepequal', 'dropequal'].includes(a);
  if (needsTarget && c.targetLabel === '')
    fail(`relabel configuration for ${a} action requires 'target_label' value`);
  if (a === 'replace' && !hasTemplateReference(c.targetLabel) && !validName(c.targetLabel)) {
    fail(`"${c.targetLabel}" is invalid 'target_label' for ${a} action`);
  }
  const simple = a === 'lowercase' || a === 'uppercase' || a === 'keepequal' || a === 'dropequal';
  if (simple && !validName(c.targetLabel))
    fail(`"${c.targetLabel}" is invalid 'target_label' for ${a} action`);
  if (simple && c.replacement !== RELABEL_DEFAULTS.replacement)
    fail(`'replacement' can not be set for ${a} action`);
  if (a === 'labelmap' && !hasTemplateReference(c.replacement) && !validName(c.replacement)) {
    fail(`"${c.replacement}" is invalid 'replacement' for ${a} action`);
  }
  if (a === 'hashmod' && !validName(c.targetLabel))
    fail(`"${c.targetLabel}" is invalid 'target_label' for ${a} action`);
  if (a === 'keepequal' || a === 'dropequal') {
    if (
      c.regex.source !== RELABEL_DEFAULTS.regex ||
      c.modulus !== RELABEL_DEFAULTS.modulus ||
      c.separator !== RELABEL_DEFAULTS.separator ||
      c.replacement !== RELABEL_DEFAULTS.replacement
    ) {
      fail(`${a} action requires only 'source_labels' and \`target_label\`, and no other fields`);
    }
  }
  if (a === 'labeldrop' || a === 'labelkeep') {
    if (
      sourceLabelsSet ||
      c.targetLabel !== RELABEL_DEFAULTS.targetLabel ||
      c.modulus !== RELABEL_DEFAULTS.modulus ||
      c.separator !== RELABEL_DEFAULTS.separator ||
      c.replacement !== RELABEL_DEFAULTS.replacement
    ) {
      fail(`${a} action requires only 'regex', and no other fields`);
    }
  }
}
