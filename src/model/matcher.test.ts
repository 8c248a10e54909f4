import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Labels } from './labels.js';
import { Matcher, matchesAll } from './matcher.js';

test('each matcher type', () => {
  assert.equal(new Matcher('=', 'job', 'node').matches('node'), true);
  assert.equal(new Matcher('=', 'job', 'node').matches('nodes'), false);
  assert.equal(new Matcher('!=', 'job', 'node').matches('api'), true);
  assert.equal(new Matcher('=~', 'job', 'no.*').matches('node'), true);
  assert.equal(new Matcher('=~', 'job', 'ode').matches('node'), false, 'regexes are fully anchored');
  assert.equal(new Matcher('!~', 'job', 'no.*').matches('api'), true);
});

test('an absent label matches as the empty string', () => {
  const ls = Labels.from({ __name__: 'up' });
  assert.equal(matchesAll(ls, [new Matcher('=', 'env', '')]), true);
  assert.equal(matchesAll(ls, [new Matcher('=~', 'env', '.+')]), false);
  assert.equal(new Matcher('=~', 'env', 'prod|').matchesEmpty(), true);
});

test('matchers print as PromQL, quoting UTF-8 names', () => {
  assert.equal(new Matcher('=~', 'job', 'a"b').toString(), 'job=~"a\\"b"');
  assert.equal(new Matcher('=', 'service.name', 'x').toString(), '"service.name"="x"');
});
