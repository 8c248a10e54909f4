import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expandTemplate } from './expand-template.js';
import type { Captures } from './expand-template.js';

const caps: Captures = {
  groups: ['whole', 'one', 'two', undefined, 'nm'],
  names: { name: 4, '1x': 2 },
};

const cases: [template: string, want: string][] = [
  ['$1', 'one'],
  ['${1}', 'one'],
  ['${1}x', 'onex'],
  ['$1x', 'two'], // the group named `1x`, not group 1 followed by x
  ['$1-$2', 'one-two'],
  ['$0', 'whole'],
  ['$3', ''], // did not participate
  ['$9', ''], // out of range
  ['$name', 'nm'],
  ['${name}', 'nm'],
  ['$missing', ''],
  ['$$1', '$1'],
  ['$', '$'],
  ['a$', 'a$'],
  ['$-', '$-'],
  ['${1', '${1'], // missing brace: `$` copied as text
  ['${}', '${}'],
  ['$01', ''], // leading zero: a name, and there is none
  ['plain', 'plain'],
  ['', ''],
  ['x${name}y$1', 'xnmyone'],
];

for (const [template, want] of cases) {
  test(`expand ${JSON.stringify(template)}`, () => {
    assert.equal(expandTemplate(template, caps), want);
  });
}
