import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat, truncate, writeFile, appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compress } from 'snappyjs';
import type { Logger, LogFields } from '../../util/logger.js';
import { Labels } from '../../model/labels.js';
import { crc32c } from '../encoding/crc32c.js';
import { decodeRecord, encodeSamples, encodeSeries, newSampleBatch } from '../record/index.js';
import {
  FRAGMENT_HEADER_SIZE,
  PAGE_SIZE,
  SNAPPY_FLAG,
  WalCorruptionError,
  WalReader,
  WalWriter,
  listSegments,
  repairWal,
  segmentName,
} from './index.js';

class MemLogger implements Logger {
  readonly lines: string[] = [];
  debug(): void {}
  info(): void {}
  warn(message: string, fields?: LogFields): void {
    this.lines.push(`${message} ${JSON.stringify(fields ?? {})}`);
  }
  error(message: string): void {
    this.lines.push(message);
  }
}

async function withTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-wal-'));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A deterministic record of `len` bytes derived from `seed`. */
function rec(seed: number, len: number): Uint8Array {
  const b = new Uint8Array(len);
  let x = seed * 2654435761 + 1;
  for (let i = 0; i < len; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    b[i] = x >>> 24;
  }
  return b;
}

async function readAll(
  dir: string,
  chunkSize?: number,
): Promise<{ recs: Uint8Array[]; err: Error | undefined }> {
  const r = await WalReader.open(dir, chunkSize === undefined ? {} : { chunkSize });
  const recs: Uint8Array[] = [];
  try {
    while (await r.next()) recs.push(r.record().slice());
    return { recs, err: r.err() };
  } finally {
    await r.close();
  }
}

// Sizes chosen to hit the edges: empty, tiny, exactly filling the rest of a page, one byte more,
// bigger than a page, several pages.
const SIZES = [
  0,
  1,
  100,
  PAGE_SIZE - FRAGMENT_HEADER_SIZE,
  PAGE_SIZE - FRAGMENT_HEADER_SIZE + 1,
  PAGE_SIZE * 2 + 5,
  70_000,
  3,
];

test('records round-trip across pages and segments', async () => {
  await withTempDir(async (dir) => {
    const logger = new MemLogger();
    const w = await WalWriter.open(dir, { logger }, { segmentSize: 4 * PAGE_SIZE, fsync: 'never' });
    const want: Uint8Array[] = [];
    for (let i = 0; i < 60; i++) {
      const r = rec(i, SIZES[i % SIZES.length] + (i % 7));
      want.push(r);
    }
    // Batches of 1, 2 and 3 records.
    for (let i = 0; i < want.length;) {
      const n = (i % 3) + 1;
      await w.log(...want.slice(i, i + n));
      i += n;
    }
    await w.close();
    const segs = await listSegments(dir);
    assert.ok(segs.length > 5, `expected several segments, got ${segs.length}`);
    for (const s of segs.slice(0, -1)) {
      const st = await stat(join(dir, segmentName(s)));
      assert.equal(st.size % PAGE_SIZE, 0, 'closed segments are whole pages');
    }
    for (const chunk of [PAGE_SIZE, 1 << 20]) {
      const { recs, err } = await readAll(dir, chunk);
      assert.equal(err, undefined);
      assert.equal(recs.length, want.length);
      for (let i = 0; i < want.length; i++) assert.deepEqual(recs[i], want[i], `record ${i}`);
    }
  });
});

test('a reader started at a record boundary returns exactly the records from there on', async () => {
  await withTempDir(async (dir) => {
    const w = await WalWriter.open(
      dir,
      { logger: new MemLogger() },
      { segmentSize: 4 * PAGE_SIZE, fsync: 'never' },
    );
    const want: Uint8Array[] = [];
    for (let i = 0; i < 40; i++) want.push(rec(i, SIZES[i % SIZES.length] + (i % 5)));
    for (const r of want) await w.log(r);
    await w.close();
    // Every record's position, as a snapshot records the WAL's end: mid-page, after records that
    // span pages, at segment starts.
    const positions: { segment: number; offset: number }[] = [];
    const all = await WalReader.open(dir);
    while (await all.next()) positions.push({ segment: all.segment, offset: all.offset });
    await all.close();
    assert.equal(positions.length, want.length);
    assert.ok(positions.some((p) => p.offset % PAGE_SIZE !== 0 && p.offset > PAGE_SIZE));
    for (let k = 0; k < want.length; k++) {
      const r = await WalReader.open(dir, { start: positions[k], chunkSize: PAGE_SIZE });
      const got: Uint8Array[] = [];
      while (await r.next()) got.push(r.record().slice());
      await r.close();
      assert.equal(r.err(), undefined, `start at record ${k}`);
      assert.deepEqual(got, want.slice(k), `start at record ${k}`);
    }
  });
});

