/** Applying relabel rules to a label set, as Prometheus' `relabel.Process`. */
import { createHash } from 'node:crypto';
import { LabelsBuilder, isValidLabelName } from '../model/index.js';
import type { Labels } from '../model/index.js';
import type { RelabelConfig } from './config.js';
import { goToLower, goToUpper } from './case.js';
import { expandTemplate } from '../model/expand-template.js';

/**
 * Applies `configs` in order. Returns the new labels, or undefined when a rule dropped the set.
 * The input is not modified.
 */
export function relabel(labels: Labels, configs: readonly RelabelConfig[]): Labels | undefined {
  if (configs.length === 0) return labels;
  const lb = new LabelsBuilder(labels);
  for (const cfg of configs) {
    if (!applyRule(lb, cfg)) return undefined;
  }
  return lb.labels();
}

/** Applies one rule to `lb`; false when the set is dropped. */
export function applyRule(lb: LabelsBuilder, cfg: RelabelConfig): boolean {
  const val = sourceValue(lb, cfg);
  switch (cfg.action) {
    case 'drop':
      return !cfg.regex.matches(val);
    case 'keep':
      return cfg.regex.matches(val);
    case 'dropequal':
      return lb.get(cfg.targetLabel) !== val;
    case 'keepequal':
      return lb.get(cfg.targetLabel) === val;
    case 'replace': {
      const caps = cfg.regex.capture(val);
      if (caps === undefined) return true;
      const target = expandTemplate(cfg.targetLabel, caps);
      if (!isValidLabelName(target)) return true;
      // An empty result deletes the label (LabelsBuilder.set does so for '').
      lb.set(target, expandTemplate(cfg.replacement, caps));
      return true;
    }
    case 'lowercase':
      lb.set(cfg.targetLabel, goToLower(val));
      return true;
    case 'uppercase':
      lb.set(cfg.targetLabel, goToUpper(val));
      return true;
    case 'hashmod':
      lb.set(cfg.targetLabel, hashMod(val, cfg.modulus));
      return true;
    case 'labelmap': {
      // Snapshot first: names added by this rule are not themselves mapped.
      const pairs: [string, string][] = [];
      lb.forEach((n, v) => pairs.push([n, v]));
      for (const [name, value] of pairs) {
        const caps = cfg.regex.capture(name);
        if (caps === undefined) continue;
        const target = expandTemplate(cfg.replacement, caps);
        // Prometheus would set an empty name here; Vigil never creates one.
        if (isValidLabelName(target)) lb.set(target, value);
      }
      return true;
    }
    case 'labeldrop':
      lb.retain((n) => !cfg.regex.matches(n));
      return true;
    case 'labelkeep':
      lb.retain((n) => cfg.regex.matches(n));
      return true;
  }
}

function sourceValue(lb: LabelsBuilder, cfg: RelabelConfig): string {
  const names = cfg.sourceLabels;
  if (names.length === 0) return '';
  if (names.length === 1) return lb.get(names[0]);
  let out = lb.get(names[0]);
  for (let i = 1; i < names.length; i++) out += cfg.separator + lb.get(names[i]);
  return out;
}

/**
 * Prometheus' hashmod: the md5 of the UTF-8 value, its last 8 bytes read as a big-endian uint64,
 * modulo `modulus`. BigInt because the value needs all 64 bits.
 */
export function hashMod(value: string, modulus: number): string {
  const sum = createHash('md5').update(value, 'utf8').digest();
  return (sum.readBigUInt64BE(8) % BigInt(modulus)).toString();
}
