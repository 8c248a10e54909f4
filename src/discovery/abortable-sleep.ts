/** A timer that ends early, without throwing, when a signal aborts. */

/**
 * Resolves after `ms` milliseconds, or as soon as `signal` aborts (also when already aborted).
 * Also resolves early when `wake` is called, which file SD uses to react to watch events.
 */
export function abortableSleep(ms: number, signal: AbortSignal): { done: Promise<void>; wake: () => void } {
  let wake: () => void = () => {};
  const done = new Promise<void>((resolve) => {
    if (signal.aborted) {
      resolve();
      return;
    }
    const finish = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', finish);
      resolve();
    };
    const timer = setTimeout(finish, ms);
    signal.addEventListener('abort', finish, { once: true });
    wake = finish;
  });
  return { done, wake: () => wake() };
}
