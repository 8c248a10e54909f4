/**
 * Decoding of `<static_config>` lists (`[{targets: [...], labels: {...}}]`) as found in file SD
 * files and HTTP SD answers. Input is untrusted and checked field by field.
 */
import { Labels, LabelsBuilder } from '../model/labels.js';
import { ADDRESS_LABEL } from './discoverer.js';
import type { TargetGroup } from './discoverer.js';
import { DiscoveryError } from './errors.js';

/** One static config in its plain form, as written in `prometheus.yml`. */
export interface StaticConfig {
  targets: string[];
  labels?: Record<string, string>;
}

/**
 * Builds a target group. `source` names it; `extra` labels (such as `__meta_filepath`) are added to
 * the group labels. Throws a {@link DiscoveryError} for an invalid target.
 */
export function staticGroup(
  source: string,
  config: StaticConfig,
  extra?: Readonly<Record<string, string>>,
): TargetGroup {
  const targets: Labels[] = [];
  for (const address of config.targets) {
    checkAddress(address);
    targets.push(Labels.fromPairs([ADDRESS_LABEL, address]));
  }
  const b = new LabelsBuilder();
  const labels = config.labels ?? {};
  for (const name of Object.keys(labels)) b.set(name, labels[name]);
  if (extra !== undefined) for (const name of Object.keys(extra)) b.set(name, extra[name]);
  return { source, targets, labels: b.labels() };
}

/**
 * Decodes a parsed JSON or YAML document holding a list of static configs. Group `i` gets the
 * source `${sourcePrefix}:${i}`, as Prometheus names them. Throws a {@link DiscoveryError}.
 */
export function decodeStaticConfigs(
  doc: unknown,
  sourcePrefix: string,
  extra?: Readonly<Record<string, string>>,
): TargetGroup[] {
  // An empty YAML file parses to null: no groups, as in Prometheus.
  if (doc === null || doc === undefined) return [];
  if (!Array.isArray(doc)) throw invalid('expected a list of target groups');
  const groups: TargetGroup[] = [];
  for (let i = 0; i < doc.length; i++) {
    const config = decodeOne(doc[i] as unknown, i);
    groups.push(staticGroup(`${sourcePrefix}:${i}`, config, extra));
  }
  return groups;
}

function decodeOne(item: unknown, i: number): StaticConfig {
  if (!isRecord(item)) throw invalid(`group ${i}: expected an object`);
  for (const key of Object.keys(item)) {
    if (key !== 'targets' && key !== 'labels') throw invalid(`group ${i}: unknown field "${key}"`);
  }
  const rawTargets = item['targets'];
  const targets: string[] = [];
  if (rawTargets !== undefined && rawTargets !== null) {
    if (!Array.isArray(rawTargets)) throw invalid(`group ${i}: "targets" must be a list of strings`);
    for (const t of rawTargets as unknown[]) {
      if (typeof t !== 'string') throw invalid(`group ${i}: "targets" must be a list of strings`);
      targets.push(t);
    }
  }
  const rawLabels = item['labels'];
  const labels: Record<string, string> = {};
  if (rawLabels !== undefined && rawLabels !== null) {
    if (!isRecord(rawLabels)) throw invalid(`group ${i}: "labels" must be a map of strings`);
    for (const name of Object.keys(rawLabels)) {
      const v = rawLabels[name];
      if (typeof v !== 'string') throw invalid(`group ${i}: label "${name}" must be a string`);
      if (name === '') throw invalid(`group ${i}: empty label name`);
      labels[name] = v;
    }
  }
  return { targets, labels };
}

function checkAddress(address: string): void {
  if (address === '') throw invalid('empty target address');
  // Prometheus rejects a URL in place of host:port.
  if (address.includes('/')) throw invalid(`"${address}" is not a valid hostname`);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function invalid(message: string): DiscoveryError {
  return new DiscoveryError('ERR_SD_INVALID_GROUPS', message);
}
