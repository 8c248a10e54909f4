// The `vigil` command as a user runs it: a real child process through bin/vigil.js.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, VIGIL_BIN } from './support/paths.js';

function vigil(...args: string[]) {
  return spawnSync(process.execPath, [VIGIL_BIN, ...args], { encoding: 'utf8' });
}

test('--version prints the package version and exits 0', () => {
  const { version } = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
    version: string;
  };
  const r = vigil('--version');
  assert.equal(r.status, 0);
  assert.match(r.stdout, new RegExp(`vigil, version ${version.replace(/\./g, '\\.')}`));
});

test('--help lists the subcommands', () => {
  const r = vigil('--help');
  assert.equal(r.status, 0);
  assert.match(r.stdout, /usage: vigil <command>/);
  assert.match(r.stdout, /server/);
});

test('each subcommand has --help', () => {
  const r = vigil('server', '--help');
  assert.equal(r.status, 0);
  assert.match(r.stdout, /usage: vigil server/);
});

test('usage errors exit 2 with a message on stderr', () => {
  const unknownCommand = vigil('frobnicate');
  assert.equal(unknownCommand.status, 2);
  assert.match(unknownCommand.stderr, /unknown command 'frobnicate'/);
  const unknownFlag = vigil('server', '--no-such.flag=1');
  assert.equal(unknownFlag.status, 2);
  assert.match(unknownFlag.stderr, /unknown long flag '--no-such.flag'/);
});
