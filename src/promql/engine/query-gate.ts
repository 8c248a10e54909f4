/**
 * The query gate: at most `max` queries evaluate at once (`--query.max-concurrency`, default 20);
 * the rest wait in arrival order. A waiter whose signal aborts leaves the queue with Prometheus'
 * error ("query timed out in query queue" / "query was canceled in query queue").
 */
import { abortedError } from './errors.js';

interface Waiter {
  grant: () => void;
}

/** A counting semaphore with a FIFO queue of waiters. */
export class QueryGate {
  #active = 0;
  readonly #queue: Waiter[] = [];

  /** `max` is the number of queries that may run at once (at least 1). */
  constructor(readonly max: number) {
    if (!(Number.isInteger(max) && max >= 1)) throw new RangeError(`query gate size must be ≥ 1, got ${max}`);
  }

  /** Queries running now. */
  get active(): number {
    return this.#active;
  }

  /** Queries waiting for a slot. */
  get waiting(): number {
    return this.#queue.length;
  }

  /**
   * Waits for a slot and returns the function that gives it back (call it exactly once, in a
   * `finally`). Rejects with a `QueryTimeoutError`/`QueryCanceledError` if `signal` aborts first.
   */
  acquire(signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(abortedError(signal, 'query queue'));
    if (this.#active < this.max) {
      this.#active++;
      return Promise.resolve(this.#releaser());
    }
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        const i = this.#queue.indexOf(waiter);
        if (i >= 0) this.#queue.splice(i, 1);
        if (signal !== undefined) reject(abortedError(signal, 'query queue'));
      };
      const waiter: Waiter = {
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve(this.#releaser());
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#queue.push(waiter);
    });
  }

  #releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#queue.shift();
      // The slot passes straight to the next waiter, so `active` stays as it is.
      if (next !== undefined) next.grant();
      else this.#active--;
    };
  }
}
