import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SeriesText, hashBytes } from './series-text.js';
import { TextParser } from './text-parser.js';
import { Entry } from './entry.js';

describe('SeriesText', () => {
  for (const series of ['a', 'ab_c', 'node_cpu_seconds_total{cpu="0",mode="idle"}', '{"ü.x",a="ö"}']) {
    it(`hashes and compares ${JSON.stringify(series)} as the parser hands it out`, () => {
      const p = new TextParser(Buffer.from(`# HELP x y\n${series} 1\n`));
      while (p.next() !== Entry.Series);
      const text = p.seriesText();
      const copy = SeriesText.of(Buffer.from(series, 'utf8').toString('latin1'));
      assert.equal(text.length, copy.length);
      assert.equal(text.hash(), copy.hash());
      assert.ok(Number.isInteger(text.hash()) && text.hash() >= 0 && text.hash() < 2 ** 30);
      assert.equal(text.equals(copy.view, 0), true);
    });
  }

  it('finds a difference in any byte, in the 4-byte words and in the tail', () => {
    const text = SeriesText.of('abcdefghij');
    for (let i = 0; i < 10; i++) {
      const other = Buffer.from('abcdefghij', 'latin1');
      other[i] ^= 1;
      assert.equal(text.equals(new DataView(other.buffer, other.byteOffset, other.length), 0), false);
      assert.notEqual(
        hashBytes(new DataView(other.buffer, other.byteOffset, other.length), 0, 10),
        text.hash(),
      );
    }
  });

  it('compares against an offset of a larger buffer', () => {
    const arena = Buffer.from('xxabcdefgyy', 'latin1');
    const view = new DataView(arena.buffer, arena.byteOffset, arena.length);
    assert.equal(SeriesText.of('abcdefg').equals(view, 2), true);
    assert.equal(SeriesText.of('abcdefg').equals(view, 1), false);
  });
});
