/** Requests to the server's `/api/v1`, answered in Prometheus' envelope. */
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { APIResponse } from '../lib/api-types.js';
import { basePath } from '../router.js';

/** A failed request: the API's `errorType` and message, or a network/HTTP failure. */
export class APIError extends Error {
  constructor(
    message: string,
    readonly errorType: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'APIError';
  }
}

export interface APIResult<T> {
  data: T;
  warnings: string[];
  infos: string[];
}

export type Params = Record<string, string | string[] | undefined>;

export function apiURL(path: string, params: Params = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined) continue;
    for (const one of Array.isArray(v) ? v : [v]) q.append(k, one);
  }
  const s = q.toString();
  return `${basePath}/api/v1${path}${s === '' ? '' : `?${s}`}`;
}

/** GETs an API path; throws `APIError` for an error envelope or a non-JSON answer. */
export async function fetchAPI<T>(
  path: string,
  params?: Params,
  signal?: AbortSignal,
): Promise<APIResult<T>> {
  const res = await fetch(apiURL(path, params), { signal, headers: { Accept: 'application/json' } });
  let body: APIResponse<T>;
  try {
    body = (await res.json()) as APIResponse<T>;
  } catch {
    throw new APIError(`HTTP ${res.status} ${res.statusText}: not a JSON answer`, 'http', res.status);
  }
  if (body.status !== 'success') {
    throw new APIError(body.error ?? `HTTP ${res.status}`, body.errorType ?? 'unknown', res.status);
  }
  return { data: body.data, warnings: body.warnings ?? [], infos: body.infos ?? [] };
}

export type Loadable<T> =
  { state: 'loading' } | { state: 'error'; error: string } | ({ state: 'ok' } & APIResult<T>);

/** Loads an API path when mounted (and on `reload()`), aborting on unmount. */
export function useAPI<T>(path: string, params?: Params): [Loadable<T>, () => void] {
  const [result, setResult] = useState<Loadable<T>>({ state: 'loading' });
  const [tick, setTick] = useState(0);
  const key = JSON.stringify(params ?? {});
  useEffect(() => {
    const ctl = new AbortController();
    fetchAPI<T>(path, JSON.parse(key) as Params, ctl.signal).then(
      (r) => setResult({ state: 'ok', ...r }),
      (e: unknown) => {
        if (!ctl.signal.aborted) setResult({ state: 'error', error: errorText(e) });
      },
    );
    return () => ctl.abort();
  }, [path, key, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return [result, reload];
}

export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
