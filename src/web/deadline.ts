/**
 * Query cancellation for timeouts and departed clients. The engine polls `signal.aborted` between
 * steps; while the engine is synchronous no timer can fire during a query, so the signal returned
 * here also checks the clock each time it is read. Once the engine yields to the event loop, the
 * same signal keeps working through its ordinary timer.
 */

/** Why a query's signal fired. */
export type AbortCause = 'timeout' | 'canceled';

/** A signal plus the means to learn why it fired and to release its timer. */
export interface QueryDeadline {
  readonly signal: AbortSignal;
  /** `timeout` when the deadline passed, `canceled` when `cancel()` was called, else undefined. */
  cause(): AbortCause | undefined;
  /** Aborts as canceled (the client went away). */
  cancel(): void;
  /** Clears the timer; call when the query is over. */
  dispose(): void;
}

/** A deadline `timeoutMs` from now, measured with `now`. */
export function queryDeadline(timeoutMs: number, now: () => number = Date.now): QueryDeadline {
  const controller = new AbortController();
  const signal = controller.signal;
  const deadline = now() + timeoutMs;
  let cause: AbortCause | undefined;
  const fire = (c: AbortCause): void => {
    if (cause !== undefined) return;
    cause = c;
    controller.abort(c === 'timeout' ? 'query timed out' : 'query canceled');
  };
  // An own getter shadows AbortSignal.prototype.aborted: reading it checks the clock first, then
  // asks the prototype's getter (Reflect.get with the signal as receiver).
  Object.defineProperty(signal, 'aborted', {
    configurable: true,
    get(): boolean {
      if (cause === undefined && now() >= deadline) fire('timeout');
      return Boolean(Reflect.get(AbortSignal.prototype, 'aborted', signal));
    },
  });
  const timer = setTimeout(() => fire('timeout'), Math.max(0, timeoutMs));
  timer.unref();
  return {
    signal,
    cause: () => cause,
    cancel: () => fire('canceled'),
    dispose: () => clearTimeout(timer),
  };
}