test('a record exactly filling a page leaves the next record at the page start', async () => {
  await withTempDir(async (dir) => {
    const w = await WalWriter.open(dir, { logger: new MemLogger() }, { fsync: 'always' });
    await w.log(rec(1, PAGE_SIZE - FRAGMENT_HEADER_SIZE), rec(2, 10));
    await w.close();
    const bytes = await readFile(join(dir, segmentName(0)));
    assert.equal(bytes.length, PAGE_SIZE + FRAGMENT_HEADER_SIZE + 10);
    assert.equal(bytes[0], 1);
    assert.equal(bytes[PAGE_SIZE], 1);
  });
});

test('a record larger than a segment gets a segment of its own', async () => {
  await withTempDir(async (dir) => {
    const w = await WalWriter.open(
      dir,
      { logger: new MemLogger() },
      { segmentSize: PAGE_SIZE, fsync: 'never' },
    );
    const big = rec(9, 3 * PAGE_SIZE);
    await w.log(rec(1, 10), big, rec(2, 10));
    await w.close();
    assert.deepEqual(await listSegments(dir), [0, 1, 2]);
    const { recs, err } = await readAll(dir);
    assert.equal(err, undefined);
    assert.deepEqual(recs, [rec(1, 10), big, rec(2, 10)]);
  });
});

test('reopening appends in a new segment', async () => {
  await withTempDir(async (dir) => {
    const logger = new MemLogger();
    let w = await WalWriter.open(dir, { logger });
    await w.log(rec(1, 50));
    await w.close();
    w = await WalWriter.open(dir, { logger });
    assert.equal(w.segment, 1);
    await w.log(rec(2, 50), rec(3, 40_000));
    await w.close();
    const { recs, err } = await readAll(dir);
    assert.equal(err, undefined);
    assert.deepEqual(recs, [rec(1, 50), rec(2, 50), rec(3, 40_000)]);
  });
});

test('concurrent log calls are written in call order', async () => {
  await withTempDir(async (dir) => {
    const w = await WalWriter.open(dir, { logger: new MemLogger() }, { fsync: 'batch' });
    await Promise.all(Array.from({ length: 50 }, (_, i) => w.log(rec(i, 1000 + i))));
    await w.close();
    const { recs } = await readAll(dir);
    assert.deepEqual(
      recs,
      Array.from({ length: 50 }, (_, i) => rec(i, 1000 + i)),
    );
  });
});

test('concurrent log calls grouped into one write keep their order across segment rotations', async () => {
  await withTempDir(async (dir) => {
    const w = await WalWriter.open(
      dir,
      { logger: new MemLogger() },
      { segmentSize: 2 * PAGE_SIZE, fsync: 'batch' },
    );
    const want = Array.from({ length: 300 }, (_, i) => rec(i, 2000 + i));
    await Promise.all(want.map((r) => w.log(r)));
    await w.close();
    const { recs } = await readAll(dir);
    assert.deepEqual(recs, want);
    assert.ok((await listSegments(dir)).length > 2, 'the records did not span several segments');
  });
});

test('records logged while earlier writes wait for fsync, some larger than the framing buffer, read back intact from reused caller buffers', async () => {
  await withTempDir(async (dir) => {
    const w = await WalWriter.open(
      dir,
      { logger: new MemLogger() },
      { segmentSize: 256 * 1024, fsync: 'always' },
    );
    const want: Uint8Array[] = [];
    const scratch = new Uint8Array(3 * 1024 * 1024);
    const pending: Promise<void>[] = [];
    for (let i = 0; i < 400; i++) {
      // Mostly scrape-sized records; now and then one larger than the writer's 1 MiB arena.
      const r = rec(i, i % 40 === 7 ? 1_500_000 + i : 5_000 + ((i * 7919) % 30_000));
      want.push(r);
      scratch.set(r);
      pending.push(w.log(scratch.subarray(0, r.length)));
      scratch.fill(0xee, 0, r.length); // the caller reuses its buffer as soon as log() returns
      // Bursts: records framed while a rotation or an fsync of the previous write is awaited.
      if (i % 25 === 24) await pending[pending.length - 20];
    }
    await Promise.all(pending);
    await w.close();
    const { recs, err } = await readAll(dir);
    assert.equal(err, undefined);
    assert.equal(recs.length, want.length);
    for (let i = 0; i < want.length; i++) assert.deepEqual(recs[i], want[i], `record ${i}`);
  });
});

