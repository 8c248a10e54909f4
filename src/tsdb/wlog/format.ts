/**
 * Constants and helpers of Prometheus' WAL segment format (docs/format/wal.md): 32 KiB pages,
 * fragments with a 7-byte header (type, 2-byte length, CRC-32C of the data).
 */
import { readdir } from 'node:fs/promises';

/** Size of a page; a fragment never crosses a page boundary. */
export const PAGE_SIZE = 32 * 1024;
/** Size of a fragment header: type byte, big-endian 16-bit length, big-endian CRC-32C. */
export const FRAGMENT_HEADER_SIZE = 7;
/** Default maximum segment size (128 MiB), as in Prometheus. */
export const DEFAULT_SEGMENT_SIZE = 128 * 1024 * 1024;

/** The low three bits of a fragment's type byte. */
export const FragmentType = {
  /** The rest of the page is zero padding. */
  PageTerm: 0,
  /** A whole record in one fragment. */
  Full: 1,
  /** The first fragment of a record. */
  First: 2,
  /** A middle fragment of a record. */
  Middle: 3,
  /** The last fragment of a record. */
  Last: 4,
} as const;

/** Mask of the fragment type bits. */
export const FRAGMENT_TYPE_MASK = 0x07;
/** Flag bit: the record's bytes are Snappy-compressed (block format). */
export const SNAPPY_FLAG = 0x08;
/** Flag bit: the record's bytes are zstd-compressed (not supported by Vigil yet). */
export const ZSTD_FLAG = 0x10;

/** The file name of segment `n`: eight zero-padded decimal digits, as Prometheus writes. */
export function segmentName(n: number): string {
  return String(n).padStart(8, '0');
}

/** Lists the segment numbers in a WAL directory in ascending order (other files are ignored). */
export async function listSegments(dir: string): Promise<number[]> {
  const names = await readdir(dir);
  const out: number[] = [];
  for (const name of names) if (/^\d+$/.test(name)) out.push(Number(name));
  return out.sort((a, b) => a - b);
}

/**
 * How many bytes a record of `len` bytes occupies when written at `offset` within a segment,
 * counting the headers and the page padding it forces.
 */
export function recordSpan(offset: number, len: number): number {
  let pos = offset;
  let left = len;
  for (;;) {
    const rem = PAGE_SIZE - (pos % PAGE_SIZE);
    if (rem <= FRAGMENT_HEADER_SIZE) {
      pos += rem;
      continue;
    }
    const take = Math.min(left, rem - FRAGMENT_HEADER_SIZE);
    pos += FRAGMENT_HEADER_SIZE + take;
    left -= take;
    if (left === 0) return pos - offset;
  }
}
