import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Labels, RegexSyntaxError } from '../model/index.js';
import { makeRelabelConfig, RelabelConfigError } from './config.js';
import type { RelabelConfigInput } from './config.js';
import { relabel } from './relabel.js';

interface Case {
  name: string;
  input: Record<string, string>;
  rules: RelabelConfigInput[];
  /** undefined: dropped. */
  want: Record<string, string> | undefined;
}

const base = { a: 'foo', b: 'bar', c: 'baz' };

const cases: Case[] = [
  {
    name: 'replace with defaults copies the source value',
    input: base,
    rules: [{ sourceLabels: ['a'], targetLabel: 'd' }],
    want: { ...base, d: 'foo' },
  },
  {
    name: 'replace with groups and separator',
    input: base,
    rules: [
      { sourceLabels: ['a', 'b'], regex: 'f(.*);(.*)r', targetLabel: 'a', replacement: 'ch${1}-ch${2}' },
    ],
    want: { ...base, a: 'choo-chba' },
  },
  {
    name: 'replace is anchored: a partial match changes nothing',
    input: base,
    rules: [{ sourceLabels: ['a'], regex: 'o', targetLabel: 'd', replacement: 'x' }],
    want: base,
  },
  {
    name: 'replace with an empty result deletes the target',
    input: base,
    rules: [{ sourceLabels: ['a'], regex: 'foo', targetLabel: 'b', replacement: '' }],
    want: { a: 'foo', c: 'baz' },
  },
  {
    name: 'replace with a missing source matches the empty string',
    input: base,
    rules: [{ sourceLabels: ['z'], regex: '', targetLabel: 'd', replacement: 'empty' }],
    want: { ...base, d: 'empty' },
  },
  {
    name: 'replace target_label from a group',
    input: base,
    rules: [{ sourceLabels: ['a'], regex: '(f)(.*)', targetLabel: 'x_${2}', replacement: '$1' }],
    want: { ...base, x_oo: 'f' },
  },
  {
    name: 'replace $1x is the group named 1x, empty, so the label is deleted',
    input: base,
    rules: [{ sourceLabels: ['a'], regex: '(.*)', targetLabel: 'a', replacement: '$1x' }],
    want: { b: 'bar', c: 'baz' },
  },
  {
    name: 'replace with a named group',
    input: base,
    rules: [{ sourceLabels: ['c'], regex: 'b(?P<rest>.*)', targetLabel: 'd', replacement: '<$rest>' }],
    want: { ...base, d: '<az>' },
  },
  {
    name: 'dot matches newline',
    input: { a: 'x\ny' },
    rules: [{ sourceLabels: ['a'], regex: 'x.y', targetLabel: 'm', replacement: 'yes' }],
    want: { a: 'x\ny', m: 'yes' },
  },
  {
    name: 'keep on match',
    input: base,
    rules: [{ sourceLabels: ['a'], regex: 'f.*', action: 'keep' }],
    want: base,
  },
  {
    name: 'keep drops on no match',
    input: base,
    rules: [{ sourceLabels: ['a'], regex: 'f', action: 'keep' }],
    want: undefined,
  },
  {
    name: 'drop on match',
    input: base,
    rules: [{ sourceLabels: ['a'], regex: 'f.*', action: 'drop' }],
    want: undefined,
  },
  {
    name: 'drop keeps on no match',
    input: base,
    rules: [{ sourceLabels: ['a'], regex: 'x', action: 'drop' }],
    want: base,
  },
  {
    name: 'keepequal keeps equal values',
    input: { a: 'x', b: 'x' },
    rules: [{ sourceLabels: ['a'], targetLabel: 'b', action: 'keepequal' }],
    want: { a: 'x', b: 'x' },
  },
  {
    name: 'keepequal drops different values',
    input: base,
    rules: [{ sourceLabels: ['a'], targetLabel: 'b', action: 'keepequal' }],
    want: undefined,
  },
  {
    name: 'dropequal drops equal values',
    input: { a: 'x', b: 'x' },
    rules: [{ sourceLabels: ['a'], targetLabel: 'b', action: 'dropequal' }],
    want: undefined,
  },
  {
    name: 'dropequal keeps different values',
    input: base,
    rules: [{ sourceLabels: ['a'], targetLabel: 'b', action: 'dropequal' }],
    want: base,
  },
  {
    name: 'hashmod of baz modulo 1000 is 976',
    input: base,
    rules: [{ sourceLabels: ['c'], targetLabel: 'd', modulus: 1000, action: 'hashmod' }],
    want: { ...base, d: '976' },
  },
  {
    name: 'hashmod with a large modulus uses all 64 bits',
    input: base,
    rules: [{ sourceLabels: ['a'], targetLabel: 'd', modulus: 2 ** 53, action: 'hashmod' }],
    want: { ...base, d: hashModExpected('foo', 2n ** 53n) },
  },
  {
    name: 'labelmap copies matching names',
    input: { __meta_kubernetes_pod_label_app: 'web', __meta_x: '1', job: 'j' },
    rules: [{ regex: '__meta_kubernetes_pod_label_(.+)', action: 'labelmap' }],
    want: { __meta_kubernetes_pod_label_app: 'web', __meta_x: '1', job: 'j', app: 'web' },
  },
  {
    name: 'labelmap with a replacement template',
    input: { foo_a: '1', foo_b: '2', c: '3' },
    rules: [{ regex: 'foo_(.*)', replacement: 'bar_${1}', action: 'labelmap' }],
    want: { foo_a: '1', foo_b: '2', c: '3', bar_a: '1', bar_b: '2' },
  },
  {
    name: 'labelmap never creates an empty name',
    input: { foo_a: '1' },
    rules: [{ regex: 'foo_(.*)', replacement: '$2', action: 'labelmap' }],
    want: { foo_a: '1' },
  },
  {
    name: 'labeldrop removes matching names',
    input: base,
    rules: [{ regex: 'a|b', action: 'labeldrop' }],
    want: { c: 'baz' },
  },
  {
    name: 'labelkeep keeps matching names',
    input: base,
    rules: [{ regex: 'a|b', action: 'labelkeep' }],
    want: { a: 'foo', b: 'bar' },
  },
  {
    name: 'lowercase',
    input: { a: 'FoO', b: 'BaR' },
    rules: [{ sourceLabels: ['a', 'b'], targetLabel: 'l', action: 'lowercase' }],
    want: { a: 'FoO', b: 'BaR', l: 'foo;bar' },
  },
  {
    name: 'uppercase',
    input: { a: 'FoO' },
    rules: [{ sourceLabels: ['a'], targetLabel: 'u', action: 'uppercase' }],
    want: { a: 'FoO', u: 'FOO' },
  },
  {
    name: 'rules apply in order and a drop stops processing',
    input: base,
    rules: [
      { sourceLabels: ['a'], targetLabel: 'x', replacement: 'drop-me' },
      { sourceLabels: ['x'], regex: 'drop-me', action: 'drop' },
    ],
    want: undefined,
  },
];