/** Writes 2 segments of records, returns them and the offset of the last record in the last segment. */
async function writeFixture(dir: string): Promise<{ want: Uint8Array[]; lastOffset: number }> {
  const w = await WalWriter.open(
    dir,
    { logger: new MemLogger() },
    { segmentSize: 2 * PAGE_SIZE, fsync: 'never' },
  );
  const want: Uint8Array[] = [];
  for (let i = 0; i < 12; i++) want.push(rec(i, 9000 + i));
  await w.log(...want);
  await w.close();
  const r = await WalReader.open(dir);
  let lastOffset = 0;
  while (await r.next()) lastOffset = r.offset;
  await r.close();
  return { want, lastOffset };
}

async function corruptAndRepair(
  mutate: (file: string, lastOffset: number) => Promise<void>,
  expectLost: number,
): Promise<void> {
  await withTempDir(async (dir) => {
    const { want, lastOffset } = await writeFixture(dir);
    const segs = await listSegments(dir);
    const lastSeg = segs[segs.length - 1];
    await mutate(join(dir, segmentName(lastSeg)), lastOffset);
    const first = await readAll(dir);
    assert.ok(first.err instanceof WalCorruptionError, `expected corruption, got ${String(first.err)}`);
    assert.equal(first.err.segment, lastSeg);
    assert.equal(first.err.code, 'ERR_TSDB_CORRUPTION');
    const logger = new MemLogger();
    await repairWal(dir, first.err, { logger });
    assert.match(logger.lines[0], /Repairing corrupted WAL/);
    const after = await readAll(dir);
    assert.equal(after.err, undefined);
    assert.deepEqual(after.recs, want.slice(0, want.length - expectLost));
    // The repaired WAL accepts new records.
    const w = await WalWriter.open(dir, { logger });
    await w.log(rec(99, 5));
    await w.close();
    const again = await readAll(dir);
    assert.equal(again.err, undefined);
    assert.deepEqual(again.recs, [...want.slice(0, want.length - expectLost), rec(99, 5)]);
  });
}

test('repair: truncated mid-record tail', async () => {
  await corruptAndRepair(async (file, off) => truncate(file, off + 100), 1);
});

test('repair: truncated mid-header tail', async () => {
  await corruptAndRepair(async (file, off) => truncate(file, off + 3), 1);
});

test('repair: flipped byte in the last record', async () => {
  await corruptAndRepair(async (file, off) => {
    const b = await readFile(file);
    b[off + 500] ^= 0x40;
    await writeFile(file, b);
  }, 1);
});

test('repair: garbage after the end', async () => {
  await corruptAndRepair(async (file) => appendFile(file, Buffer.from('garbage!')), 0);
});

for (const [cut, reason] of [
  [2 * PAGE_SIZE + 1000, /truncated fragment/],
  [2 * PAGE_SIZE, /end of segment inside a record/],
] as const) {
  test(`repair: a record spanning pages torn at ${cut} is cut at its first fragment`, async () => {
    await withTempDir(async (dir) => {
      const w = await WalWriter.open(dir, { logger: new MemLogger() }, { fsync: 'never' });
      await w.log(rec(1, 100), rec(2, 100_000));
      await w.close();
      const file = join(dir, segmentName(0));
      await truncate(file, cut);
      const first = await readAll(dir);
      assert.ok(first.err instanceof WalCorruptionError);
      assert.equal(first.err.offset, FRAGMENT_HEADER_SIZE + 100);
      assert.match(first.err.message, reason);
      await repairWal(dir, first.err, { logger: new MemLogger() });
      assert.equal((await stat(file)).size, FRAGMENT_HEADER_SIZE + 100);
      assert.deepEqual((await readAll(dir)).recs, [rec(1, 100)]);
    });
  });
}

