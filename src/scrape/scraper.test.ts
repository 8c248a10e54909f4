import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { defaultHTTPClientConfig } from '../config/http-client.js';
import { BodySizeLimitError, HttpScraper } from './scraper.js';

const TEXT = 'a 1\nb{x="y"} 2\n'.repeat(2000);
const text = (body: Uint8Array): string => Buffer.from(body).toString();

describe('HttpScraper', () => {
  let server: Server;
  let base = '';
  before(async () => {
    server = createServer((req, res) => {
      const gzip = { 'Content-Encoding': 'gzip' };
      if (req.url === '/gzip') res.writeHead(200, gzip).end(gzipSync(TEXT));
      else if (req.url === '/corrupt') res.writeHead(200, gzip).end(gzipSync(TEXT).subarray(0, 100));
      else res.writeHead(200).end(TEXT);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => server.close());

  const scraper = (path: string, bodySizeLimit = 0): HttpScraper =>
    new HttpScraper({
      url: base + path,
      accept: 'text/plain',
      timeoutMs: 5000,
      bodySizeLimit,
      enableCompression: true,
      httpClient: defaultHTTPClientConfig(),
      agents: undefined,
    });

  it('decompresses a gzipped body, the same again on the next scrape', async () => {
    const s = scraper('/gzip');
    for (let i = 0; i < 2; i++) assert.equal(await s.scrape(text), TEXT);
  });

  it("rejects with the consumer's error", async () => {
    const fail = (): never => {
      throw new Error('parse error at 1:1');
    };
    await assert.rejects(scraper('/gzip').scrape(fail), /^Error: parse error at 1:1$/);
    await assert.rejects(scraper('/plain').scrape(fail), /^Error: parse error at 1:1$/);
  });

  it('fails a truncated gzip body with a read error', async () => {
    await assert.rejects(scraper('/corrupt').scrape(text), /^Error: read body: /);
  });

  it('fails a gzipped body that decompresses to the size limit', async () => {
    await assert.rejects(scraper('/gzip', TEXT.length).scrape(text), BodySizeLimitError);
    await assert.rejects(scraper('/gzip', 1000).scrape(text), BodySizeLimitError);
    assert.equal((await scraper('/gzip', TEXT.length + 1).scrape(text)).length, TEXT.length);
  });
});
