/** A directory tree as a list of entries, for tests that prove a tool left it alone. */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** Every file of a directory tree with its size and modification time, to prove a tool left it alone. */
export async function dirSnapshot(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) {
    const p = join(e.parentPath, e.name);
    const st = await stat(p);
    out.push(`${p} ${e.isDirectory() ? 'dir' : st.size} ${st.mtimeMs}`);
  }
  return out.sort();
}
