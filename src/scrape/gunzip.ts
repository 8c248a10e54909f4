/**
 * Synchronous gunzip of scrape bodies through one long-lived zlib handle into one reused output
 * buffer.
 *
 * `zlib.gunzipSync` makes a zlib handle and an output ArrayBuffer per call. Outside V8's heap,
 * those count as external memory, and with a large heap (2M series) that churn started a full
 * collection every few seconds, marking the whole heap each time: 2,000 targets' gzipped scrapes
 * cost Vigil 2.7× Prometheus' CPU, and the same fleet uncompressed 0.8×. Reusing one handle and one
 * buffer allocates nothing per body.
 *
 * Driving the handle synchronously uses the members `zlib.gunzipSync` itself uses (`_handle`,
 * `_writeState`), which Node does not document; where they are missing, bodies go through
 * `gunzipSync` instead.
 */
import zlib from 'node:zlib';
import type { Gunzip } from 'node:zlib';

/** The part of a zlib stream's native handle that `gunzipSync` drives. */
interface ZlibHandle {
  writeSync(
    flush: number,
    input: Uint8Array,
    inOff: number,
    inLen: number,
    out: Uint8Array,
    outOff: number,
    outLen: number,
  ): void;
  reset(): void;
}

/** A `Gunzip` stream's undocumented members. */
interface GunzipInternals {
  _handle?: ZlibHandle | null;
  /** After each write: [output bytes left, input bytes left]. */
  _writeState?: Uint32Array;
}

const MIN_OUTPUT = 64 * 1024;

/** Raised when a body decompresses to `limit` bytes or more. */
export class GunzipLimitError extends Error {
  constructor() {
    super('decompressed body reaches the size limit');
    this.name = 'GunzipLimitError';
  }
}

/** Decompresses one body at a time. The result is a view valid until the next `decode`. */
export class Gunzipper {
  #stream: (Gunzip & GunzipInternals) | undefined;
  #out = Buffer.allocUnsafe(MIN_OUTPUT);
  readonly #reuse: boolean;

  /** `reuseHandle: false` always takes `gunzipSync`'s path (as on a Node without the internals). */
  constructor(options: { reuseHandle?: boolean } = {}) {
    this.#reuse = options.reuseHandle ?? true;
  }

  /**
   * The decompressed `input`, failing with {@link GunzipLimitError} at `limit` bytes (0: none)
   * and with zlib's error for bad input.
   */
  decode(input: Uint8Array, limit: number): Uint8Array {
    const stream = this.#reuse ? this.#openStream() : undefined;
    if (stream === undefined) return this.#decodeOnce(input, limit);
    const handle = stream._handle!;
    const state = stream._writeState!;
    handle.reset();
    let inOff = 0;
    let outOff = 0;
    for (;;) {
      const out = this.#out;
      handle.writeSync(
        zlib.constants.Z_FINISH,
        input,
        inOff,
        input.length - inOff,
        out,
        outOff,
        out.length - outOff,
      );
      if (stream.destroyed) {
        // zlib reported an error; the stream closed its handle. The next body gets a new one.
        this.#stream = undefined;
        throw stream.errored ?? new Error('gunzip failed');
      }
      const outLeft = state[0];
      outOff = out.length - outLeft;
      inOff = input.length - state[1];
      if (limit > 0 && outOff >= limit) throw new GunzipLimitError();
      if (outLeft > 0) return out.subarray(0, outOff);
      // Output full: more may follow. Grow, keeping what came out.
      this.#out = Buffer.allocUnsafe(out.length * 2);
      out.copy(this.#out, 0, 0, outOff);
    }
  }

  /** The long-lived stream, made on first use; undefined where its internals are missing. */
  #openStream(): (Gunzip & GunzipInternals) | undefined {
    if (this.#stream !== undefined) return this.#stream;
    const stream: Gunzip & GunzipInternals = zlib.createGunzip();
    // Errors are read from `errored` after the write; the stream also emits them later.
    stream.on('error', () => {});
    const h = stream._handle;
    if (
      typeof h?.writeSync !== 'function' ||
      typeof h.reset !== 'function' ||
      !(stream._writeState instanceof Uint32Array)
    ) {
      stream.close();
      return undefined;
    }
    this.#stream = stream;
    return stream;
  }

  #decodeOnce(input: Uint8Array, limit: number): Uint8Array {
    let body: Buffer;
    try {
      body = zlib.gunzipSync(input, limit > 0 ? { maxOutputLength: limit } : {});
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw new GunzipLimitError();
      throw err;
    }
    if (limit > 0 && body.length >= limit) throw new GunzipLimitError();
    return body;
  }
}
