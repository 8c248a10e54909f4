/**
 * Browser smoke test of the built console. NOTE: the API behind it is a local fake
 * (`fake-api.ts`), not `vigil server`, until the real server lands; this checks that the pages
 * render, navigate and talk to `/api/v1` in Prometheus' shapes. Needs Chromium
 * (`apt-get install chromium`); run with `npm run test:ui-e2e`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './browser.js';
import { startFakeServer, type FakeServer } from './fake-api.js';

describe('console smoke (fake API)', () => {
  let server: FakeServer;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  before(async () => {
    server = await startFakeServer({ rangeSeries: 5 });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('pageerror', (e) => errors.push(e.message));
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('old /graph links open the Query page with their panels', async () => {
    await page.goto(`${server.url}/graph?g0.expr=up&g0.tab=1&g1.expr=demo_metric&g1.tab=0&g1.range_input=1h`);
    assert.match(new URL(page.url()).pathname, /\/query$/);
    await page.locator('.panel').nth(1).waitFor();
    assert.equal(await page.locator('.panel').count(), 2);
    await page
      .locator('.table.data td.series', { hasText: 'up{instance="localhost:9090", job="vigil"}' })
      .waitFor();
    await page.locator('.panel').nth(1).locator('.uplot canvas').waitFor();
    assert.equal(await page.locator('.panel').nth(1).locator('.legend-item').count(), 5);
  });

  test('execute writes the panel into the URL in Prometheus format', async () => {
    await page.goto(`${server.url}/query`);
    await page.locator('.cm-content').click();
    await page.keyboard.type('demo_metric');
    await page.keyboard.press('Escape');
    await page.getByRole('tab', { name: 'Graph' }).click();
    await page.getByRole('button', { name: 'Execute' }).click();
    await page.locator('.uplot canvas').first().waitFor();
    const params = new URL(page.url()).searchParams;
    assert.equal(params.get('g0.expr'), 'demo_metric');
    assert.equal(params.get('g0.tab'), 'graph');
    assert.equal(params.get('g0.range_input'), '1h');
    assert.equal(params.get('g0.stacked'), '0');
  });

  test('the server parse error is shown for a bad query', async () => {
    await page.goto(`${server.url}/query?g0.expr=sum(up&g0.tab=table`);
    await page.locator('.alert.error', { hasText: 'unclosed left parenthesis' }).waitFor();
  });

  test('legend toggles a series; Stacked goes into the URL; theme switches', async () => {
    await page.goto(`${server.url}/query?g0.expr=demo_metric&g0.tab=graph`);
    await page.locator('.legend-item').first().click();
    await page.locator('.legend-item[aria-pressed="false"]').waitFor();
    assert.equal(await page.locator('.legend-item[aria-pressed="false"]').count(), 1);
    await page.getByRole('button', { name: 'Stacked' }).click();
    await page.waitForURL(/g0\.stacked=1/);
    // A fresh profile starts on auto; auto → light → dark, so two clicks end on dark.
    await page.getByRole('button', { name: /^Theme:/ }).click();
    await page.getByRole('button', { name: /^Theme:/ }).click();
    await page.locator('html[data-theme="dark"]').waitFor({ state: 'attached' });
    await page.locator('.uplot canvas').first().waitFor();
  });

  test('status pages render their data', async () => {
    const checks: [string, string][] = [
      ['/targets', 'http://localhost:9100/metrics'],
      ['/service-discovery', 'DROPPED'],
      ['/rules', 'No rule groups configured'],
      ['/alerts', 'No alerting rules configured'],
      ['/tsdb-status', 'Top series count by metric name'],
      ['/status', 'Storage retention'],
      ['/config', 'scrape_interval: 15s'],
      ['/flags', '--storage.tsdb.path'],
    ];
    for (const [path, text] of checks) {
      await page.goto(`${server.url}${path}`);
      await page.getByText(text).first().waitFor({ timeout: 5000 });
    }
  });

  test('the phone layout folds the navigation into a menu', async () => {
    await page.setViewportSize({ width: 390, height: 800 });
    await page.goto(`${server.url}/targets`);
    assert.equal(await page.locator('nav').isVisible(), false);
    await page.getByRole('button', { name: 'Menu' }).click();
    await page.getByRole('link', { name: 'Command-line flags' }).click();
    await page.getByText('--config.file').waitFor();
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  test('no uncaught page errors', () => {
    assert.deepEqual(errors, []);
  });
});
