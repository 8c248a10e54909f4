import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isLegacyLabelName, isLegacyMetricName, isValidLabelName, isValidMetricName } from './names.js';

test('legacy metric names allow colons, label names do not', () => {
  assert.equal(isLegacyMetricName('job:rate5m:sum'), true);
  assert.equal(isLegacyLabelName('job:rate'), false);
  assert.equal(isLegacyMetricName('1abc'), false);
  assert.equal(isLegacyLabelName('_ok9'), true);
  assert.equal(isLegacyMetricName(''), false);
});

test('UTF-8 names are any non-empty well-formed text', () => {
  assert.equal(isValidMetricName('http.server.duration'), true);
  assert.equal(isValidLabelName('ünïcödé 🙂'), true);
  assert.equal(isValidLabelName(''), false);
  assert.equal(isValidLabelName('\ud800'), false, 'a lone surrogate is not UTF-8');
  assert.equal(isValidMetricName('http.server.duration', 'legacy'), false);
});
