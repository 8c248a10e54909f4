import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  appendFileSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ValueType } from '../../storage/interface.js';
import type { LogFields, Logger } from '../../util/logger.js';
import { XorChunk } from '../chunkenc/xor.js';
import { crc32c } from '../encoding/crc32c.js';
import { CorruptionError } from '../encoding/errors.js';
import type { HeadChunkMeta } from './head-chunks.js';
import {
  HeadChunkReader,
  HeadChunkWriter,
  headChunkRef,
  headChunkRefOffset,
  headChunkRefSeq,
} from './head-chunks.js';

class MemLogger implements Logger {
  readonly warnings: string[] = [];
  debug(): void {}
  info(): void {}
  warn(message: string, fields?: LogFields): void {
    this.warnings.push(`${message} ${String(fields?.['file'] ?? '')} ${String(fields?.['offset'] ?? '')}`);
  }
  error(): void {}
}

function withTempDir(fn: (dir: string) => void | Promise<void>): () => Promise<void> {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-head-chunks-'));
    try {
      await fn(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

function makeChunk(seed: number, n: number, t0 = 1_700_000_000_000): XorChunk {
  const c = new XorChunk();
  const app = c.appender();
  for (let i = 0; i < n; i++) app.append(t0 + i * 15_000, seed * 100 + i * 0.5);
  return c;
}

function samples(c: { iterator(): { next(): ValueType; t(): number; v(): number } }): string[] {
  const out: string[] = [];
  const it = c.iterator();
  while (it.next() === ValueType.Float) out.push(`${it.t()} ${it.v()}`);
  return out;
}

interface Written {
  series: number;
  ref: number;
  chunk: XorChunk;
  mint: number;
  maxt: number;
}

function writeSome(w: HeadChunkWriter, count: number): Written[] {
  const out: Written[] = [];
  for (let i = 0; i < count; i++) {
    const t0 = 1_700_000_000_000 + i * 1000;
    const chunk = makeChunk(i, 10 + (i % 7) * 5, t0);
    const maxt = t0 + (chunk.numSamples() - 1) * 15_000;
    out.push({ series: (i % 5) + 1, ref: w.writeChunk((i % 5) + 1, t0, maxt, chunk), chunk, mint: t0, maxt });
  }
  return out;
}

/** Writes `count` chunks into a fresh `dir` and closes writer and reader. */
async function writeFiles(dir: string, count: number, maxFileSize?: number): Promise<Written[]> {
  const r = HeadChunkReader.open(dir, { logger: new MemLogger() });
  const w = HeadChunkWriter.open(r, maxFileSize === undefined ? {} : { maxFileSize });
  const written = writeSome(w, count);
  await w.close();
  r.close();
  return written;
}

test('head chunk refs hold the file sequence and the offset', () => {
  const ref = headChunkRef(7, 0xfffffff8);
  assert.equal(headChunkRefSeq(ref), 7);
  assert.equal(headChunkRefOffset(ref), 0xfffffff8);
});

test(
  'chunks written to head chunk files read back by ref (buffered or flushed) and by iteration',
  withTempDir(async (dir) => {
    const logger = new MemLogger();
    const r = HeadChunkReader.open(dir, { logger });
    const w = HeadChunkWriter.open(r, { maxFileSize: 400, writeBufferSize: 256 });
    const written = writeSome(w, 40);
    // Read everything before close: some chunks are still in the write buffer.
    for (const x of written) assert.deepEqual(samples(r.chunk(x.ref)), samples(x.chunk));
    await w.close();
    const files = readdirSync(dir).sort();
    assert.ok(files.length > 2, `several files: ${files.join(',')}`);
    assert.equal(files[0], '000001');
    assert.equal(headChunkRefSeq(written[0].ref), 1);
    assert.equal(headChunkRefOffset(written[0].ref), 8);
    for (const f of files) assert.ok(statSync(join(dir, f)).size <= 400);

    // Byte layout of the first record.
    const b = readFileSync(join(dir, '000001'));
    assert.equal(b.subarray(0, 8).toString('hex'), '0130bc9101000000');
    assert.equal(b.readBigUInt64BE(8), 1n);
    assert.equal(b.readBigInt64BE(16), BigInt(written[0].mint));
    assert.equal(b.readBigInt64BE(24), BigInt(written[0].maxt));
    assert.equal(b[32], 1); // XOR
    const data = written[0].chunk.bytes();
    assert.equal(b[33], data.length); // uvarint < 128
    assert.deepEqual(b.subarray(34, 34 + data.length), Buffer.from(data));
    assert.equal(b.readUInt32BE(34 + data.length), crc32c(b, 8, 34 + data.length));
    r.close();

    // A fresh reader iterates every record in order with its metadata.
    const r2 = HeadChunkReader.open(dir, { logger });
    const metas = [...r2.iterate()];
    assert.deepEqual(
      metas.map((m) => [m.seriesRef, m.ref, m.mint, m.maxt, m.numSamples, m.encoding, m.ooo]),
      written.map((x) => [x.series, x.ref, x.mint, x.maxt, x.chunk.numSamples(), 1, false]),
    );
    assert.equal(r2.repaired, undefined);
    assert.deepEqual(logger.warnings, []);
    // A writer on the reopened directory starts a new file after the last one.
    const w2 = HeadChunkWriter.open(r2);
    const ref = w2.writeChunk(9, 1, 2, makeChunk(1, 2), true);
    assert.equal(headChunkRefSeq(ref), files.length + 1);
    await w2.close();
    const last = [...r2.iterate()].at(-1) as HeadChunkMeta;
    assert.deepEqual([last.seriesRef, last.ooo, last.encoding], [9, true, 1]);
    r2.close();
  }),
);

test(
  'a torn tail is cut off with a warning and every complete chunk before it is kept',
  withTempDir(async (dir) => {
    const logger = new MemLogger();
    const written = await writeFiles(dir, 10);
    const path = join(dir, '000001');
    const full = statSync(path).size;
    const lastOff = headChunkRefOffset(written[9].ref);
    truncateSync(path, full - 3);

    const r2 = HeadChunkReader.open(dir, { logger });
    const metas = [...r2.iterate()];
    assert.equal(metas.length, 9);
    assert.ok(r2.repaired instanceof CorruptionError);
    assert.equal(r2.repaired.offset, lastOff);
    assert.equal(statSync(path).size, lastOff);
    assert.equal(logger.warnings.length, 1);
    assert.match(logger.warnings[0], /Truncating corrupted head chunk file/);
    // The repaired file iterates cleanly.
    assert.equal([...r2.iterate()].length, 9);
    assert.equal(r2.repaired, undefined);
    r2.close();
  }),
);

test(
  'a flipped bit stops iteration there, truncates that file and deletes the later ones',
  withTempDir(async (dir) => {
    const logger = new MemLogger();
    const written = await writeFiles(dir, 30, 300);
    const victim = written.find((x) => headChunkRefSeq(x.ref) === 2 && headChunkRefOffset(x.ref) > 8);
    assert.ok(victim !== undefined);
    const path = join(dir, '000002');
    const bytes = readFileSync(path);
    bytes[headChunkRefOffset(victim.ref) + 40] ^= 0x01;
    writeFileSync(path, bytes);

    const r2 = HeadChunkReader.open(dir, { logger });
    assert.throws(() => r2.chunk(victim.ref), /checksum mismatch/);
    const metas = [...r2.iterate()];
    assert.equal(metas.length, written.indexOf(victim));
    assert.deepEqual(readdirSync(dir).sort(), ['000001', '000002']);
    assert.equal(statSync(path).size, headChunkRefOffset(victim.ref));
    r2.close();
  }),
);

test(
  'zero padding after the last record (Prometheus preallocates) ends a file without a warning',
  withTempDir(async (dir) => {
    const logger = new MemLogger();
    await writeFiles(dir, 3);
    appendFileSync(join(dir, '000001'), new Uint8Array(128 * 1024));
    const r2 = HeadChunkReader.open(dir, { logger });
    assert.equal([...r2.iterate()].length, 3);
    assert.deepEqual(logger.warnings, []);
    r2.close();
  }),
);

test(
  'truncation deletes old files but never the one being written',
  withTempDir(async (dir) => {
    const logger = new MemLogger();
    const r = HeadChunkReader.open(dir, { logger });
    const w = HeadChunkWriter.open(r, { maxFileSize: 300 });
    const written = writeSome(w, 30);
    const seqs = r.sequences;
    assert.ok(seqs.length >= 4);
    w.truncateBefore(3);
    assert.deepEqual(r.sequences, seqs.slice(2));
    assert.throws(() => r.chunk(written[0].ref), CorruptionError);
    // Files whose chunks all end before mint go; the current file is cut first, then may go later.
    const keepFrom = written.find((x) => headChunkRefSeq(x.ref) === seqs.at(-1));
    assert.ok(keepFrom !== undefined);
    w.truncateOlderThan(written[written.indexOf(keepFrom) - 1].maxt + 1);
    assert.equal(r.sequences[0], seqs.at(-1));
    assert.equal(w.currentSequence, (seqs.at(-1) ?? 0) + 1);
    w.truncateBefore(1_000);
    assert.deepEqual(r.sequences, [w.currentSequence]);
    await w.close();
    r.close();
  }),
);

test(
  'bad headers, gaps and references outside the files are corruption errors',
  withTempDir((dir) => {
    const logger = new MemLogger();
    writeFileSync(join(dir, '000001'), Buffer.from('85bd40dd01000000', 'hex'));
    assert.throws(() => HeadChunkReader.open(dir, { logger }), /invalid head chunk magic number/);
    writeFileSync(join(dir, '000001'), Buffer.from('0130bc9101000000', 'hex'));
    writeFileSync(join(dir, '000003'), Buffer.from('0130bc9101000000', 'hex'));
    assert.throws(() => HeadChunkReader.open(dir, { logger }), /not sequential/);
    rmSync(join(dir, '000003'));
    writeFileSync(join(dir, '000002'), Uint8Array.of(1, 0x30)); // torn header of the last file: deleted
    const r = HeadChunkReader.open(dir, { logger });
    assert.deepEqual(r.sequences, [1]);
    assert.throws(() => r.chunk(headChunkRef(1, 8)), CorruptionError);
    assert.throws(() => r.chunk(headChunkRef(5, 8)), CorruptionError);
    assert.deepEqual([...r.iterate()], []);
    r.close();
  }),
);

test(
  'a chunk larger than the first read comes back whole',
  withTempDir(async (dir) => {
    const r = HeadChunkReader.open(dir, { logger: new MemLogger() });
    const w = HeadChunkWriter.open(r);
    const big = new XorChunk();
    const app = big.appender();
    for (let i = 0; i < 2000; i++) app.append(1_700_000_000_000 + i * 1000 + (i % 7), Math.sin(i) * 1e6);
    assert.ok(big.bytes().length > 4096);
    const ref = w.writeChunk(1, 0, 1, big);
    await w.close();
    assert.deepEqual(samples(r.chunk(ref)), samples(big));
    r.close();
  }),
);
