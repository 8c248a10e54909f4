import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { escapeString, formatFloat, formatOpenMetricsFloat, formatOpenMetricsInt } from './writer-common.js';

void describe('formatFloat renders as Go strconv.FormatFloat(v, g, -1, 64)', () => {
  const cases: [number, string][] = [
    [0, '0'],
    [-0, '-0'],
    [1, '1'],
    [-1, '-1'],
    [12.47, '12.47'],
    [0.1, '0.1'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [1.5e-7, '1.5e-07'],
    [123456, '123456'],
    [999999, '999999'],
    [1e6, '1e+06'],
    [1234567, '1.234567e+06'],
    [17560473, '1.7560473e+07'],
    [1.458255915e9, '1.458255915e+09'],
    [1e21, '1e+21'],
    [1e100, '1e+100'],
    [-2.5e-300, '-2.5e-300'],
    [5e-324, '5e-324'],
    [Number.MAX_VALUE, '1.7976931348623157e+308'],
    [0.1 + 0.2, '0.30000000000000004'],
    [Infinity, '+Inf'],
    [-Infinity, '-Inf'],
    [NaN, 'NaN'],
  ];
  for (const [v, want] of cases) {
    void it(`${want}`, () => {
      assert.equal(formatFloat(v), want);
      assert.equal(Number(want.replace('Inf', 'Infinity')), v);
    });
  }
});

void describe('formatOpenMetricsFloat follows the canonical numbers of the spec', () => {
  void it('renders the spec examples', () => {
    const got = [0, 0.001, 0.002, 0.01, 0.1, 0.9, 0.95, 0.99, 0.999, 1, 1.7, 10].map(formatOpenMetricsFloat);
    assert.deepEqual(got, [
      '0.0',
      '0.001',
      '0.002',
      '0.01',
      '0.1',
      '0.9',
      '0.95',
      '0.99',
      '0.999',
      '1.0',
      '1.7',
      '10.0',
    ]);
    const pow = [1e-10, 1e-9, 1e-5, 1e-4, 0.1, 1, 1e5, 1e6, 1e10].map(formatOpenMetricsFloat);
    assert.deepEqual(pow, ['1e-10', '1e-09', '1e-05', '0.0001', '0.1', '1.0', '100000.0', '1e+06', '1e+10']);
  });
  void it('writes +Inf, -Inf and NaN', () => {
    assert.deepEqual([Infinity, -Infinity, NaN].map(formatOpenMetricsFloat), ['+Inf', '-Inf', 'NaN']);
  });
});

void describe('formatOpenMetricsInt', () => {
  void it('writes integers without a decimal point, however large', () => {
    assert.deepEqual([0, -0, 42, -7, 2 ** 53, 1e21, 2 ** 70].map(formatOpenMetricsInt), [
      '0',
      '0',
      '42',
      '-7',
      '9007199254740992',
      '1000000000000000000000',
      '1180591620717411303424',
    ]);
  });
  void it('falls back to a float for a non-integer', () => {
    assert.equal(formatOpenMetricsInt(1.5), '1.5');
    assert.equal(formatOpenMetricsInt(Infinity), '+Inf');
  });
});

void describe('escapeString', () => {
  const cases: [string, string][] = [
    ['plain', 'plain'],
    ['', ''],
    ['C:\\DIR\\FILE.TXT', 'C:\\\\DIR\\\\FILE.TXT'],
    ['Cannot find file:\n"FILE.TXT"', 'Cannot find file:\\n\\"FILE.TXT\\"'],
    ['tab\tand\rcr', 'tab\tand\rcr'],
    ['ünïcødé ✓ 🚀', 'ünïcødé ✓ 🚀'],
  ];
  for (const [input, want] of cases) {
    void it(JSON.stringify(input), () => assert.equal(escapeString(input), want));
  }
});
