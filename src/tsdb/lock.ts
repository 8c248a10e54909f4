/**
 * The data directory's lock file, so two processes never open one directory. Node has no flock, so
 * the file holds the owner's PID: a lock whose process is gone (a crash, a SIGKILL) is stale and
 * taken over; an empty one, as Prometheus leaves behind, is too.
 */
import { open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';

export const LOCK_FILENAME = 'lock';

/** The directory is in use by another live process. */
export class LockError extends Error {
  constructor(
    readonly path: string,
    readonly pid: number,
  ) {
    super(`lock DB directory: ${path} is held by running process ${pid}; is another server using it?`);
    this.name = 'LockError';
  }
}

/** A held lock; `release()` removes the file. */
export interface DirLock {
  release(): Promise<void>;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the lock of `dir`, or throws `LockError` when a live process holds it. */
export async function lockDir(dir: string): Promise<DirLock> {
  const path = join(dir, LOCK_FILENAME);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const f = await open(path, 'wx');
      await f.writeFile(`${process.pid}\n`);
      await f.sync();
      await f.close();
      return { release: () => rm(path, { force: true }) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const owner = Number.parseInt(await readFile(path, 'utf8').catch(() => ''), 10);
    if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && alive(owner)) {
      throw new LockError(path, owner);
    }
    // Stale: its process is gone. Take it over.
    await rm(path, { force: true });
  }
  throw new Error(`lock DB directory: could not create ${path}`);
}
