/** A minimal client of Consul's HTTP API: blocking GETs with the options every query shares. */
import type { BlockingAnswer } from './consul-watch.js';
import type { ConsulOptions } from './consul-options.js';
import { DiscoveryError } from './errors.js';

/**
 * Sends blocking queries to one Consul server. Each call adds `dc`, `stale`, `ns`, `partition`,
 * `node-meta`, the token (`X-Consul-Token`) and basic auth from the options.
 */
export class ConsulClient {
  readonly #opts: ConsulOptions;
  readonly #base: string;

  /** Throws a `DiscoveryError` (`ERR_SD_INVALID_URL`) for a bad scheme or server. */
  constructor(opts: ConsulOptions) {
    this.#opts = opts;
    if (opts.scheme !== 'http' && opts.scheme !== 'https') {
      throw new DiscoveryError(
        'ERR_SD_INVALID_URL',
        `Consul scheme must be http or https, got "${opts.scheme}"`,
      );
    }
    const prefix = opts.pathPrefix.replace(/\/+$/, '');
    this.#base = `${opts.scheme}://${opts.server}${prefix === '' || prefix.startsWith('/') ? '' : '/'}${prefix}`;
    try {
      new URL(this.#base);
    } catch (err) {
      throw new DiscoveryError('ERR_SD_INVALID_URL', `invalid Consul server "${opts.server}"`, {
        cause: err,
      });
    }
  }

  /**
   * GETs `path` with `params`, blocking while Consul's index equals `index` (when non-zero). Returns
   * the index and the body decoded by `decode`; throws a `DiscoveryError` for a failed request, a
   * status other than 200, a missing index or an invalid body.
   */
  async get<T>(
    path: string,
    params: [string, string][],
    index: number,
    signal: AbortSignal,
    decode: (doc: unknown) => T,
  ): Promise<BlockingAnswer<T>> {
    const o = this.#opts;
    const q = new URLSearchParams(params);
    if (o.datacenter !== '') q.append('dc', o.datacenter);
    if (o.allowStale) q.append('stale', '');
    if (o.namespace !== '') q.append('ns', o.namespace);
    if (o.partition !== '') q.append('partition', o.partition);
    for (const [k, v] of Object.entries(o.nodeMeta)) q.append('node-meta', `${k}:${v}`);
    if (index > 0) {
      q.append('index', String(index));
      q.append('wait', `${Math.ceil(o.watchTimeoutMs / 1000)}s`);
    }
    const headers: Record<string, string> = { accept: 'application/json' };
    if (o.token !== '') headers['x-consul-token'] = o.token;
    if (o.username !== '') {
      headers['authorization'] = `Basic ${Buffer.from(`${o.username}:${o.password}`).toString('base64')}`;
    }
    // Consul adds up to wait/16 of jitter to a blocking query; allow that plus some slack.
    const timeout = AbortSignal.timeout(o.watchTimeoutMs + o.watchTimeoutMs / 16 + 10_000);
    const url = `${this.#base}${path}?${q.toString().replace(/stale=(&|$)/, 'stale$1')}`;
    const res = await fetch(url, { headers, signal: AbortSignal.any([signal, timeout]) });
    const body = await res.text();
    if (res.status !== 200) {
      throw new DiscoveryError(
        'ERR_SD_HTTP_STATUS',
        `GET ${path}: Consul returned HTTP status ${res.status}`,
      );
    }
    const rawIndex = res.headers.get('x-consul-index') ?? '';
    if (!/^\d+$/.test(rawIndex)) {
      throw new DiscoveryError('ERR_SD_CONSUL_RESPONSE', `GET ${path}: missing or invalid X-Consul-Index`);
    }
    let doc: unknown;
    try {
      doc = JSON.parse(body) as unknown;
    } catch (err) {
      throw new DiscoveryError(
        'ERR_SD_CONSUL_RESPONSE',
        `GET ${path}: parse response: ${(err as Error).message}`,
        {
          cause: err,
        },
      );
    }
    return { index: Number(rawIndex), value: decode(doc) };
  }
}
