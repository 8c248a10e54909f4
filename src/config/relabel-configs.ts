/** Decoding `relabel_configs` (and their metric, alert and write variants) into compiled rules. */
import { isRelabelAction, makeRelabelConfig, RelabelConfigError } from '../relabel/index.js';
import type { RelabelConfig, RelabelConfigInput } from '../relabel/index.js';
import type { Decoder, YamlNode } from './decoder.js';

/** A list of relabel rules; each is validated and its regex compiled. */
export function decodeRelabelConfigs(d: Decoder, node: YamlNode): RelabelConfig[] {
  return d.list(node, '[]*relabel.Config', (n) => decodeRelabelConfig(d, n));
}

function decodeRelabelConfig(d: Decoder, node: YamlNode): RelabelConfig {
  const input: RelabelConfigInput = {};
  let regexNode: YamlNode;
  d.struct(node, 'relabel.Config', {
    source_labels: (v) => (input.sourceLabels = d.labelNames(v)),
    separator: (v) => (input.separator = d.string(v)),
    regex: (v) => {
      regexNode = v;
      // `regex:` with no value keeps the default, as in Prometheus.
      if (d.isSet(v)) input.regex = d.string(v);
    },
    modulus: (v) => (input.modulus = d.uint(v)),
    target_label: (v) => (input.targetLabel = d.string(v)),
    replacement: (v) => (input.replacement = d.string(v)),
    action: (v) => {
      const a = d.string(v).toLowerCase();
      if (!isRelabelAction(a)) throw d.error(v, `unknown relabel action "${d.string(v)}"`);
      input.action = a;
    },
  });
  try {
    return d.regex(regexNode ?? node, () => makeRelabelConfig(input, d.scheme));
  } catch (e) {
    if (e instanceof RelabelConfigError) throw d.error(node, e.message, e);
    throw e;
  }
}
