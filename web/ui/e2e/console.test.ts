/**
 * The console in Debian's Chromium against the real `vigil server` scraping Debian's node
 * exporter (issue #6's browser check): a query typed with a completion picked from the list,
 * executed and graphed with one line a series of the API's answer, the same query as table rows,
 * and the exporter's target up on the Targets page. Screenshots go to test-artifacts/console-e2e/
 * (git-ignored). Chromium and the exporter are required: without them the test fails.
 */
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Browser, Page, Response } from 'playwright-core';
import { REPO_ROOT } from '../../../test/support/paths.js';
import { requireProgram } from '../../../test/support/programs.js';
import { launchChromium } from './browser.js';
import { startRealStack, until, type APISeries, type RealStack } from '../../../test/helpers/vigil-stack.js';

const ARTIFACTS = join(REPO_ROOT, 'test-artifacts', 'console-e2e');
const QUERY = 'sum by (mode) (rate(node_cpu_seconds_total[1m]))';
// Waits are generous for a busy two-core machine running other test files beside this one; they
// bound a wait for a condition and never decide the outcome by themselves.
const WAIT_MS = 30_000;

/** The `data.result` of the console's own API call, so the page is compared with what it got. */
async function apiResult(res: Response): Promise<APISeries[]> {
  const body = (await res.json()) as { status: string; data: { result: APISeries[] } };
  assert.equal(body.status, 'success', `${res.url()} answered ${JSON.stringify(body)}`);
  return body.data.result;
}

/**
 * Counts the graph canvas' strongly coloured pixels. A string, since this file compiles without
 * the DOM's types; it runs in the page.
 */
const COLOURED_PIXELS = `(() => {
  const c = document.querySelector('.panel .uplot canvas');
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let n = 0;
  for (let i = 0; i < d.length; i += 4) {
    if (d[i + 3] > 128 && Math.max(d[i], d[i + 1], d[i + 2]) - Math.min(d[i], d[i + 1], d[i + 2]) > 80) n++;
  }
  return n;
})()`;

const isAPI = (path: string) => (r: Response) => new URL(r.url()).pathname === `/api/v1${path}`;

describe('console in Chromium on the real vigil server and node exporter', () => {
  it('completes, graphs and tabulates a query and shows the target up', { timeout: 120_000 }, async () => {
    const chromiumBin = requireProgram('chromium', 'chromium');
    await mkdir(ARTIFACTS, { recursive: true });
    let stack: RealStack | undefined;
    let browser: Browser | undefined;
    let page: Page | undefined;
    const pageErrors: string[] = [];
    try {
      stack = await startRealStack();
      browser = await launchChromium(chromiumBin);
      const ui = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      page = ui;
      ui.setDefaultTimeout(WAIT_MS);
      ui.on('pageerror', (e) => pageErrors.push(e.message));

      // The mode count the graph and the table must show, from the API directly.
      const modes = await stack.query('count by (mode) (node_cpu_seconds_total)');
      assert.ok(modes.length > 1, `expected several CPU modes, got ${JSON.stringify(modes)}`);

      await ui.goto(`${stack.url}/query`);
      await ui.getByRole('tab', { name: 'Graph' }).click();
      const editor = ui.getByRole('textbox', { name: 'PromQL expression' });
      await editor.click();
      // Typed key by key as a user would; closeBrackets adds each `)` and typing over it keeps one.
      await ui.keyboard.type('sum by (mode) (rate(node_cpu_sec', { delay: 20 });
      const option = ui.locator('.cm-tooltip-autocomplete .cm-completionLabel', {
        hasText: /^node_cpu_seconds_total$/,
      });
      await option.waitFor();
      await ui.screenshot({ path: join(ARTIFACTS, '1-completion.png') });
      await option.click();
      await ui.keyboard.type('[1m', { delay: 20 });
      await ui.keyboard.press('Escape');
      assert.equal(await editor.textContent(), QUERY);

      const rangeAnswer = ui.waitForResponse(isAPI('/query_range'));
      await ui.getByRole('button', { name: 'Execute' }).click();
      const graphed = await apiResult(await rangeAnswer);
      assert.equal(graphed.length, modes.length, 'the range query has one series a mode');
      const legend = ui.locator('.panel .legend-item');
      await ui.locator('.panel .uplot canvas').first().waitFor();
      await until('one legend row a series', async () => (await legend.count()) === graphed.length, WAIT_MS);
      assert.equal(await legend.count(), graphed.length);
      // Saturated pixels are the series (axes and grid are grey): the data is drawn, not just the frame.
      await until(
        'the series drawn on the canvas',
        async () => (await ui.evaluate<number>(COLOURED_PIXELS)) > 0,
        WAIT_MS,
      );
      for (const s of graphed) await legend.filter({ hasText: `mode="${s.metric['mode']}"` }).waitFor();
      const params = new URL(ui.url()).searchParams;
      assert.equal(params.get('g0.expr'), QUERY);
      assert.equal(params.get('g0.tab'), 'graph');
      await ui.screenshot({ path: join(ARTIFACTS, '2-graph.png'), fullPage: true });

      const instantAnswer = ui.waitForResponse(isAPI('/query'));
      await ui.getByRole('tab', { name: 'Table' }).click();
      const tabulated = await apiResult(await instantAnswer);
      assert.equal(tabulated.length, modes.length, 'the instant query has one series a mode');
      const rows = ui.locator('.panel .table.data td.series');
      await rows.first().waitFor();
      assert.equal(await rows.count(), tabulated.length);
      for (const s of tabulated) await rows.filter({ hasText: `{mode="${s.metric['mode']}"}` }).waitFor();
      await ui.screenshot({ path: join(ARTIFACTS, '3-table.png'), fullPage: true });

      await ui.getByRole('link', { name: 'Targets', exact: true }).click();
      const target = ui.locator('tr', { hasText: `http://${stack.exporter}/metrics` });
      await target.locator('.badge', { hasText: /^UP$/ }).waitFor();
      await ui.getByText('1 / 1 up').waitFor();
      await target.getByText('job="node"').waitFor();
      await ui.screenshot({ path: join(ARTIFACTS, '4-targets.png'), fullPage: true });

      assert.deepEqual(pageErrors, []);
    } catch (e) {
      await page?.screenshot({ path: join(ARTIFACTS, 'failure.png'), fullPage: true }).catch(() => undefined);
      throw new Error(`${String(e)}\n--- vigil server log ---\n${stack?.log() ?? ''}`, { cause: e });
    } finally {
      await browser?.close();
      await stack?.stop();
    }
  });
});
