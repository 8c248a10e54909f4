import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FlagSpec } from './command.js';
import { UsageError } from './command.js';
import { parseCommandLine } from './flags.js';

const flags: FlagSpec[] = [
  { name: 'config.file', help: '', default: 'prometheus.yml' },
  { name: 'web.enable-lifecycle', help: '', kind: 'bool' },
  { name: 'match', help: '', repeatable: true },
  { name: 'format', help: '', choices: ['text', 'openmetrics'], default: 'text' },
];

test('long flags take values with = or as the next word', () => {
  assert.equal(parseCommandLine(['--config.file=a.yml'], flags, []).flags.string('config.file'), 'a.yml');
  assert.equal(parseCommandLine(['--config.file', 'b.yml'], flags, []).flags.string('config.file'), 'b.yml');
  assert.equal(parseCommandLine([], flags, []).flags.string('config.file'), 'prometheus.yml');
});

test('boolean flags and their --no- form', () => {
  assert.equal(
    parseCommandLine(['--web.enable-lifecycle'], flags, []).flags.bool('web.enable-lifecycle'),
    true,
  );
  assert.equal(
    parseCommandLine(['--no-web.enable-lifecycle'], flags, []).flags.bool('web.enable-lifecycle'),
    false,
  );
  assert.equal(parseCommandLine([], flags, []).flags.bool('web.enable-lifecycle'), false);
});

test('repeatable flags collect values; others refuse repeats', () => {
  const p = parseCommandLine(['--match=up', '--match', 'down'], flags, []);
  assert.deepEqual(p.flags.strings('match'), ['up', 'down']);
  assert.throws(() => parseCommandLine(['--format=text', '--format=text'], flags, []), UsageError);
});

test('positional arguments, `-` and `--`', () => {
  const p = parseCommandLine(['a', '-', '--', '--not-a-flag'], flags, [
    { name: 'file', help: '', variadic: true },
  ]);
  assert.deepEqual(p.args, ['a', '-', '--not-a-flag']);
});

test('usage mistakes are UsageErrors naming the flag', () => {
  assert.throws(() => parseCommandLine(['--nope'], flags, []), /unknown long flag '--nope'/);
  assert.throws(
    () => parseCommandLine(['--config.file'], flags, []),
    /expected argument for flag '--config.file'/,
  );
  assert.throws(() => parseCommandLine(['--format=xml'], flags, []), /one of text,openmetrics/);
  assert.throws(() => parseCommandLine([], flags, [{ name: 'file', help: '' }]), /required argument 'file'/);
  assert.throws(
    () => parseCommandLine(['x', 'y'], flags, [{ name: 'file', help: '' }]),
    /unexpected argument 'y'/,
  );
});
