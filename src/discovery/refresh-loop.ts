/**
 * The loop shared by polling discoverers (HTTP, DNS): refresh, emit what changed, sleep, repeat
 * until the signal aborts.
 */
import { abortableSleep } from './abortable-sleep.js';
import type { EmitGroups, TargetGroup } from './discoverer.js';
import { GroupTracker } from './group-tracker.js';

/**
 * Runs `refresh` every `intervalMs` until `signal` aborts. `refresh` returns the full current state,
 * or `undefined` when it failed and the last state stands (it logs the failure itself). The first
 * successful refresh is always emitted, later ones only when something changed.
 */
export async function runRefreshLoop(
  signal: AbortSignal,
  emit: EmitGroups,
  intervalMs: number,
  refresh: () => Promise<TargetGroup[] | undefined>,
): Promise<void> {
  const tracker = new GroupTracker();
  let first = true;
  while (!signal.aborted) {
    const groups = await refresh();
    if (signal.aborted) break;
    if (groups !== undefined) {
      const changed = tracker.update(groups);
      if (first || changed.length > 0) emit(changed);
      first = false;
    }
    await abortableSleep(intervalMs, signal).done;
  }
}
