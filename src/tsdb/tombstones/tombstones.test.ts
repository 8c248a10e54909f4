import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CorruptionError } from '../encoding/errors.js';
import { decodeTombstones, encodeTombstones } from './index.js';

test('tombstones: empty file is header and CRC of nothing', () => {
  const b = encodeTombstones([]);
  assert.deepEqual([...b], [0x01, 0x30, 0xba, 0x30, 1, 0, 0, 0, 0]);
  assert.deepEqual(decodeTombstones(b), []);
});

test('tombstones: intervals round-trip, negative times included', () => {
  const stones = [
    { ref: 1, mint: -5, maxt: 10 },
    { ref: 300, mint: 1_700_000_000_000, maxt: 1_700_000_100_000 },
  ];
  assert.deepEqual(decodeTombstones(encodeTombstones(stones)), stones);
});

test('tombstones: a flipped byte or bad magic is a CorruptionError', () => {
  const b = encodeTombstones([{ ref: 7, mint: 1, maxt: 2 }]);
  const bad = b.slice();
  bad[6] ^= 1;
  assert.throws(() => decodeTombstones(bad), CorruptionError);
  const magic = b.slice();
  magic[0] = 9;
  assert.throws(() => decodeTombstones(magic), CorruptionError);
  assert.throws(() => decodeTombstones(new Uint8Array(3)), CorruptionError);
});
