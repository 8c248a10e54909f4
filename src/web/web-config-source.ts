/**
 * The web configuration in force, re-read when its file (or a certificate, key or CA file it names)
 * changes, as exporter-toolkit re-reads it per request and connection. Checking costs a `stat` per
 * file; contents are read only when a stat changed or the file was modified in the last seconds
 * (file times are coarse: two writes in one tick can leave the same stat, git's "racy" case).
 */
import { readFileSync, statSync } from 'node:fs';
import type { Stats } from 'node:fs';
import type { Logger } from '../util/logger.js';
import { ConfigError } from '../config/error.js';
import { loadWebConfigFile } from './web-config.js';
import type { LoadedWebConfig } from './web-config.js';

/** Files modified this recently (ms) are compared by content even when their stat is unchanged. */
const RACY_WINDOW_MS = 2_000;

interface FileState {
  stat: string;
  bytes: Buffer | undefined;
}

/** The web configuration file given at start-up cannot be used; the message names file:line:col. */
export class WebConfigError extends Error {
  readonly code = 'ERR_WEB_CONFIG';
}

/** A web configuration file, loaded, and re-loaded when it changes; a broken change is ignored. */
export class WebConfigSource {
  readonly file: string;
  readonly #logger: Logger;
  #loaded: LoadedWebConfig;
  readonly #files = new Map<string, FileState>();

  private constructor(file: string, loaded: LoadedWebConfig, logger: Logger) {
    this.file = file;
    this.#loaded = loaded;
    this.#logger = logger;
    this.#track(loaded);
  }

  /** Loads `file`; throws `WebConfigError` (file:line:col) when it is unreadable or invalid. */
  static open(file: string, logger: Logger): WebConfigSource {
    try {
      return new WebConfigSource(file, loadWebConfigFile(file), logger);
    } catch (err) {
      if (err instanceof ConfigError) throw new WebConfigError(err.message, { cause: err });
      throw err;
    }
  }

  /**
   * The configuration in force, after checking the files for changes. A changed file that does not
   * load, or that would need a restart (TLS turned on or off, a client-certificate mode that changes
   * the handshake, `http2` switched under TLS), is logged at error level and the previous
   * configuration stays.
   */
  current(): LoadedWebConfig {
    if (!this.#changed()) return this.#loaded;
    let next: LoadedWebConfig;
    try {
      next = loadWebConfigFile(this.file);
      const restart = restartNeeded(this.#loaded, next);
      if (restart !== undefined) throw new ConfigError(`${this.file}: ${restart} needs a restart`);
    } catch (err) {
      // Whatever went wrong, requests go on under the previous configuration.
      this.#logger.error('Error reloading web config, keeping the previous one', {
        err: err instanceof Error ? err.message : String(err),
      });
      return this.#loaded;
    }
    this.#loaded = next;
    this.#files.clear();
    this.#track(next);
    this.#logger.info('Reloaded web config', { file: this.file });
    return next;
  }

  #track(loaded: LoadedWebConfig): void {
    for (const f of [this.file, ...(loaded.tls?.files ?? [])]) this.#files.set(f, readState(f));
  }

  /** Whether any tracked file's contents differ from what was last seen (and records them). */
  #changed(): boolean {
    let changed = false;
    const now = Date.now();
    for (const [path, seen] of this.#files) {
      const st = statOf(path);
      const stat = statKey(st);
      const racy = st !== undefined && now - st.mtimeMs < RACY_WINDOW_MS;
      if (stat === seen.stat && !racy) continue;
      const bytes = readBytes(path);
      const same = bytes === undefined ? seen.bytes === undefined : seen.bytes?.equals(bytes) === true;
      this.#files.set(path, { stat, bytes });
      if (!same) changed = true;
    }
    return changed;
  }
}

/** What in `next` cannot be applied to a running server, or undefined. */
function restartNeeded(prev: LoadedWebConfig, next: LoadedWebConfig): string | undefined {
  if ((prev.tls === undefined) !== (next.tls === undefined)) return 'turning TLS on or off';
  if (prev.tls === undefined || next.tls === undefined) return undefined;
  // The protocols ALPN offers are fixed when the server is made, as in exporter-toolkit.
  if (prev.config.http.http2 !== next.config.http.http2) return 'turning http2 on or off';
  if (
    prev.tls.requestCert !== next.tls.requestCert ||
    prev.tls.rejectUnauthorized !== next.tls.rejectUnauthorized
  )
    return 'this change of client_auth_type';
  return undefined;
}

function readState(path: string): FileState {
  return { stat: statKey(statOf(path)), bytes: readBytes(path) };
}

/** The file's stat, or undefined when it cannot be had (missing, unreadable directory). */
function statOf(path: string): Stats | undefined {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

function statKey(st: Stats | undefined): string {
  return st === undefined ? 'missing' : `${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`;
}

function readBytes(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
}
