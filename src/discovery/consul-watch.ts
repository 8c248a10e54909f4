/**
 * One Consul blocking-query watch: query, hand over the value when the index moved, repeat no faster
 * than the refresh interval, back off after failures, until the signal aborts.
 */
import { abortableSleep } from './abortable-sleep.js';

/** The answer of one blocking query: Consul's `X-Consul-Index` and the decoded body. */
export interface BlockingAnswer<T> {
  readonly index: number;
  readonly value: T;
}

/** Timing of {@link runWatch}, in milliseconds. */
export interface WatchTiming {
  /** Least time from one request's start to the next one's. */
  refreshIntervalMs: number;
  /** First delay after a failure; doubles after each further failure. */
  retryIntervalMs: number;
  /** Longest delay after a failure. */
  maxBackoffMs: number;
}

/**
 * Runs `query(index)` until `signal` aborts. The first answer and every answer whose index differs
 * from the previous one go to `onValue` (awaited); an index that went backwards resets the watch to
 * index 0, as Consul's documentation asks. Failures go to `onError` (not called once aborted).
 * Resolves when the loop has stopped; never rejects unless `onValue` or `onError` throws.
 */
export async function runWatch<T>(
  signal: AbortSignal,
  timing: WatchTiming,
  query: (index: number) => Promise<BlockingAnswer<T>>,
  onValue: (value: T) => void | Promise<void>,
  onError: (err: unknown) => void,
): Promise<void> {
  let index = 0;
  let first = true;
  let backoff = timing.retryIntervalMs;
  while (!signal.aborted) {
    const started = Date.now();
    let answer: BlockingAnswer<T>;
    try {
      answer = await query(index);
    } catch (err) {
      if (signal.aborted) break;
      onError(err);
      await abortableSleep(backoff, signal).done;
      backoff = Math.min(backoff * 2, timing.maxBackoffMs);
      continue;
    }
    if (signal.aborted) break;
    backoff = timing.retryIntervalMs;
    if (first || answer.index !== index) {
      first = false;
      index = answer.index < index ? 0 : answer.index;
      await onValue(answer.value);
    }
    const rest = timing.refreshIntervalMs - (Date.now() - started);
    if (rest > 0) await abortableSleep(rest, signal).done;
  }
}
