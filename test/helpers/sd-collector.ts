/** A test consumer of `Discoverer.run`: applies emitted groups to a state and waits for conditions. */
import type { EmitGroups, TargetGroup } from '../../src/discovery/discoverer.js';

/** Collects the current groups of one discoverer, as a consumer would. */
export class GroupCollector {
  /** source → group; emptied groups are removed. */
  readonly groups = new Map<string, TargetGroup>();
  /** Number of `emit` calls so far. */
  emits = 0;
  #waiters: (() => void)[] = [];

  /** The function to pass to `run`. */
  readonly emit: EmitGroups = (groups) => {
    this.emits++;
    for (const g of groups) {
      if (g.targets.length === 0) this.groups.delete(g.source);
      else this.groups.set(g.source, g);
    }
    for (const w of this.#waiters.splice(0)) w();
  };

  /** All target addresses, sorted. */
  addresses(): string[] {
    const out: string[] = [];
    for (const g of this.groups.values()) for (const t of g.targets) out.push(t.get('__address__'));
    return out.sort();
  }

  /** Resolves once `cond()` holds; rejects after `timeoutMs` with `what`. */
  async waitFor(what: string, cond: () => boolean, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!cond()) {
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(`timed out waiting for ${what}; have ${JSON.stringify(this.addresses())}`);
      await new Promise<void>((resolve) => {
        // Also poll: some conditions (such as a logged error) change without an emit.
        const timer = setTimeout(resolve, Math.min(left, 20));
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
}
