/**
 * The discovery interfaces: a `Discoverer` finds scrape targets and reports them as target groups.
 * They mirror Prometheus' `discovery.Discoverer` and `targetgroup.Group`.
 */
import type { Labels } from '../model/labels.js';

/** The label that holds a target's `host:port`. */
export const ADDRESS_LABEL = '__address__';

/**
 * A set of targets that share labels. `source` identifies the group within its discoverer (for
 * example `file.yml:0`); a later group with the same source replaces the earlier one.
 */
export interface TargetGroup {
  /** Unique within one discoverer; stable across refreshes. */
  readonly source: string;
  /** One label set per target; each has at least `__address__`. */
  readonly targets: readonly Labels[];
  /** Labels common to all targets of the group (target labels win on conflict). */
  readonly labels: Labels;
}

/** Receives changed target groups from a running discoverer. */
export type EmitGroups = (groups: TargetGroup[]) => void;

/**
 * Finds targets. `run` keeps discovering until `signal` aborts, then resolves once everything it
 * started (timers, watchers, requests) has stopped; it does not reject for discovery failures, which
 * it logs while keeping the last good targets.
 *
 * `emit` receives the full state of each group that changed since the previous call. A group that
 * disappeared is sent once with no targets so the consumer drops it. The first call after start
 * carries every group known at that time (possibly none). `emit` is called synchronously and must
 * not throw; a discoverer is run at most once.
 */
export interface Discoverer {
  run(signal: AbortSignal, emit: EmitGroups): Promise<void>;
}
