/** Reads a memory snapshot back: its raw records, or all of them decoded. */
import { join } from 'node:path';
import type { CorruptionLocation } from '../encoding/errors.js';
import { WalReader } from '../wlog/reader.js';
import { segmentName } from '../wlog/format.js';
import { decodeSnapshotRecord } from './format.js';
import type { SnapshotRecord } from './format.js';

/**
 * Calls `visit` with each record of the snapshot directory `dir` in order (series, then
 * tombstones, then exemplars) and where it is; the record is valid only during the call. A
 * damaged file (checksum, torn record) rejects with a `CorruptionError` naming the segment file
 * and the record's offset; Prometheus then discards the snapshot and replays the WAL.
 */
export async function visitSnapshotRecords(
  dir: string,
  visit: (rec: Uint8Array, where: CorruptionLocation) => void,
): Promise<void> {
  const r = await WalReader.open(dir);
  try {
    // The file name for errors, joined once a segment rather than once a record.
    let segment = -1;
    let file = '';
    while (await r.next()) {
      if (r.segment !== segment) {
        segment = r.segment;
        file = join(dir, segmentName(segment));
      }
      visit(r.record(), { file, offset: r.offset });
    }
    const err = r.err();
    if (err !== undefined) throw err;
  } finally {
    await r.close();
  }
}

/** Every record of the snapshot directory `dir`, decoded; errors as `visitSnapshotRecords`. */
export async function readSnapshot(dir: string): Promise<SnapshotRecord[]> {
  const out: SnapshotRecord[] = [];
  await visitSnapshotRecords(dir, (rec, where) => out.push(decodeSnapshotRecord(rec, where)));
  return out;
}
