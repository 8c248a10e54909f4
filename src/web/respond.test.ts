import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chooseEncoding, successEnvelope } from './respond.js';

test('annotations: ten of each at most, then a count of the rest', () => {
  const w = Array.from({ length: 12 }, (_, i) => `w${i}`);
  const body = JSON.parse(successEnvelope('1', w, ['i']).join('')) as { warnings: string[]; infos: string[] };
  assert.equal(body.warnings.length, 11);
  assert.equal(body.warnings[10], '2 more warning annotations omitted');
  assert.deepEqual(body.infos, ['i']);
  assert.equal(successEnvelope(['[', '1', ']']).join(''), '{"status":"success","data":[1]}');
});

test('chooseEncoding: first of gzip/deflate not refused', () => {
  assert.equal(chooseEncoding(undefined), undefined);
  assert.equal(chooseEncoding('br, deflate, gzip'), 'deflate');
  assert.equal(chooseEncoding('gzip;q=0, deflate'), 'deflate');
  assert.equal(chooseEncoding('identity'), undefined);
});
