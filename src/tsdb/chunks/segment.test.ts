import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ValueType } from '../../storage/interface.js';
import { XorChunk } from '../chunkenc/xor.js';
import { crc32c } from '../encoding/crc32c.js';
import { requireProgram } from '../../../test/support/programs.js';
import { CorruptionError } from '../encoding/errors.js';
import {
  ChunkSegmentReader,
  ChunkSegmentWriter,
  chunkRef,
  chunkRefOffset,
  chunkRefSegment,
} from './index.js';

async function withTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-chunks-'));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function makeChunk(seed: number, n: number): XorChunk {
  const c = new XorChunk();
  const app = c.appender();
  for (let i = 0; i < n; i++) app.append(1_700_000_000_000 + i * 15000 + (i % 3), seed * 1000 + i * 0.25);
  return c;
}

function samples(c: XorChunk): string[] {
  const out: string[] = [];
  const it = c.iterator();
  while (it.next() === ValueType.Float) out.push(`${it.t()} ${it.v()}`);
  return out;
}

test('chunk references keep the segment index and offset apart', () => {
  const ref = chunkRef(3, 0xfffffff0);
  assert.equal(chunkRefSegment(ref), 3);
  assert.equal(chunkRefOffset(ref), 0xfffffff0);
  assert.equal(ref, 3 * 2 ** 32 + 0xfffffff0);
});

test('chunks written to segments read back by reference, with a new segment when one is full', async () => {
  await withTempDir(async (dir) => {
    const w = await ChunkSegmentWriter.open(dir, { segmentSize: 1024 });
    const chunks = Array.from({ length: 20 }, (_, i) => makeChunk(i, 5 + i * 3));
    const refs = [...(await w.writeChunks(chunks.slice(0, 7))), ...(await w.writeChunks(chunks.slice(7)))];
    await w.close();

    const files = (await readdir(dir)).sort();
    assert.ok(files.length > 1, 'several segments');
    assert.deepEqual(
      files,
      files.map((_, i) => String(i + 1).padStart(6, '0')),
    );
    assert.equal(chunkRefOffset(refs[0]), 8);
    assert.equal(chunkRefSegment(refs.at(-1)!), files.length - 1);

    // Header: magic 0x85BD40DD, version 1, three zero bytes; then the first chunk.
    const first = await readFile(join(dir, '000001'));
    assert.equal(first.subarray(0, 8).toString('hex'), '85bd40dd01000000');
    const data = chunks[0].bytes();
    assert.equal(first[8], data.length); // uvarint length (< 128)
    assert.equal(first[9], 1); // XOR
    assert.deepEqual(first.subarray(10, 10 + data.length), Buffer.from(data));
    const crc = first.readUInt32BE(10 + data.length);
    assert.equal(crc, crc32c(first, 9, 10 + data.length)); // over encoding byte and data
    for (const name of files)
      assert.ok((await readFile(join(dir, name))).length <= 1024 || name === files.at(-1));

    const r = await ChunkSegmentReader.open(dir);
    try {
      for (let i = 0; i < chunks.length; i++) {
        const got = await r.chunk(refs[i]);
        assert.deepEqual(samples(got as XorChunk), samples(chunks[i]), `chunk ${i}`);
      }
    } finally {
      await r.close();
    }
  });
});

test('chunks read backwards across several read windows come back whole', async () => {
  await withTempDir(async (dir) => {
    // ~200 KiB of chunks: several read windows, read backwards so every other read refills.
    const chunks = Array.from({ length: 400 }, (_, i) => makeChunk(i, 300));
    const w = await ChunkSegmentWriter.open(dir);
    const refs = await w.writeChunks(chunks);
    await w.close();
    const r = await ChunkSegmentReader.open(dir);
    try {
      for (const i of [...refs.keys()].reverse())
        assert.deepEqual(r.xorBytesSync(refs[i]), chunks[i].bytes(), `chunk ${i}`);
    } finally {
      await r.close();
    }
  });
});

