/** `vigil check metrics`, run as a user would: the launcher in a child process. */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { VIGIL_BIN } from './support/paths.js';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function vigil(args: string[], input?: string): Run {
  const r = spawnSync(process.execPath, [VIGIL_BIN, ...args], { input, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

void describe('vigil check metrics', () => {
  let dir = '';
  const file = (name: string, content: string): string => {
    const p = path.join(dir, name);
    writeFileSync(p, content);
    return p;
  };
  void before(() => (dir = mkdtempSync(path.join(tmpdir(), 'vigil-check-metrics-'))));
  void after(() => rmSync(dir, { recursive: true, force: true }));

  void it('accepts a clean text file', () => {
    const f = file('good.prom', '# HELP up_total Ups.\n# TYPE up_total counter\nup_total{job="a"} 1\n');
    const r = vigil(['check', 'metrics', f]);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, `${f}: ok\n`);
  });

  void it('reports the line and column of an error and exits 1', () => {
    const f = file('bad.prom', 'a 1\nb{c=INVALID} 2\n');
    const r = vigil(['check', 'metrics', f]);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, `${f}:2:5: expected label value, got "INVALID}"\n`);
  });

  void it('rejects a TYPE after its samples, as promtool does', () => {
    const f = file('late-type.prom', '# HELP x X.\nx 1\n# TYPE x gauge\n');
    const r = vigil(['check', 'metrics', f]);
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr,
      `${f}:3:1: second TYPE line for metric name "x", or TYPE reported after samples\n`,
    );
  });

  void it('prints lint warnings without failing', () => {
    const f = file(
      'lint.prom',
      '# TYPE requests counter\nrequests 1\n# HELP latency_milliseconds L.\n# TYPE latency_milliseconds gauge\nlatency_milliseconds 3\n',
    );
    const r = vigil(['check', 'metrics', f]);
    assert.equal(r.code, 0);
    assert.deepEqual(r.stdout.trim().split('\n'), [
      `${f}: ok`,
      `${f}: latency_milliseconds: use base unit "seconds" instead of "milliseconds"`,
      `${f}: requests: counter metrics should have "_total" suffix`,
      `${f}: requests: no help text`,
    ]);
    assert.equal(vigil(['check', 'metrics', '--lint=none', f]).stdout, `${f}: ok\n`);
  });

  void it('detects OpenMetrics from # EOF and applies its rules', () => {
    const f = file('om.txt', '# TYPE a counter\n# HELP a A.\na_total -1\n# EOF\n');
    const r = vigil(['check', 'metrics', f]);
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      new RegExp(
        `^${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3:1: counter value must be a non-negative number`,
      ),
    );
    const t = file('om-as-text.txt', '# TYPE a gauge\n# HELP a A.\na 1\n');
    assert.equal(vigil(['check', 'metrics', '--format=openmetrics', t]).code, 1);
  });

  void it('reads stdin for -, and fails overall when one file fails', () => {
    const good = file('g.prom', '# HELP x X.\n# TYPE x gauge\nx 1\n');
    const r = vigil(['check', 'metrics', good, '-'], 'y{ 1\n');
    assert.equal(r.code, 1);
    assert.equal(r.stdout, `${good}: ok\n`);
    assert.match(r.stderr, /^-:1:4: /);
  });

  void it('rejects invalid UTF-8 in a text file', () => {
    const f = path.join(dir, 'latin1.prom');
    writeFileSync(f, Buffer.from('# HELP x X.\n# TYPE x gauge\nx{city="M\xfcnchen"} 1\n', 'latin1'));
    const r = vigil(['check', 'metrics', f]);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, `${f}:3:10: invalid UTF-8\n`);
  });

  void it('exits 2 on a usage error', () => {
    assert.equal(vigil(['check', 'metrics', '--format=json', 'x']).code, 2);
    assert.equal(vigil(['check', 'metrics']).code, 2);
  });
});
