/**
 * Cooperative time slicing: long loops call `maybeYield()` after each unit of work and give the
 * event loop a turn once `sliceMs` of synchronous work has passed, so scrapes and queries are
 * never held up by more than about one slice.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { performance } from 'node:perf_hooks';

/** Yields to the event loop every `sliceMs` milliseconds of work. */
export class Slicer {
  private last = performance.now();
  /** Number of times it yielded, for tests and metrics. */
  yields = 0;

  constructor(
    private readonly sliceMs: number,
    private readonly signal?: AbortSignal,
  ) {}

  /** Yields when the current slice is used up; throws the signal's reason once aborted. */
  async maybeYield(): Promise<void> {
    if (performance.now() - this.last < this.sliceMs) return;
    // A macrotask, not a microtask: awaiting a resolved promise would not let timers or I/O run.
    await nextTurn();
    this.yields++;
    this.signal?.throwIfAborted();
    this.last = performance.now();
  }
}
