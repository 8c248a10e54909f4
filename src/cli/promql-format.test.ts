import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runVigil } from '../../test/support/cli.js';

const run = (argv: string[]) => runVigil(...argv);

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
