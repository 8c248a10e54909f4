/**
 * Memory snapshot directories in the data directory: `chunk_snapshot.<segment>.<offset>`, six
 * and ten digits, naming the WAL position up to which the snapshot holds the head.
 */
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { listSegments, segmentName } from '../wlog/format.js';

/** Prefix of snapshot directory names. */
export const SNAPSHOT_PREFIX = 'chunk_snapshot.';

/** The directory name of a snapshot taken at WAL `segment` and `offset`. */
export function snapshotDirName(segment: number, offset: number): string {
  return `${SNAPSHOT_PREFIX}${String(segment).padStart(6, '0')}.${String(offset).padStart(10, '0')}`;
}

/** A snapshot directory and the WAL position it covers. */
export interface SnapshotRef {
  /** Path of the snapshot directory. */
  readonly dir: string;
  /** The WAL segment that was last when the snapshot was taken. */
  readonly segment: number;
  /** The offset in that segment up to which the WAL was written; replay starts there. */
  readonly offset: number;
}

/** The snapshots in `dataDir`, oldest WAL position first (temporary directories excluded). */
export async function listSnapshots(dataDir: string): Promise<SnapshotRef[]> {
  const out: SnapshotRef[] = [];
  for (const entry of await readdir(dataDir, { withFileTypes: true })) {
    const m = /^chunk_snapshot\.(\d+)\.(\d+)$/.exec(entry.name);
    if (m === null) continue;
    if (!entry.isDirectory()) throw new Error(`chunk snapshot ${entry.name} is not a directory`);
    out.push({ dir: join(dataDir, entry.name), segment: Number(m[1]), offset: Number(m[2]) });
  }
  return out.sort((a, b) => a.segment - b.segment || a.offset - b.offset);
}

/** The most recent snapshot in `dataDir`, or undefined if there is none. */
export async function lastSnapshot(dataDir: string): Promise<SnapshotRef | undefined> {
  return (await listSnapshots(dataDir)).at(-1);
}

/** Deletes the snapshots taken before WAL position (`segment`, `offset`). */
export async function deleteSnapshotsBefore(dataDir: string, segment: number, offset: number): Promise<void> {
  for (const s of await listSnapshots(dataDir)) {
    if (s.segment < segment || (s.segment === segment && s.offset < offset)) {
      await rm(s.dir, { recursive: true, force: true });
    }
  }
}

/**
 * The position a snapshot taken now covers: the WAL's last segment and its size on disk. Call it
 * when every `log()` has resolved (the bytes are then in the file) and before the next append,
 * as Prometheus takes `LastSegmentAndOffset` with the head frozen. Undefined for an empty WAL.
 */
export async function walPosition(walDir: string): Promise<{ segment: number; offset: number } | undefined> {
  const segment = (await listSegments(walDir)).at(-1);
  if (segment === undefined) return undefined;
  return { segment, offset: (await stat(join(walDir, segmentName(segment)))).size };
}