function hashModExpected(value: string, modulus: bigint): string {
  // Independent of the implementation: hex of the last 8 md5 bytes.
  return (BigInt('0x' + md5Hex(value).slice(16)) % modulus).toString();
}

function md5Hex(s: string): string {
  return createHash('md5').update(s).digest('hex');
}

for (const c of cases) {
  test(`relabel: ${c.name}`, () => {
    const rules = c.rules.map((r) => makeRelabelConfig(r));
    const got = relabel(Labels.from(c.input), rules);
    if (c.want === undefined) assert.equal(got, undefined);
    else assert.deepEqual(got?.toRecord(), Labels.from(c.want).toRecord());
  });
}

const invalid: [name: string, input: RelabelConfigInput, message: string][] = [
  [
    'hashmod without modulus',
    { action: 'hashmod', targetLabel: 'x' },
    'relabel configuration for hashmod requires non-zero modulus',
  ],
  [
    'replace without target',
    { action: 'replace' },
    "relabel configuration for replace action requires 'target_label' value",
  ],
  [
    'lowercase without target',
    { action: 'lowercase' },
    "relabel configuration for lowercase action requires 'target_label' value",
  ],
  [
    'lowercase with replacement',
    { action: 'lowercase', targetLabel: 'x', replacement: 'y' },
    "'replacement' can not be set for lowercase action",
  ],
  [
    'keepequal with a regex',
    { action: 'keepequal', targetLabel: 'x', regex: 'a' },
    "keepequal action requires only 'source_labels' and `target_label`, and no other fields",
  ],
  [
    'labeldrop with source labels',
    { action: 'labeldrop', sourceLabels: ['a'] },
    "labeldrop action requires only 'regex', and no other fields",
  ],
  [
    'labelkeep with target',
    { action: 'labelkeep', targetLabel: 'a' },
    "labelkeep action requires only 'regex', and no other fields",
  ],
];

for (const [name, input, message] of invalid) {
  test(`invalid relabel config: ${name}`, () => {
    assert.throws(
      () => makeRelabelConfig(input),
      (e: unknown) => e instanceof RelabelConfigError && e.message === message,
    );
  });
}

test('invalid relabel regex throws RegexSyntaxError', () => {
  assert.throws(() => makeRelabelConfig({ regex: '(', targetLabel: 'x' }), RegexSyntaxError);
});

test('legacy scheme rejects a dotted target label', () => {
  assert.throws(
    () => makeRelabelConfig({ targetLabel: 'a.b' }, 'legacy'),
    (e: unknown) =>
      e instanceof RelabelConfigError && e.message === `"a.b" is invalid 'target_label' for replace action`,
  );
});
