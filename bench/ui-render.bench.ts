// The console's graph budget: a 50-series, 24 h range result (50 × 1,441 points at a 60 s step)
// drawn in under 100 ms. Two measurements:
//   1. Node: the data transformation alone (API JSON → uPlot columns, and stacking).
//   2. Chromium (Debian's, via playwright-core): the built console on the fake API, timing
//      `vigil:graph-render` — transformation + uPlot construction + first draw — as the page
//      measures it, for lines and stacked, several times each.
// Run: npm run bench:ui-render   (needs `apt-get install chromium`; the API is a local fake)
import type { RangeSeries } from '../web/ui/src/lib/api-types.js';
import { stackColumns, toColumns, type Grid } from '../web/ui/src/lib/series-data.js';
import { haveChromium, launchChromium } from '../web/ui/e2e/browser.js';
import { startFakeServer } from '../web/ui/e2e/fake-api.js';

const SERIES = 50;
const STEP = 60;
const RANGE = 86_400;
const BUDGET_MS = 100;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function fixture(): { series: RangeSeries[]; grid: Grid } {
  const end = 1_700_000_000;
  const grid = { start: end - RANGE, end, step: STEP };
  const series: RangeSeries[] = [];
  for (let s = 0; s < SERIES; s++) {
    const values: [number, string][] = [];
    for (let t = grid.start, k = 0; t <= end; t += STEP, k++)
      values.push([t, String(Math.sin(k / 40 + s) * 10 + 20)]);
    series.push({ metric: { __name__: 'demo_metric', instance: `host-${s}:9100` }, values });
  }
  return { series, grid };
}

function nodeSide(): void {
  const { series, grid } = fixture();
  const shown = new Array<boolean>(SERIES).fill(true);
  const transform: number[] = [];
  const stack: number[] = [];
  for (let i = 0; i < 30; i++) {
    let t0 = performance.now();
    const { columns } = toColumns(series, grid);
    transform.push(performance.now() - t0);
    t0 = performance.now();
    stackColumns(columns, shown);
    stack.push(performance.now() - t0);
  }
  const points = SERIES * (RANGE / STEP + 1);
  console.log(
    `Node: ${SERIES} series × ${RANGE / STEP + 1} points (${points.toLocaleString('en')} samples), median of 30`,
  );
  console.log(`  toColumns     ${median(transform).toFixed(2).padStart(7)} ms`);
  console.log(`  stackColumns  ${median(stack).toFixed(2).padStart(7)} ms`);
}

async function browserSide(): Promise<boolean> {
  if (!haveChromium()) {
    console.log('Chromium: not installed (apt-get install chromium); browser timing skipped.');
    return true;
  }
  const server = await startFakeServer({ rangeSeries: SERIES });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const url = `${server.url}/query?g0.expr=demo_metric&g0.tab=graph&g0.range_input=1d&g0.step_input=${STEP}`;
    await page.goto(url);
    await page.locator('.uplot canvas').waitFor();
    const legend = await page.locator('.legend-item').count();
    // Each click on Lines/Stacked rebuilds the plot from the same result (no new request).
    const rounds = 10;
    for (let i = 0; i < rounds; i++) {
      await page.getByRole('button', { name: 'Stacked' }).click();
      await page.getByRole('button', { name: 'Lines' }).click();
    }
    await page.waitForTimeout(200);
    const times = await page.evaluate(() =>
      performance.getEntriesByName('vigil:graph-render').map((e) => e.duration),
    );
    // First build, then alternating stacked / lines.
    const stacked = times.filter((_, i) => i % 2 === 1);
    const lines = times.filter((_, i) => i > 0 && i % 2 === 0);
    const version = browser.version();
    console.log(
      `Chromium ${version}, 1280×900, ${legend} series drawn; transformation + uPlot build + first draw:`,
    );
    console.log(`  first render  ${times[0].toFixed(1).padStart(7)} ms`);
    console.log(
      `  lines         ${median(lines).toFixed(1).padStart(7)} ms median (max ${Math.max(...lines).toFixed(1)}, n=${lines.length})`,
    );
    console.log(
      `  stacked       ${median(stacked).toFixed(1).padStart(7)} ms median (max ${Math.max(...stacked).toFixed(1)}, n=${stacked.length})`,
    );
    const worst = Math.max(times[0], median(lines), median(stacked));
    console.log(`  budget ${BUDGET_MS} ms: ${worst < BUDGET_MS ? 'met' : 'MISSED'}`);
    return worst < BUDGET_MS;
  } finally {
    await browser.close();
    await server.close();
  }
}

nodeSide();
if (!(await browserSide())) process.exitCode = 1;
