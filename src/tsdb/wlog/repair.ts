/** Repairs a WAL after a torn or corrupted tail, as Prometheus does on startup. */
import { rm, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../../util/logger.js';
import type { WalCorruptionError } from './errors.js';
import { listSegments, segmentName } from './format.js';

/**
 * Truncates the corrupted segment at the offset of its first bad record and deletes every later
 * segment, logging a warning. Every record before the corruption is kept.
 */
export async function repairWal(
  dir: string,
  err: WalCorruptionError,
  deps: { logger: Logger },
): Promise<void> {
  deps.logger.warn('Repairing corrupted WAL', {
    segment: err.segment,
    offset: err.offset,
    err: err.message,
  });
  for (const seg of await listSegments(dir)) {
    if (seg > err.segment) {
      await rm(join(dir, segmentName(seg)));
      deps.logger.warn('Deleted WAL segment after corruption', { segment: seg });
    }
  }
  await truncate(join(dir, segmentName(err.segment)), err.offset);
}
