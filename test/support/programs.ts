/** Real programs the tests use as oracles or peers, installed by `.ci/run` from Debian's packages. */
import { accessSync, constants } from 'node:fs';
import path from 'node:path';

/**
 * The absolute path of `program`, searched on PATH and in the sbin directories. Throws with a clear
 * message when it is missing, so a test fails (never skips) on a machine set up wrongly.
 */
export function requireProgram(program: string, aptPackage: string): string {
  const dirs = [...(process.env['PATH'] ?? '').split(path.delimiter), '/usr/sbin', '/sbin'];
  for (const dir of dirs) {
    const candidate = path.join(dir, program);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  throw new Error(`${program} is not installed: .ci/run installs it (apt-get install -y ${aptPackage})`);
}
