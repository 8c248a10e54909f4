import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Labels, LabelsBuilder, hashString } from './labels.js';

test('labels are sorted by name and drop empty values', () => {
  const ls = Labels.from({ job: 'node', __name__: 'up', empty: '', instance: 'a:9100' });
  assert.deepEqual(ls.names(), ['__name__', 'instance', 'job']);
  assert.equal(ls.get('empty'), '');
  assert.equal(ls.has('empty'), false);
  assert.equal(ls.toString(), '{__name__="up", instance="a:9100", job="node"}');
});

test('equal sets have equal keys and hashes whatever the insertion order', () => {
  const a = Labels.fromPairs(['b', '2', 'a', '1']);
  const b = Labels.from({ a: '1', b: '2' });
  assert.ok(a.equals(b));
  assert.equal(a.key, b.key);
  assert.equal(a.hash(), b.hash());
});

test('keys cannot collide through separators inside values', () => {
  const a = Labels.from({ a: 'x', b: 'y' });
  const b = Labels.from({ a: 'x1:b1:y' });
  assert.notEqual(a.key, b.key);
});

test('hash is stable across processes (pinned value)', () => {
  assert.equal(hashString('up'), hashString('up'));
  assert.equal(hashString(''), 3338908027751811);
});

test('a label set hashes to the hash of its key, whether or not the key was built first', () => {
  const pairs = ['__name__', 'node_cpu_seconds_total', 'cpu', '0', 'instance', 'host-é:9100', 'mode', 'idle'];
  const fresh = Labels.fromSortedPairs(pairs);
  const keyed = Labels.fromSortedPairs(pairs);
  const key = keyed.key;
  assert.equal(fresh.hash(), hashString(key));
  assert.equal(keyed.hash(), fresh.hash());
  assert.equal(Labels.from({ a: 'x', b: 'y' }).hash(), 219673458580742);
  // Lengths of two and three base-36 digits are hashed as the key spells them.
  for (const n of [35, 36, 1295, 1296, 5000]) {
    const long = Labels.from({ a: 'v'.repeat(n) });
    assert.equal(long.hash(), hashString(Labels.from({ a: 'v'.repeat(n) }).key), `value of ${n} chars`);
  }
});

test('compare orders label by label, shorter set first', () => {
  const sets = [Labels.from({ a: '2' }), Labels.from({ a: '1', b: '1' }), Labels.from({ a: '1' })];
  sets.sort((a, b) => Labels.compare(a, b));
  assert.deepEqual(
    sets.map((s) => s.toString()),
    ['{a="1"}', '{a="1", b="1"}', '{a="2"}'],
  );
});

test('compare orders values in UTF-8 byte order: an emoji after a fullwidth letter', () => {
  // UTF-16 puts the emoji's surrogate (U+D83D) before U+FF21; Go's byte order puts it after.
  const sets = [Labels.from({ a: '🙂' }), Labels.from({ a: 'Ａ' }), Labels.from({ a: 'z' })];
  sets.sort((a, b) => Labels.compare(a, b));
  assert.deepEqual(
    sets.map((s) => s.get('a')),
    ['z', 'Ａ', '🙂'],
  );
});

test('builder edits and deletes', () => {
  const base = Labels.from({ a: '1', b: '2' });
  const out = new LabelsBuilder(base).set('c', '3').del('a').set('b', '').labels();
  assert.equal(out.toString(), '{c="3"}');
  assert.equal(base.toString(), '{a="1", b="2"}');
});

test('toString escapes quotes, backslashes and newlines', () => {
  assert.equal(Labels.from({ a: 'x"y\\z\n' }).toString(), '{a="x\\"y\\\\z\\n"}');
});
