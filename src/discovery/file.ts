/**
 * `file_sd_configs`: target groups read from JSON and YAML files, re-read when the files' directories
 * change (fs.watch) and, as a fallback, every refresh interval.
 */
import { watch } from 'node:fs';
import type { FSWatcher } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { Logger } from '../util/logger.js';
import { noopLogger } from '../util/logger.js';
import { abortableSleep } from './abortable-sleep.js';
import type { Discoverer, EmitGroups, TargetGroup } from './discoverer.js';
import { DiscoveryError } from './errors.js';
import { compileGlob, hasGlobMeta } from './glob.js';
import { GroupTracker } from './group-tracker.js';
import { decodeStaticConfigs } from './static-config.js';

/** The meta label naming the file a target came from. */
export const META_FILEPATH = '__meta_filepath';

/** Paths Prometheus accepts: a `*` only in the last element, and a JSON or YAML extension. */
const FILE_PATTERN = /^[^*]*(\*[^/]*)?\.(json|yml|yaml|JSON|YML|YAML)$/;

/** Options of {@link FileDiscoverer}: one `<file_sd_config>`. */
export interface FileOptions {
  /** File paths; the last path element may be a glob (`targets/*.json`). Extensions: .json, .yml, .yaml. */
  files: string[];
  /** Re-read period in milliseconds, the fallback for missed watch events (default 5m). */
  refreshIntervalMs: number;
  /** Delay in milliseconds that coalesces a burst of watch events into one re-read. */
  debounceMs: number;
}

/** Prometheus' defaults: no files, refresh every 5 minutes. */
export function defaultFileOptions(): FileOptions {
  return { files: [], refreshIntervalMs: 5 * 60_000, debounceMs: 50 };
}

/** Dependencies of {@link FileDiscoverer}. */
export interface FileDeps {
  logger: Logger;
}

interface Pattern {
  dir: string;
  match: (name: string) => boolean;
}

/**
 * Discovers targets from files. Groups have the source `<path>:<index>` and the label
 * `__meta_filepath`. A file that fails to read or parse is logged and its last good groups are
 * kept; a file that disappears has its groups dropped. The constructor throws a `DiscoveryError`
 * for a path pattern Prometheus would reject.
 */
export class FileDiscoverer implements Discoverer {
  readonly #opts: FileOptions;
  readonly #logger: Logger;
  readonly #patterns: Pattern[];
  /** path → last good groups of that file. */
  readonly #byFile = new Map<string, TargetGroup[]>();
  readonly #tracker = new GroupTracker();
  readonly #watchers = new Map<string, FSWatcher>();

  constructor(options: Partial<FileOptions>, deps: Partial<FileDeps> = {}) {
    this.#opts = { ...defaultFileOptions(), ...options };
    this.#logger = deps.logger ?? noopLogger;
    this.#patterns = this.#opts.files.map((f) => {
      if (!FILE_PATTERN.test(f)) {
        throw new DiscoveryError(
          'ERR_SD_INVALID_PATH',
          `path "${f}" is not valid for file discovery: a glob is allowed only in the last element, which must end in .json, .yml or .yaml`,
        );
      }
      const dir = path.dirname(f);
      const base = path.basename(f);
      if (hasGlobMeta(base)) {
        const re = compileGlob(base);
        return { dir, match: (name: string) => re.test(name) };
      }
      return { dir, match: (name: string) => name === base };
    });
  }

  async run(signal: AbortSignal, emit: EmitGroups): Promise<void> {
    let pending: boolean;
    let wake: () => void = () => {};
    let debounce: NodeJS.Timeout | undefined;
    const onChange = (): void => {
      pending = true;
      clearTimeout(debounce);
      debounce = setTimeout(() => wake(), this.#opts.debounceMs);
    };
    let first = true;
    try {
      while (!signal.aborted) {
        pending = false;
        this.#ensureWatchers(onChange);
        const changed = this.#tracker.update(await this.#readAll());
        if (signal.aborted) break;
        if (first || changed.length > 0) emit(changed);
        first = false;
        if (pending) continue;
        const sleep = abortableSleep(this.#opts.refreshIntervalMs, signal);
        wake = sleep.wake;
        await sleep.done;
      }
    } finally {
      clearTimeout(debounce);
      for (const w of this.#watchers.values()) w.close();
      this.#watchers.clear();
    }
  }

  /** Watches each pattern's directory (not the files: editors and tools replace files by rename). */
  #ensureWatchers(onChange: () => void): void {
    for (const { dir } of this.#patterns) {
      if (this.#watchers.has(dir)) continue;
      try {
        const w = watch(dir, { persistent: false }, onChange);
        w.on('error', (err) => {
          this.#logger.warn('File SD watch failed', { dir, err });
          w.close();
          this.#watchers.delete(dir);
        });
        this.#watchers.set(dir, w);
      } catch (err) {
        // The directory may not exist yet; the periodic refresh retries.
        this.#logger.debug('Cannot watch directory', { dir, err: err as Error });
      }
    }
  }

  async #readAll(): Promise<TargetGroup[]> {
    const present = new Set<string>();
    for (const p of this.#patterns) {
      let names: string[];
      try {
        names = await readdir(p.dir);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
          this.#logger.error('Error reading file SD directory', { dir: p.dir, err: err as Error });
          // Keep the files we knew in this directory rather than drop their targets.
          for (const f of this.#byFile.keys()) if (path.dirname(f) === p.dir) present.add(f);
        } else {
          // A removed directory's watcher sees nothing more; watch it anew once it is back.
          this.#watchers.get(p.dir)?.close();
          this.#watchers.delete(p.dir);
        }
        continue;
      }
      for (const name of names.sort()) {
        if (!p.match(name)) continue;
        const file = path.join(p.dir, name);
        if (present.has(file)) continue;
        present.add(file);
        try {
          this.#byFile.set(file, await readGroups(file));
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
            present.delete(file);
            continue;
          }
          this.#logger.error('Error reading file SD file, keeping its last targets', {
            file,
            err: err as Error,
          });
        }
      }
    }
    const all: TargetGroup[] = [];
    for (const [file, groups] of this.#byFile) {
      if (present.has(file)) all.push(...groups);
      else this.#byFile.delete(file);
    }
    return all;
  }
}

/** Reads and decodes one file SD file. Throws a `DiscoveryError` or a file system error. */
export async function readGroups(file: string): Promise<TargetGroup[]> {
  const text = await readFile(file, 'utf8');
  const ext = path.extname(file).toLowerCase();
  let doc: unknown;
  try {
    if (ext === '.json') doc = JSON.parse(text) as unknown;
    else if (ext === '.yml' || ext === '.yaml') doc = parseYaml(text) as unknown;
    else throw new DiscoveryError('ERR_SD_READ', `unsupported file extension "${ext}"`);
  } catch (err) {
    if (err instanceof DiscoveryError) throw err;
    throw new DiscoveryError('ERR_SD_INVALID_GROUPS', `parse ${file}: ${(err as Error).message}`, {
      cause: err,
    });
  }
  return decodeStaticConfigs(doc, file, { [META_FILEPATH]: file });
}
