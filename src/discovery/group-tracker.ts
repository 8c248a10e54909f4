/**
 * Turns successive full snapshots of a discoverer's groups into the change sets that
 * `Discoverer.run` emits: changed or new groups in full, vanished groups as empty groups.
 */
import { Labels } from '../model/labels.js';
import type { TargetGroup } from './discoverer.js';

/** Remembers the last emitted state of each group by source. */
export class GroupTracker {
  /** source → canonical key of the group's content, to detect changes cheaply. */
  readonly #known = new Map<string, string>();

  /**
   * Records `groups` as the complete current state of the sources they cover plus those listed in
   * `scope` (all known sources when `scope` is omitted), and returns what changed. A source in scope
   * but absent from `groups` comes back with no targets and is forgotten.
   */
  update(groups: readonly TargetGroup[], scope?: (source: string) => boolean): TargetGroup[] {
    const changed: TargetGroup[] = [];
    const seen = new Set<string>();
    for (const g of groups) {
      seen.add(g.source);
      const key = groupKey(g);
      if (this.#known.get(g.source) === key) continue;
      this.#known.set(g.source, key);
      changed.push(g);
    }
    for (const source of [...this.#known.keys()]) {
      if (seen.has(source) || (scope !== undefined && !scope(source))) continue;
      this.#known.delete(source);
      changed.push({ source, targets: [], labels: Labels.EMPTY });
    }
    return changed;
  }
}

function groupKey(g: TargetGroup): string {
  // Labels.key is canonical and unambiguous; a newline cannot occur inside it unescaped.
  let key = g.labels.key;
  for (const t of g.targets) key += '\n' + t.key;
  return key;
}
