/** `http_sd_configs`: target groups fetched from an HTTP endpoint (see http_sd.md). */
import type { Logger } from '../util/logger.js';
import { noopLogger } from '../util/logger.js';
import type { Discoverer, EmitGroups, TargetGroup } from './discoverer.js';
import { DiscoveryError } from './errors.js';
import { runRefreshLoop } from './refresh-loop.js';
import { decodeStaticConfigs } from './static-config.js';

/** The meta label naming the URL a target came from. */
export const META_URL = '__meta_url';

/** Options of {@link HttpDiscoverer}: one `<http_sd_config>` (without auth and TLS, for now). */
export interface HttpOptions {
  /** The endpoint to GET. */
  url: string;
  /** Poll period in milliseconds (default 60s); also sent in `X-Prometheus-Refresh-Interval-Seconds`. */
  refreshIntervalMs: number;
  /** Request timeout in milliseconds; defaults to the refresh interval. */
  timeoutMs?: number;
}

/** Prometheus' defaults: refresh every minute. */
export function defaultHttpOptions(): HttpOptions {
  return { url: '', refreshIntervalMs: 60_000 };
}

/** Dependencies of {@link HttpDiscoverer}. */
export interface HttpDeps {
  logger: Logger;
}

/**
 * Polls an HTTP SD endpoint. Groups have the source `<url>:<index>` and the label `__meta_url`. A
 * failed request, a status other than 200, a content type other than JSON or an invalid body is
 * logged and the last targets kept. The constructor throws a `DiscoveryError` for an invalid URL.
 */
export class HttpDiscoverer implements Discoverer {
  readonly #opts: HttpOptions;
  readonly #logger: Logger;

  constructor(options: Partial<HttpOptions> & { url: string }, deps: Partial<HttpDeps> = {}) {
    this.#opts = { ...defaultHttpOptions(), ...options };
    this.#logger = deps.logger ?? noopLogger;
    let parsed: URL;
    try {
      parsed = new URL(this.#opts.url);
    } catch (err) {
      throw new DiscoveryError('ERR_SD_INVALID_URL', `invalid URL "${this.#opts.url}"`, { cause: err });
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new DiscoveryError(
        'ERR_SD_INVALID_URL',
        `URL scheme must be http or https, got "${parsed.protocol}"`,
      );
    }
  }

  run(signal: AbortSignal, emit: EmitGroups): Promise<void> {
    return runRefreshLoop(signal, emit, this.#opts.refreshIntervalMs, async () => {
      try {
        return await this.fetchGroups(signal);
      } catch (err) {
        if (!signal.aborted) {
          this.#logger.error('Unable to refresh HTTP SD targets', { url: this.#opts.url, err: err as Error });
        }
        return undefined;
      }
    });
  }

  /** Fetches and decodes the target groups once. Throws on any failure. */
  async fetchGroups(signal: AbortSignal): Promise<TargetGroup[]> {
    const { url, refreshIntervalMs } = this.#opts;
    const timeout = AbortSignal.timeout(this.#opts.timeoutMs ?? refreshIntervalMs);
    const res = await fetch(url, {
      method: 'GET',
      headers: {
        accept: 'application/json',
        'x-prometheus-refresh-interval-seconds': String(refreshIntervalMs / 1000),
      },
      signal: AbortSignal.any([signal, timeout]),
    });
    const body = await res.text();
    if (res.status !== 200) {
      throw new DiscoveryError('ERR_SD_HTTP_STATUS', `server returned HTTP status ${res.status}`);
    }
    const type = res.headers.get('content-type') ?? '';
    if (!/^application\/json\s*(;|$)/i.test(type)) {
      throw new DiscoveryError('ERR_SD_HTTP_CONTENT_TYPE', `unsupported content type "${type}"`);
    }
    let doc: unknown;
    try {
      doc = JSON.parse(body) as unknown;
    } catch (err) {
      throw new DiscoveryError('ERR_SD_INVALID_GROUPS', `parse response: ${(err as Error).message}`, {
        cause: err,
      });
    }
    if (doc === null) throw new DiscoveryError('ERR_SD_INVALID_GROUPS', 'expected a list of target groups');
    return decodeStaticConfigs(doc, url, { [META_URL]: url });
  }
}
