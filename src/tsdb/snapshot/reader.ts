/** Reads a memory snapshot back as typed records. */
import { join } from 'node:path';
import { WalReader } from '../wlog/reader.js';
import { segmentName } from '../wlog/format.js';
import { decodeSnapshotRecord } from './format.js';
import type { SnapshotRecord } from './format.js';

/**
 * Yields the records of the snapshot directory `dir` in order: series, then tombstones, then
 * exemplars. A damaged file (checksum, torn record) or record throws a `CorruptionError` with the
 * segment file and the record's offset; Prometheus then discards the snapshot and replays the WAL.
 */
export async function* readSnapshot(dir: string): AsyncGenerator<SnapshotRecord> {
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
      yield decodeSnapshotRecord(r.record(), { file, offset: r.offset });
    }
    const err = r.err();
    if (err !== undefined) throw err;
  } finally {
    await r.close();
  }
}
