/** Appends records to a segmented WAL in Prometheus' format. */
import { writevSync } from 'node:fs';
import { mkdir, open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../../util/logger.js';
import { compress } from 'snappyjs';
import { crc32c } from '../encoding/crc32c.js';
import {
  DEFAULT_SEGMENT_SIZE,
  FRAGMENT_HEADER_SIZE,
  FragmentType,
  PAGE_SIZE,
  SNAPPY_FLAG,
  listSegments,
  recordSpan,
  segmentName,
} from './format.js';

/**
 * When the writer calls `fsync`.
 *
 * - `always`: every `log()` resolves only after its bytes and an fsync reached the disk. Safe
 *   against a process crash and against power loss (as far as the disk honours fsync).
 * - `batch`: fsync at most once per `fsyncIntervalMs` (a timer syncs the tail of a quiet period),
 *   and on rotation and close. `log()` always hands bytes to the kernel before resolving, so a
 *   process crash loses nothing; a power loss may lose up to the last interval.
 * - `never`: fsync only on rotation and close (Prometheus' behaviour). Safe against a process
 *   crash; a power loss may lose everything written since the last rotation.
 */
export type FsyncPolicy = 'always' | 'batch' | 'never';

/** Options of a {@link WalWriter}. */
export interface WalWriterOptions {
  /** Maximum segment size in bytes; a record bigger than a segment gets a segment of its own. */
  segmentSize: number;
  /** When to fsync; see {@link FsyncPolicy}. */
  fsync: FsyncPolicy;
  /** Minimum time between fsyncs under the `batch` policy. */
  fsyncIntervalMs: number;
  /**
   * Snappy-compress records (block format, the fragment's snappy flag set), as Prometheus'
   * `--storage.tsdb.wal-compression` does; a record that does not shrink is stored plain.
   */
  compress: boolean;
}

/** Bytes of a writer's framing arena (see `#arena`): a few hundred scrapes' records. */
const ARENA_BYTES = 1024 * 1024;

/** Default writer options: 128 MiB segments, `batch` fsync every second. */
export function defaultWalWriterOptions(): WalWriterOptions {
  return { segmentSize: DEFAULT_SEGMENT_SIZE, fsync: 'batch', fsyncIntervalMs: 1000, compress: false };
}

/** Dependencies of a {@link WalWriter}. */
export interface WalWriterDeps {
  /** Receives rotation and close messages. */
  logger: Logger;
}

/**
 * Appends records to `dir/<segment>` files. Opening always starts a new segment after the last
 * existing one (as Prometheus does), so a previous partial page is never rewritten. Calls to
 * `log()` may overlap; they are written in call order. Not safe across processes.
 */
export class WalWriter {
  readonly #dir: string;
  readonly #opts: WalWriterOptions;
  readonly #logger: Logger;
  #fh: FileHandle | undefined;
  #segment: number;
  /** The segment the next encoded byte goes to (ahead of `#segment` while rotations are queued). */
  #encSegment: number;
  #offset = 0;
  #lastSync = 0;
  #tail: Promise<void> = Promise.resolve();
  #timer: NodeJS.Timeout | undefined;
  #failed: Error | undefined;
  /** Batches logged but not yet handed to a write call, in order. */
  #waiting: { parts: (Uint8Array | null)[]; resolve: () => void; reject: (err: unknown) => void }[] = [];
  /**
   * Where records are framed, views of it queued until written: a fresh buffer a fragment cost an
   * ArrayBuffer each, and with a large heap those allocations cost more than the writing. Written
   * from the start again once everything framed in it is written; a full one is replaced (the
   * views queued from it keep it alive until they are written).
   */
  #arena = new Uint8Array(ARENA_BYTES);
  #arenaUsed = 0;

  private constructor(dir: string, segment: number, opts: WalWriterOptions, deps: WalWriterDeps) {
    this.#dir = dir;
    this.#segment = segment;
    this.#encSegment = segment;
    this.#opts = opts;
    this.#logger = deps.logger;
  }

  /** Opens a WAL directory (created if missing) for appending, starting a new segment. */
  static async open(
    dir: string,
    deps: WalWriterDeps,
    options: Partial<WalWriterOptions> = {},
  ): Promise<WalWriter> {
    const opts = { ...defaultWalWriterOptions(), ...options };
    if (opts.segmentSize < PAGE_SIZE || opts.segmentSize % PAGE_SIZE !== 0) {
      throw new RangeError(`segment size must be a positive multiple of ${PAGE_SIZE}: ${opts.segmentSize}`);
    }
    await mkdir(dir, { recursive: true });
    const segs = await listSegments(dir);
    const next = segs.length === 0 ? 0 : segs[segs.length - 1] + 1;
    const w = new WalWriter(dir, next, opts, deps);
    await w.#openSegment();
    return w;
  }

  /** The number of the segment being written. */
  get segment(): number {
    return this.#segment;
  }

  /**
   * Appends records as one batch. Batches logged while an earlier write is in flight are grouped
   * into the next write call (group commit: with many commits at once, one `writev` serves them
   * all), then an fsync if the policy asks for one. The record bytes are copied before the first
   * await, so callers may reuse their buffers. After a failed write the writer is broken (its
   * position is unknown): every later `log()` rejects with the first error; close it and reopen,
   * which starts a new segment.
   */
  log(...records: Uint8Array[]): Promise<void> {
    if (this.#failed !== undefined) return Promise.reject(this.#failed);
    return this.#enqueue(this.#encode(records));
  }

  /**
   * Starts a new segment after everything logged so far (Prometheus' `NextSegmentSync`; the
   * write-behind log is cut before out-of-order compaction so the older segments can go after it).
   * Resolves to the new segment's number once the old one is synced; an empty segment is kept.
   */
  async nextSegment(): Promise<number> {
    if (this.#failed !== undefined) throw this.#failed;
    if (this.#offset === 0) return this.#encSegment;
    const parts: (Uint8Array | null)[] = [];
    this.#rotateAt(parts);
    const seg = this.#encSegment;
    await this.#enqueue(parts);
    return seg;
  }

  #enqueue(parts: (Uint8Array | null)[]): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#waiting.push({ parts, resolve, reject });
      if (this.#waiting.length > 1) return; // a write is already scheduled for this group
      this.#tail = this.#tail.then(() => this.#writeGroup());
    });
  }

  async #writeGroup(): Promise<void> {
    const group = this.#waiting;
    this.#waiting = [];
    try {
      if (this.#failed !== undefined) throw this.#failed;
      await this.#write(group.length === 1 ? group[0].parts : group.flatMap((g) => g.parts));
      for (const g of group) g.resolve();
    } catch (err) {
      this.#failed ??= new Error('write WAL', { cause: err });
      for (const g of group) g.reject(err);
    }
  }

  /** Flushes, fsyncs and closes the current segment. */
  async close(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#tail;
    if (this.#fh === undefined) return;
    await this.#fh.sync();
    await this.#fh.close();
    this.#fh = undefined;
  }

  // The encoded batch: byte arrays to write, with `null` marking a segment rotation.
  #encode(records: Uint8Array[]): (Uint8Array | null)[] {
    const out: (Uint8Array | null)[] = [];
    for (const raw of records) {
      let rec = raw;
      let flags = 0;
      if (this.#opts.compress && raw.length > 0) {
        const c = compress(raw);
        if (c.length < raw.length) {
          rec = c;
          flags = SNAPPY_FLAG;
        }
      }
      const span = recordSpan(this.#offset, rec.length);
      if (this.#offset > 0 && this.#offset + span > this.#opts.segmentSize) this.#rotateAt(out);
      this.#encodeRecord(rec, flags, out);
    }
    return out;
  }

  /** Pads the page and marks a rotation in an encoded batch. */
  #rotateAt(out: (Uint8Array | null)[]): void {
    const pad = (PAGE_SIZE - (this.#offset % PAGE_SIZE)) % PAGE_SIZE;
    if (pad > 0) out.push(new Uint8Array(pad));
    out.push(null);
    this.#offset = 0;
    this.#encSegment++;
  }

  /** `n` bytes of the arena for framing (old contents: the caller writes every byte). */
  #take(n: number): Uint8Array {
    if (this.#arenaUsed + n > this.#arena.length) {
      this.#arena = new Uint8Array(Math.max(ARENA_BYTES, n));
      this.#arenaUsed = 0;
    }
    const b = this.#arena.subarray(this.#arenaUsed, this.#arenaUsed + n);
    this.#arenaUsed += n;
    return b;
  }

  #encodeRecord(rec: Uint8Array, flags: number, out: (Uint8Array | null)[]): void {
    let done = 0;
    let first = true;
    for (;;) {
      const rem = PAGE_SIZE - (this.#offset % PAGE_SIZE);
      if (rem <= FRAGMENT_HEADER_SIZE) {
        out.push(this.#take(rem).fill(0)); // page padding
        this.#offset += rem;
        continue;
      }
      const take = Math.min(rec.length - done, rem - FRAGMENT_HEADER_SIZE);
      const last = done + take === rec.length;
      const type = first
        ? last
          ? FragmentType.Full
          : FragmentType.First
        : last
          ? FragmentType.Last
          : FragmentType.Middle;
      const frag = this.#take(FRAGMENT_HEADER_SIZE + take);
      const crc = crc32c(rec, done, done + take);
      frag[0] = type | flags;
      frag[1] = take >>> 8;
      frag[2] = take & 0xff;
      frag[3] = crc >>> 24;
      frag[4] = (crc >>> 16) & 0xff;
      frag[5] = (crc >>> 8) & 0xff;
      frag[6] = crc & 0xff;
      frag.set(rec.subarray(done, done + take), FRAGMENT_HEADER_SIZE);
      out.push(frag);
      this.#offset += frag.length;
      done += take;
      first = false;
      if (last) return;
    }
  }

  async #write(parts: (Uint8Array | null)[]): Promise<void> {
    let start = 0;
    for (let i = 0; i <= parts.length; i++) {
      if (i < parts.length && parts[i] !== null) continue;
      const batch = parts.slice(start, i) as Uint8Array[];
      // A synchronous write: it only copies into the page cache, and the thread-pool round trip of
      // an async one cost 2.8× its CPU (~19 µs a call); fsync, the slow part, stays async.
      if (batch.length > 0) writeAllSync(this.#handle().fd, batch);
      if (i < parts.length) await this.#rotate();
      start = i + 1;
    }
    // Nothing framed since is waiting: the arena holds no bytes still to be written.
    if (this.#waiting.length === 0) this.#arenaUsed = 0;
    const now = Date.now();
    if (
      this.#opts.fsync === 'always' ||
      (this.#opts.fsync === 'batch' && now - this.#lastSync >= this.#opts.fsyncIntervalMs)
    ) {
      await this.#handle().sync();
      this.#lastSync = now;
    } else if (this.#opts.fsync === 'batch' && this.#timer === undefined) {
      this.#timer = setTimeout(
        () => this.#deferredSync(),
        this.#opts.fsyncIntervalMs - (now - this.#lastSync),
      );
      // The timer must not keep the process alive; close() syncs anyway.
      this.#timer.unref();
    }
  }

  #deferredSync(): void {
    this.#timer = undefined;
    this.#tail = this.#tail
      .then(async () => {
        if (this.#fh === undefined) return;
        await this.#fh.sync();
        this.#lastSync = Date.now();
      })
      .catch((err: unknown) => {
        this.#logger.error('WAL fsync failed', { err: err instanceof Error ? err : String(err) });
      });
  }

  #handle(): FileHandle {
    if (this.#fh === undefined) throw new Error('write WAL: writer is closed');
    return this.#fh;
  }

  async #openSegment(): Promise<void> {
    this.#fh = await open(join(this.#dir, segmentName(this.#segment)), 'wx');
  }

  async #rotate(): Promise<void> {
    const fh = this.#handle();
    await fh.sync();
    await fh.close();
    this.#segment++;
    await this.#openSegment();
    this.#logger.debug('Created WAL segment', { segment: this.#segment });
  }
}

/**
 * Writes `parts` at the file's position, all of them: a regular file takes a short write only on
 * an error such as a full disk, which the next call then reports.
 */
function writeAllSync(fd: number, parts: Uint8Array[]): void {
  let rest = parts;
  for (;;) {
    let written = writevSync(fd, rest);
    let i = 0;
    while (i < rest.length && written >= rest[i].length) written -= rest[i++].length;
    if (i === rest.length) return;
    rest = [rest[i].subarray(written), ...rest.slice(i + 1)];
  }
}
