import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decodePanels, encodePanels, newPanel, panelGrid, type PanelState } from './url-state.js';

const at = Date.UTC(2024, 4, 1, 12, 34, 56);

describe('decodePanels', () => {
  const cases: [string, Partial<PanelState>[]][] = [
    ['', []],
    [
      'g0.expr=up',
      [{ expr: 'up', tab: 'table', rangeMs: 3600_000, endMs: null, stepSec: null, stacked: false }],
    ],
    [
      'g0.expr=rate(x%5B5m%5D)&g0.tab=graph&g0.stacked=1&g0.range_input=1h30m&g0.end_input=2024-05-01%2012%3A34%3A56&g0.step_input=15',
      [{ expr: 'rate(x[5m])', tab: 'graph', stacked: true, rangeMs: 5400_000, endMs: at, stepSec: 15 }],
    ],
    // Prometheus 1.x/2.x links: numbered tabs (0 graph, 1 table), '+' for spaces.
    [
      'g0.expr=sum+by+(job)+(up)&g0.tab=0&g0.range_input=1d',
      [{ expr: 'sum by (job) (up)', tab: 'graph', rangeMs: 86400_000 }],
    ],
    ['g0.expr=up&g0.tab=1&g0.moment_input=2024-05-01%2012:34:56', [{ tab: 'table', endMs: at }]],
    // The new console's fields.
    ['g0.expr=up&g0.tab=graph&g0.display_mode=stacked&g0.res_step=30', [{ stacked: true, stepSec: 30 }]],
    ['g0.expr=up&g0.step_input=1m', [{ stepSec: 60 }]],
    // Bad values fall back to defaults rather than failing the page.
    [
      'g0.expr=up&g0.range_input=bogus&g0.step_input=-5&g0.end_input=yesterday',
      [{ rangeMs: 3600_000, stepSec: null, endMs: null }],
    ],
    ['g0.expr=a&g1.expr=b&g3.expr=skipped', [{ expr: 'a' }, { expr: 'b' }]],
    ['g0.expr=&g0.tab=graph', [{ expr: '', tab: 'graph' }]],
  ];
  for (const [search, want] of cases) {
    test(search === '' ? '(empty)' : search, () => {
      const got = decodePanels(search);
      assert.equal(got.length, want.length);
      want.forEach((w, i) => assert.deepEqual({ ...got[i], ...w }, got[i]));
    });
  }
});

describe('encodePanels', () => {
  test('writes Prometheus field names, %20 for spaces', () => {
    const p: PanelState = { ...newPanel('sum by (job) (up)'), tab: 'graph', endMs: at, stepSec: 15 };
    assert.equal(
      encodePanels([p]),
      'g0.expr=sum%20by%20%28job%29%20%28up%29&g0.tab=graph&g0.stacked=0&g0.range_input=1h' +
        '&g0.end_input=2024-05-01%2012%3A34%3A56&g0.moment_input=2024-05-01%2012%3A34%3A56&g0.step_input=15',
    );
  });
  test('keeps a literal plus', () => {
    assert.equal(decodePanels(encodePanels([newPanel('a + b')]))[0].expr, 'a + b');
  });
  test('round-trips several panels', () => {
    const panels: PanelState[] = [
      {
        ...newPanel('up{job="x y"}'),
        tab: 'graph',
        stacked: true,
        rangeMs: 86400_000,
        endMs: at,
        stepSec: 60,
      },
      newPanel('rate(http_requests_total[5m]) > 0.5 # comment'),
    ];
    assert.deepEqual(decodePanels(encodePanels(panels)), panels);
  });
});

describe('panelGrid', () => {
  test('now and the automatic step', () => {
    assert.deepEqual(panelGrid(newPanel('up'), 1_700_000_000_400), {
      start: 1_699_996_400,
      end: 1_700_000_000,
      step: 14,
    });
  });
  test('a fixed end and step', () => {
    const p: PanelState = { ...newPanel('up'), endMs: at, rangeMs: 86400_000, stepSec: 60 };
    assert.deepEqual(panelGrid(p, 0), { start: at / 1000 - 86400, end: at / 1000, step: 60 });
  });
});
