/**
 * The `tombstones` file of a block (format/tombstones.md): magic, version, then per deleted
 * interval `series ref <uvarint64> │ mint <varint64> │ maxt <varint64>`, then a CRC-32C over the
 * intervals.
 */

import { open, readFile } from 'node:fs/promises';
import { Decbuf } from '../encoding/decbuf.js';
import { Encbuf } from '../encoding/encbuf.js';
import { CorruptionError } from '../encoding/errors.js';

/** Magic number at the start of a tombstones file. */
export const MAGIC_TOMBSTONES = 0x0130ba30;
/** The tombstones format version. */
export const TOMBSTONES_VERSION = 1;
/** The file name inside a block directory. */
export const TOMBSTONES_FILENAME = 'tombstones';

/** One deleted time range (inclusive) of one series. */
export interface Tombstone {
  /** Series reference in the block's index. */
  readonly ref: number;
  /** First deleted timestamp (ms). */
  readonly mint: number;
  /** Last deleted timestamp (ms). */
  readonly maxt: number;
}

/** Encodes tombstones (in the given order) as the file's bytes. */
export function encodeTombstones(stones: readonly Tombstone[]): Uint8Array {
  const e = new Encbuf(64);
  e.putBE32(MAGIC_TOMBSTONES);
  e.putByte(TOMBSTONES_VERSION);
  const start = e.length;
  for (const s of stones) {
    e.putUvarint(s.ref);
    e.putVarint(s.mint);
    e.putVarint(s.maxt);
  }
  e.putHash(start);
  return e.get().slice();
}

/** Decodes a tombstones file; throws `CorruptionError` on a bad header, checksum or entry. */
export function decodeTombstones(bytes: Uint8Array, file = TOMBSTONES_FILENAME): Tombstone[] {
  if (bytes.length < 9) throw new CorruptionError('tombstones file too short', { file, offset: 0 });
  const d = new Decbuf(bytes, { file });
  if (d.be32() !== MAGIC_TOMBSTONES)
    throw new CorruptionError('invalid tombstones magic', { file, offset: 0 });
  if (d.byte() !== TOMBSTONES_VERSION)
    throw new CorruptionError('invalid tombstones version', { file, offset: 4 });
  // The checksum first: a corrupted entry would otherwise decode into nonsense.
  const crc = new Decbuf(bytes, { file });
  crc.seek(bytes.length - 4);
  crc.checkHash(5);
  const crcErr = crc.err();
  if (crcErr !== undefined) throw crcErr;
  const body = new Decbuf(bytes.subarray(0, bytes.length - 4), { file });
  body.seek(5);
  const out: Tombstone[] = [];
  while (body.remaining() > 0 && body.err() === undefined) {
    out.push({ ref: body.uvarint(), mint: body.varint(), maxt: body.varint() });
  }
  const err = body.err();
  if (err !== undefined) throw err;
  return out;
}

/** Writes the tombstones file at `path` and fsyncs it. */
export async function writeTombstonesFile(path: string, stones: readonly Tombstone[]): Promise<void> {
  const f = await open(path, 'w');
  try {
    await f.writeFile(encodeTombstones(stones));
    await f.sync();
  } finally {
    await f.close();
  }
}

/** Reads the tombstones file at `path`. */
export async function readTombstonesFile(path: string): Promise<Tombstone[]> {
  return decodeTombstones(await readFile(path), path);
}
