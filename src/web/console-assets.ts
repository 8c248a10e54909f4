/**
 * The web console's files from its build directory: assets by path, and `index.html` for the
 * console's own routes (a single-page app). Without a build, those routes get a short page
 * saying so.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';

/** The console's client-side routes (Prometheus 3's UI paths), all answered with `index.html`. */
export const CONSOLE_ROUTES: readonly string[] = [
  '/',
  '/query',
  '/alerts',
  '/targets',
  '/rules',
  '/service-discovery',
  '/status',
  '/tsdb-status',
  '/flags',
  '/config',
  '/alertmanager-discovery',
];

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** A file to send. */
export interface Asset {
  readonly contentType: string;
  readonly body: Buffer | string;
  /** Hashed build assets may be cached for long; index.html never. */
  readonly cacheControl: string;
}

/** Values substituted into `index.html` (Prometheus' placeholders). */
export interface IndexValues {
  readonly title: string;
  readonly ready: boolean;
  /** Seconds. */
  readonly lookbackDelta: number;
}

const NOT_BUILT =
  '<!doctype html><html><head><meta charset="utf-8"><title>Vigil</title></head><body>' +
  '<p>The Vigil web console is not built. The HTTP API is available under <code>api/v1/</code>.</p>' +
  '</body></html>\n';

/** Reads console files from `dir` (read once, then served from memory). */
export class ConsoleAssets {
  readonly #dir: string;
  readonly #cache = new Map<string, Buffer | null>();

  constructor(dir: string) {
    this.#dir = path.resolve(dir);
  }

  /** The asset for a request path (below the route prefix), or undefined when there is none. */
  async find(urlPath: string, index: IndexValues): Promise<Asset | undefined> {
    if (CONSOLE_ROUTES.includes(urlPath)) {
      const html = await this.#read('index.html');
      if (html === null)
        return { contentType: CONTENT_TYPES['.html'], body: NOT_BUILT, cacheControl: 'no-cache' };
      return {
        contentType: CONTENT_TYPES['.html'],
        body: fillIndex(html.toString('utf8'), index),
        cacheControl: 'no-cache',
      };
    }
    let rel: string;
    try {
      rel = decodeURIComponent(urlPath).replace(/^\/+/, '');
    } catch {
      return undefined;
    }
    const file = path.resolve(this.#dir, rel);
    // Never outside the build directory (`..`, encoded or not).
    if (rel === '' || !file.startsWith(this.#dir + path.sep)) return undefined;
    const body = await this.#read(path.relative(this.#dir, file));
    if (body === null) return undefined;
    const contentType = CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
    const cacheControl = rel.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
    return { contentType, body, cacheControl };
  }

  async #read(rel: string): Promise<Buffer | null> {
    const hit = this.#cache.get(rel);
    if (hit !== undefined) return hit;
    const file = path.join(this.#dir, rel);
    let data: Buffer | null = null;
    try {
      if ((await stat(file)).isFile()) data = await readFile(file);
    } catch {
      data = null;
    }
    // Misses are not cached: the console may be built while the server runs.
    if (data !== null) this.#cache.set(rel, data);
    return data;
  }
}

function escapeHtml(s: string): string {
  return s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
}

/** Fills Prometheus' `index.html` placeholders, when the build has them. */
function fillIndex(html: string, v: IndexValues): string {
  return html
    .replaceAll('TITLE_PLACEHOLDER', escapeHtml(v.title))
    .replaceAll('READY_PLACEHOLDER', String(v.ready))
    .replaceAll('AGENT_MODE_PLACEHOLDER', 'false')
    .replaceAll('LOOKBACKDELTA_PLACEHOLDER', `${v.lookbackDelta}s`);
}
