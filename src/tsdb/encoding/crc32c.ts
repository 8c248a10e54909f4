/**
 * CRC32 with the Castagnoli polynomial (CRC-32C), as the index, chunk files and WAL use.
 * Table-driven, eight tables ("slicing by 8") so the hot loop handles 8 bytes per step; ranges of
 * a kilobyte and more (WAL pages, index sections) go to `@node-rs/crc32`'s native code, 4.5×
 * faster there, where a short chunk's checksum is quicker here than the call into it.
 */
import { createRequire } from 'node:module';

/** The native CRC-32C, or undefined where its prebuilt binary does not load. */
const native: ((data: Uint8Array, initial?: number) => number) | undefined = loadNative();

function loadNative(): ((data: Uint8Array, initial?: number) => number) | undefined {
  try {
    const mod = createRequire(import.meta.url)('@node-rs/crc32') as {
      crc32c: (data: Uint8Array, initial?: number) => number;
    };
    return mod.crc32c;
  } catch {
    return undefined;
  }
}

/** Whether long ranges use the native code (false only where its binary does not load). */
export const NATIVE_CRC32C: boolean = native !== undefined;

/** Below this many bytes the table loop beats the native call's fixed cost (measured: ~1 KiB). */
const NATIVE_MIN_BYTES = 1024;

const POLY = 0x82f63b78; // Castagnoli, reversed bit order.

const TABLES: Uint32Array = buildTables();

function buildTables(): Uint32Array {
  const t = new Uint32Array(8 * 256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ POLY : c >>> 1;
    t[i] = c >>> 0;
  }
  for (let i = 0; i < 256; i++) {
    let c = t[i];
    for (let s = 1; s < 8; s++) {
      c = t[c & 0xff] ^ (c >>> 8);
      t[s * 256 + i] = c >>> 0;
    }
  }
  return t;
}

/**
 * Continues a CRC-32C over `data[start, end)` from a previous result `crc` (0 to start), so a
 * checksum can be computed over several pieces. Returns an unsigned 32-bit integer.
 */
export function crc32cUpdate(crc: number, data: Uint8Array, start = 0, end: number = data.length): number {
  if (native !== undefined && end - start >= NATIVE_MIN_BYTES)
    return native(data.subarray(start, end), crc) >>> 0;
  const t = TABLES;
  let c = ~crc;
  let i = start;
  for (; i + 8 <= end; i += 8) {
    c ^= data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) | (data[i + 3] << 24);
    c =
      t[7 * 256 + (c & 0xff)] ^
      t[6 * 256 + ((c >>> 8) & 0xff)] ^
      t[5 * 256 + ((c >>> 16) & 0xff)] ^
      t[4 * 256 + (c >>> 24)] ^
      t[3 * 256 + data[i + 4]] ^
      t[2 * 256 + data[i + 5]] ^
      t[256 + data[i + 6]] ^
      t[data[i + 7]];
  }
  for (; i < end; i++) c = t[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

/** CRC-32C of `data[start, end)` as an unsigned 32-bit integer. */
export function crc32c(data: Uint8Array, start = 0, end: number = data.length): number {
  return crc32cUpdate(0, data, start, end);
}
