import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { LogfmtLogger } from './logger.js';

test('LogfmtLogger writes logfmt lines and filters by level', () => {
  const out = new PassThrough();
  const chunks: string[] = [];
  out.on('data', (c: Buffer) => chunks.push(c.toString()));
  const log = new LogfmtLogger(out, { level: 'info', now: () => new Date(0) }).with({ component: 'sd' });
  log.debug('Hidden');
  log.warn('Refresh failed', { url: 'http://x/', err: new Error('bad "json"'), n: 3, skip: undefined });
  assert.equal(
    chunks.join(''),
    'time=1970-01-01T00:00:00.000Z level=warn component=sd msg="Refresh failed" url=http://x/ err="bad \\"json\\"" n=3\n',
  );
});

test('LogfmtLogger in JSON format writes one object per line with time, level, msg and fields', () => {
  const out = new PassThrough();
  const chunks: string[] = [];
  out.on('data', (c: Buffer) => chunks.push(c.toString()));
  const log = new LogfmtLogger(out, {
    format: 'json',
    now: () => new Date(0),
    fields: { component: 'tsdb' },
  });
  log.info('WAL replay completed', { series: 3, err: new Error('x') });
  log.debug('dropped');
  assert.deepEqual(chunks, [
    '{"time":"1970-01-01T00:00:00.000Z","level":"info","component":"tsdb","msg":"WAL replay completed","series":"3","err":"x"}\n',
  ]);
});
