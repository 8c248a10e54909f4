import assert from 'node:assert/strict';
import { appendFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { dumpStorage } from '../../../test/support/storage-dump.js';
import { Labels } from '../../model/labels.js';
import type { LogFields, Logger } from '../../util/logger.js';
import { DB } from '../db.js';
import type { DbOptions } from '../db.js';
import { HEAD_CHUNKS_INDEX_FILENAME } from './chunks-index.js';

const dirs: string[] = [];
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

/** A logger keeping info lines as `<message> <field>=<value> …`. */
function infoLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const ignore = (): void => {};
  const record = (msg: string, fields?: LogFields): void => {
    lines.push([msg, ...Object.entries(fields ?? {}).map(([k, v]) => `${k}=${String(v)}`)].join(' '));
  };
  return { lines, debug: ignore, info: record, warn: record, error: record };
}

const series = Array.from({ length: 30 }, (_, i) => Labels.from({ __name__: 'idx_test', i: String(i) }));

/** A closed DB whose 30 series have several full chunks each in `chunks_head/`, and its samples. */
async function closedDb(): Promise<{ dir: string; want: ReturnType<typeof dumpStorage> }> {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-chunks-index-'));
  dirs.push(dir);
  const db = await DB.open(dir, { maintenanceInterval: 0, walFsync: 'never' });
  for (let t = 0; t < 500; t++) {
    const app = db.appender();
    series.forEach((s, i) => app.append(0, s, t * 15_000, i * 1000 + t * 0.25));
    await app.commit();
  }
  const want = dumpStorage(db);
  await db.close();
  return { dir, want };
}

async function snapshotDir(dir: string): Promise<string> {
  const name = (await readdir(dir)).find((n) => n.startsWith('chunk_snapshot.'));
  assert.ok(name !== undefined, 'no snapshot');
  return join(dir, name);
}

async function reopen(dir: string, o: Partial<DbOptions> = {}): Promise<{ db: DB; lines: string[] }> {
  const logger = infoLogger();
  const db = await DB.open(dir, { maintenanceInterval: 0, walFsync: 'never', logger, ...o });
  return { db, lines: logger.lines };
}

describe('head chunk index', () => {
  it('is written beside the snapshot on close, used on the next start instead of reading the chunk files, and deleted', async () => {
    const { dir, want } = await closedDb();
    const snap = await snapshotDir(dir);
    assert.ok((await readdir(snap)).includes(HEAD_CHUNKS_INDEX_FILENAME), 'no index beside the snapshot');
    const { db, lines } = await reopen(dir);
    assert.ok(
      lines.some((l) => l.startsWith('Head chunk index read') && l.includes('series=30')),
      lines.join('\n'),
    );
    assert.ok(!lines.some((l) => l.startsWith('Loaded on-disk head chunks')), 'the chunk files were read');
    assert.ok(!(await readdir(snap)).includes(HEAD_CHUNKS_INDEX_FILENAME), 'the index outlived the start');
    assert.deepEqual(dumpStorage(db), want);
    // Appending after the start cuts chunks into the files the index described.
    for (let t = 500; t < 800; t++) {
      const app = db.appender();
      series.forEach((s, i) => app.append(0, s, t * 15_000, i));
      await app.commit();
    }
    const more = dumpStorage(db);
    await db.close();
    const again = await reopen(dir);
    assert.ok(again.lines.some((l) => l.startsWith('Head chunk index read')));
    assert.deepEqual(dumpStorage(again.db), more);
    await again.db.close();
  });

  it('is not used when a chunk file changed after it was written; the files are read and no sample is lost', async () => {
    const { dir, want } = await closedDb();
    // Another writer (Prometheus, say) added a chunk file: the index no longer describes the files.
    const files = (await readdir(join(dir, 'chunks_head'))).filter((n) => /^\d+$/.test(n)).sort();
    const last = files[files.length - 1];
    const next = String(Number(last) + 1).padStart(6, '0');
    await writeFile(
      join(dir, 'chunks_head', next),
      await readFile(join(dir, 'chunks_head', last)).then((b) => b.subarray(0, 8)),
    );
    const { db, lines } = await reopen(dir);
    assert.ok(
      lines.some(
        (l) => l.startsWith('Head chunk index not used') && l.includes('reason=chunk files added or removed'),
      ),
      lines.join('\n'),
    );
    assert.ok(lines.some((l) => l.startsWith('Loaded on-disk head chunks')));
    assert.deepEqual(dumpStorage(db), want);
    await db.close();
  });

  it('is not used when a chunk file grew or the index is damaged', async () => {
    const grown = await closedDb();
    const files = (await readdir(join(grown.dir, 'chunks_head'))).filter((n) => /^\d+$/.test(n)).sort();
    // Zero bytes past the last record read as the end of the file, so a scan loses nothing.
    await appendFile(join(grown.dir, 'chunks_head', files[0]), new Uint8Array(64));
    const a = await reopen(grown.dir);
    assert.ok(
      a.lines.some((l) => l.includes(`reason=chunk file ${Number(files[0])} changed`)),
      a.lines.join('\n'),
    );
    assert.deepEqual(dumpStorage(a.db), grown.want);
    await a.db.close();

    const damaged = await closedDb();
    const index = join(await snapshotDir(damaged.dir), HEAD_CHUNKS_INDEX_FILENAME);
    const bytes = await readFile(index);
    bytes[bytes.length - 20] ^= 0xff;
    await writeFile(index, bytes);
    const b = await reopen(damaged.dir);
    assert.ok(
      b.lines.some((l) => l.includes('reason=checksum mismatch')),
      b.lines.join('\n'),
    );
    assert.deepEqual(dumpStorage(b.db), damaged.want);
    await b.db.close();
  });
});
