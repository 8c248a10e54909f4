import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { main } from './main.js';

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (b: Buffer) => (out += b.toString()));
  stderr.on('data', (b: Buffer) => (err += b.toString()));
  const code = await main(argv, { stdin: new PassThrough(), stdout, stderr });
  return { code, out, err };
}

test('promql format sum(rate(x[5m]))by(job)', async () => {
  assert.deepEqual(await run(['promql', 'format', 'sum(rate(x[5m]))by(job)']), {
    code: 0,
    out: 'sum by (job) (rate(x[5m]))\n',
    err: '',
  });
});

test('promql format rate(x)', async () => {
  assert.deepEqual(await run(['promql', 'format', 'rate(x)']), {
    code: 1,
    out: '',
    err: '1:6: parse error: expected type range vector in call to function "rate", got instant vector\n',
  });
});
