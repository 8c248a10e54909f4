import assert from 'node:assert/strict';
import { test } from 'node:test';
import { unescapeLabelName } from './name-escaping.js';

const cases: [string, string][] = [
  ['job', 'job'],
  ['U__http_2e_status__code', 'http.status_code'],
  // The API doc's own example has a single underscore, which Go's UnescapeName rejects.
  ['U__http_2e_status_code', 'U__http_2e_status_code'],
  ['U__a__b', 'a_b'],
  ['U__foo_20_bar', 'foo bar'],
  ['U__emoji_1f600_', 'emoji😀'],
  ['U__bad_zz_', 'U__bad_zz_'],
  ['U__unterminated_2e', 'U__unterminated_2e'],
  ['U__trailing_', 'U__trailing_'],
  ['U__toolong_1234567_', 'U__toolong_1234567_'],
];
for (const [input, want] of cases)
  test(`unescapeLabelName(${input})`, () => assert.equal(unescapeLabelName(input), want));