test('a flipped bit is reported as corruption with the file and offset; query reads skip the CRC', async () => {
  await withTempDir(async (dir) => {
    const w = await ChunkSegmentWriter.open(dir);
    const chunk = makeChunk(1, 50);
    const [ref] = await w.writeChunks([chunk]);
    await w.close();
    const path = join(dir, '000001');
    const bytes = await readFile(path);
    bytes[20] ^= 0x10;
    await writeFile(path, bytes);
    const r = await ChunkSegmentReader.open(dir);
    try {
      await assert.rejects(r.chunk(ref), (err: unknown) => {
        assert.ok(err instanceof CorruptionError);
        assert.equal(err.file, path);
        assert.equal(err.offset, 8);
        assert.match(err.message, /checksum mismatch/);
        return true;
      });
      await assert.rejects(r.chunk(chunkRef(1, 8)), CorruptionError);
      await assert.rejects(r.chunk(chunkRef(0, bytes.length + 10)), CorruptionError);
      // A query reads the damaged data as it is, and still refuses a reference past the end.
      const read = r.queryBytesSync(ref);
      assert.equal(read.length, chunk.bytes().length);
      assert.notDeepEqual(read, chunk.bytes());
      assert.throws(() => r.queryBytesSync(chunkRef(0, bytes.length + 10)), CorruptionError);
    } finally {
      await r.close();
    }
  });
});

test('a file without the chunks magic number is refused', async () => {
  await withTempDir(async (dir) => {
    await writeFile(join(dir, '000001'), Buffer.from('0123456789abcdef'));
    await assert.rejects(ChunkSegmentReader.open(dir), /invalid magic number/);
  });
});

test('oracle: chunks written by Prometheus (promtool) decode, and re-encode to the same bytes', async () => {
  await withTempDir(async (dir) => {
    // Timestamps in seconds with binary-exact fractions, so milliseconds are exact.
    const lines = ['# TYPE c counter'];
    const want: string[] = [];
    let v = 0;
    let gap = 0;
    for (let i = 0; i < 300; i++) {
      v += ((i * 7919) % 5000) / 100;
      if (i % 40 === 39) gap += 120_000; // two minutes without scrapes (all stays in one 2 h block)
      const ms = 1_700_000_000_000 + i * 15000 + (i % 7 === 0 ? 500 : 0) + gap;
      lines.push(`c_total{job="a"} ${v} ${ms / 1000}`);
      want.push(`${ms} ${v}`);
    }
    const specials = ['NaN', '+Inf', '-Inf', '-0', '0.1', '1e300', '2.5', '2.5'];
    const values = [NaN, Infinity, -Infinity, -0, 0.1, 1e300, 2.5, 2.5];
    lines.push('# TYPE g gauge');
    for (let i = 0; i < 300; i++) {
      const ms = 1_700_000_000_000 + i * 15000 - (i % 5 === 0 ? 250 : 0);
      lines.push(`g{job="a"} ${specials[(i * 5) % specials.length]} ${ms / 1000}`);
      want.push(`${ms} ${values[(i * 5) % specials.length]}`);
    }
    lines.push('# EOF');
    await writeFile(join(dir, 'in.om'), lines.join('\n') + '\n');
    execFileSync(
      requireProgram('promtool', 'prometheus'),
      ['tsdb', 'create-blocks-from', 'openmetrics', join(dir, 'in.om'), join(dir, 'out')],
      {
        stdio: 'ignore',
      },
    );
    const [block] = await readdir(join(dir, 'out'));
    const chunksDir = join(dir, 'out', block, 'chunks');
    const raw = await readFile(join(chunksDir, '000001'));
    const r = await ChunkSegmentReader.open(chunksDir);
    const got: string[] = [];
    try {
      // Walk the segment chunk by chunk (the index, which holds the refs, is not read here).
      let offset = 8;
      let count = 0;
      while (offset < raw.length) {
        const c = (await r.chunk(chunkRef(0, offset))) as XorChunk;
        got.push(...samples(c));
        // Re-encoding the decoded samples must give Prometheus' bytes exactly.
        const again = new XorChunk();
        const app = again.appender();
        const it = c.iterator();
        while (it.next() === ValueType.Float) app.append(it.t(), it.v());
        assert.equal(Buffer.from(again.bytes()).toString('hex'), Buffer.from(c.bytes()).toString('hex'));
        const len = c.bytes().length;
        offset += (len < 128 ? 1 : len < 16384 ? 2 : 3) + 1 + len + 4;
        count++;
      }
      assert.ok(count >= 4, `chunks read: ${count}`);
    } finally {
      await r.close();
    }
    assert.deepEqual(got, want);
  });
});