test('a checksum failure in an earlier segment is reported with segment and offset', async () => {
  await withTempDir(async (dir) => {
    const { want } = await writeFixture(dir);
    const file = join(dir, segmentName(0));
    const b = await readFile(file);
    // Corrupt the data of the second record of segment 0.
    const second = FRAGMENT_HEADER_SIZE + want[0].length;
    b[second + FRAGMENT_HEADER_SIZE + 10] ^= 1;
    await writeFile(file, b);
    const { recs, err } = await readAll(dir);
    assert.ok(err instanceof WalCorruptionError);
    assert.equal(err.segment, 0);
    assert.equal(err.offset, second);
    assert.match(err.message, /checksum/);
    assert.match(err.message, new RegExp(`${segmentName(0)} at offset ${second}`));
    assert.equal(recs.length, 1);
    const logger = new MemLogger();
    await repairWal(dir, err, { logger });
    assert.deepEqual(await listSegments(dir), [0]);
    assert.ok(logger.lines.some((l) => l.startsWith('Deleted WAL segment')));
    assert.deepEqual((await readAll(dir)).recs, [want[0]]);
  });
});

test('snappy-compressed records are decompressed', async () => {
  await withTempDir(async (dir) => {
    const plain = new TextEncoder().encode('hello hello hello hello hello WAL');
    const data = compress(plain);
    const frag = new Uint8Array(FRAGMENT_HEADER_SIZE + data.length);
    const v = new DataView(frag.buffer);
    frag[0] = 1 | SNAPPY_FLAG;
    v.setUint16(1, data.length);
    v.setUint32(3, crc32c(data));
    frag.set(data, FRAGMENT_HEADER_SIZE);
    await writeFile(join(dir, segmentName(0)), frag);
    const { recs, err } = await readAll(dir);
    assert.equal(err, undefined);
    assert.deepEqual(recs, [plain]);
  });
});

test('records written with compression read back and carry the snappy flag', async () => {
  await withTempDir(async (dir) => {
    const w = await WalWriter.open(dir, { logger: new MemLogger() }, { compress: true, fsync: 'never' });
    const compressible = new Uint8Array(100_000).fill(7);
    const random = rec(3, 5000);
    await w.log(compressible, random, new Uint8Array(0));
    await w.close();
    const bytes = await readFile(join(dir, segmentName(0)));
    assert.equal(bytes[0], 1 | SNAPPY_FLAG, 'compressible record is stored compressed');
    assert.ok(bytes.length < 20_000);
    const { recs, err } = await readAll(dir);
    assert.equal(err, undefined);
    assert.deepEqual(recs, [compressible, random, new Uint8Array(0)]);
  });
});

test('a failed write breaks the writer', async () => {
  await withTempDir(async (dir) => {
    const w = await WalWriter.open(dir, { logger: new MemLogger() });
    await w.close();
    await assert.rejects(w.log(rec(1, 10)), /writer is closed/);
    await assert.rejects(w.log(rec(2, 10)), /write WAL/);
  });
});

test('an empty WAL directory reads no records', async () => {
  await withTempDir(async (dir) => {
    const { recs, err } = await readAll(dir);
    assert.equal(err, undefined);
    assert.equal(recs.length, 0);
  });
});

test('sample records with the staleness NaN survive the WAL under the batch policy', async () => {
  await withTempDir(async (dir) => {
    const w = await WalWriter.open(dir, { logger: new MemLogger() }, { fsync: 'batch', fsyncIntervalMs: 5 });
    const b = newSampleBatch(2);
    const bits = new DataView(b.values.buffer);
    b.refs[0] = 1;
    b.refs[1] = 2;
    b.timestamps[0] = 1000;
    b.timestamps[1] = 999;
    bits.setUint32(4, 0x7ff00000, true);
    bits.setUint32(0, 2, true);
    b.values[1] = 42;
    b.length = 2;
    await w.log(encodeSeries([{ ref: 1, labels: Labels.from({ __name__: 'up' }) }]), encodeSamples(b));
    // Let the deferred fsync run before closing.
    await new Promise((resolve) => setTimeout(resolve, 20));
    await w.log(encodeSamples(b));
    await w.close();
    const { recs, err } = await readAll(dir);
    assert.equal(err, undefined);
    assert.equal(recs.length, 3);
    const got = decodeRecord(recs[2]);
    assert.equal(got.kind, 'samples');
    if (got.kind !== 'samples') return;
    const gotBits = new DataView(got.samples.values.buffer);
    assert.equal(gotBits.getUint32(4, true), 0x7ff00000);
    assert.equal(gotBits.getUint32(0, true), 2);
    assert.equal(got.samples.values[1], 42);
    assert.equal(got.samples.timestamps[1], 999);
  });
});
