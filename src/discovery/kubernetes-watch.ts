/**
 * List + watch of one API collection, as client-go's reflector does: list to get the state and a
 * resource version, watch from that version, re-watch when the server ends the stream, and relist
 * when the version is gone (HTTP 410, or an `ERROR` event with code 410).
 */
import type { Logger } from '../util/logger.js';
import { abortableSleep } from './abortable-sleep.js';
import type { KubernetesClient, WatchEvent } from './kubernetes-client.js';
import { KubernetesApiError, statusError } from './kubernetes-client.js';
import { arrayField, asObject, objectField, stringField } from './kubernetes-json.js';

/** What a {@link ResourceWatch} reports to. Both are called synchronously and must not throw. */
export interface ResourceWatchHandlers<T> {
  /** The complete state after a (re)list. */
  onList(items: T[]): void;
  /** One object added or modified (`deleted` false) or deleted (`deleted` true). */
  onEvent(item: T, deleted: boolean): void;
}

/** Options of {@link ResourceWatch}. */
export interface ResourceWatchOptions<T> {
  client: KubernetesClient;
  /** The collection path, e.g. `/api/v1/namespaces/default/pods`. */
  path: string;
  /** `labelSelector` / `fieldSelector`, sent with both list and watch. */
  query: URLSearchParams;
  /** Decodes one object; throws a `DiscoveryError` when malformed. */
  parse: (v: unknown, path: string) => T;
  /** Wait after a failed list or watch before listing again, in milliseconds. */
  retryMs: number;
  logger: Logger;
}

/** Keeps a consumer in sync with one collection until the signal aborts. */
export class ResourceWatch<T> {
  readonly #o: ResourceWatchOptions<T>;
  readonly #h: ResourceWatchHandlers<T>;

  constructor(options: ResourceWatchOptions<T>, handlers: ResourceWatchHandlers<T>) {
    this.#o = options;
    this.#h = handlers;
  }

  /** Lists and watches until `signal` aborts; never rejects. Failures are logged and retried. */
  async run(signal: AbortSignal): Promise<void> {
    const { path, logger, retryMs } = this.#o;
    while (!signal.aborted) {
      try {
        const rv = await this.#list(signal);
        await this.#watch(rv, signal);
      } catch (err) {
        if (signal.aborted) break;
        if (err instanceof KubernetesApiError && err.status === 410) {
          logger.info('Resource version too old, relisting', { path, err });
          continue;
        }
        logger.error('Kubernetes list or watch failed', {
          path,
          err: err instanceof Error ? err : String(err),
        });
        await abortableSleep(retryMs, signal).done;
      }
    }
  }

  /** Lists the collection, reports it, and returns the list's resource version. */
  async #list(signal: AbortSignal): Promise<string> {
    const { client, path, query } = this.#o;
    const list = asObject(await client.get(path, query, signal), path);
    const items = arrayField(list, 'items', path, (v, p) => this.#parse(v, p));
    this.#h.onList(items.filter((x): x is T => x !== undefined));
    return stringField(objectField(list, 'metadata', path), 'resourceVersion', `${path}.metadata`);
  }

  /** Watches from `rv`, re-opening the stream when the server closes it, until an error or abort. */
  async #watch(rv: string, signal: AbortSignal): Promise<void> {
    const { client, path, query } = this.#o;
    let version = rv;
    const onEvent = (e: WatchEvent): void => {
      if (e.type === 'ERROR') throw statusError(e.object);
      const meta = objectField(e.object, 'metadata', 'watch event.object');
      const next = stringField(meta, 'resourceVersion', 'watch event.object.metadata');
      if (next !== '') version = next;
      if (e.type === 'BOOKMARK') return;
      const item = this.#parse(e.object, `${path} watch event`);
      if (item !== undefined) this.#h.onEvent(item, e.type === 'DELETED');
    };
    while (!signal.aborted) {
      const q = new URLSearchParams(query);
      q.set('resourceVersion', version);
      q.set('allowWatchBookmarks', 'true');
      let events = 0;
      await client.watch(path, q, signal, (e) => {
        events++;
        onEvent(e);
      });
      // A stream that ended without a single event: pause before re-watching, so a server (or
      // proxy) that closes watches at once does not make this a busy loop.
      if (events === 0) await abortableSleep(this.#o.retryMs, signal).done;
    }
  }

  /** Decodes an object; a malformed one is logged and skipped rather than failing the collection. */
  #parse(v: unknown, p: string): T | undefined {
    try {
      return this.#o.parse(v, p);
    } catch (err) {
      this.#o.logger.warn('Skipping malformed Kubernetes object', {
        path: p,
        err: err instanceof Error ? err : String(err),
      });
      return undefined;
    }
  }
}
