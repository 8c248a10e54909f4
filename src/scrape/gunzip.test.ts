import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { GunzipLimitError, Gunzipper } from './gunzip.js';

const text = (body: Uint8Array): string => Buffer.from(body).toString();

/** ~1 MB of exposition text, far past the first output buffer. */
const LARGE = Array.from({ length: 20_000 }, (_, i) => `m{i="${i}"} ${i * 1.5}\n`).join('');
const SMALL = 'up 1\n';

for (const reuseHandle of [true, false]) {
  describe(`Gunzipper (${reuseHandle ? 'one reused zlib handle' : "gunzipSync's path"})`, () => {
    it('decompresses bodies one after another, small and large', () => {
      const g = new Gunzipper({ reuseHandle });
      for (const body of [SMALL, LARGE, SMALL, LARGE]) assert.equal(text(g.decode(gzipSync(body), 0)), body);
    });

    it('decompresses concatenated gzip members as one body', () => {
      const g = new Gunzipper({ reuseHandle });
      const twoMembers = Buffer.concat([gzipSync('a 1\n'), gzipSync('b 2\n')]);
      assert.equal(text(g.decode(twoMembers, 0)), 'a 1\nb 2\n');
    });

    it('fails a truncated or corrupt body, and decodes the next good one', () => {
      const g = new Gunzipper({ reuseHandle });
      const whole = gzipSync(LARGE);
      assert.throws(() => g.decode(whole.subarray(0, whole.length / 2), 0), /unexpected end of file/);
      assert.equal(text(g.decode(gzipSync(SMALL), 0)), SMALL);
      assert.throws(() => g.decode(Buffer.from('not gzip at all'), 0), /incorrect header check/);
      assert.equal(text(g.decode(whole, 0)), LARGE);
    });

    it('fails a body that decompresses to the limit or beyond', () => {
      const g = new Gunzipper({ reuseHandle });
      const gz = gzipSync(LARGE);
      assert.throws(() => g.decode(gz, LARGE.length), GunzipLimitError);
      assert.throws(() => g.decode(gz, 1000), GunzipLimitError);
      assert.equal(g.decode(gz, LARGE.length + 1).length, LARGE.length);
    });
  });
}
