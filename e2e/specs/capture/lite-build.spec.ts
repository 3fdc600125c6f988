// The Chrome lite build (dist-chrome-lite/: dist/ without the `debugger` permission, for users
// who never turn on "Capture inside workers"; issue 20.1) in a real Chromium: it has no
// chrome.debugger, still captures the page's traffic, and its panel says the switch is not in
// this build instead of showing it. The full build (dist/) still shows the switch.

import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import type { BrowserContext } from 'playwright-core';
import { DIST_DIR, ExtensionHarness, launchExtensionContext } from '../../harness/extension-browser.ts';
import { startDemoServer, type DemoServer } from '../../demo/server.ts';

const LITE_DIR = fileURLToPath(new URL('../../../dist-chrome-lite', import.meta.url));
const ARTIFACTS = new URL('../../../artifacts/', import.meta.url).pathname;
const NOT_IN_BUILD = 'Capture inside workers is not in this lite build (it has no debugger permission): install the full build to read sockets inside workers.';

let demo: DemoServer;
test.beforeAll(async () => {
  demo = await startDemoServer();
});
test.afterAll(async () => {
  await demo.close();
});

async function withBuild(distDir: string, run: (context: BrowserContext, harness: ExtensionHarness) => Promise<void>): Promise<void> {
  const context = await launchExtensionContext({ distDir });
  try {
    await run(context, await ExtensionHarness.attach(context));
  } finally {
    await context.close();
  }
}

test('lite build: no debugger permission, the demo is captured, the panel says the switch is not in this build', async () => {
  await withBuild(LITE_DIR, async (context, harness) => {
    expect(await harness.evaluateInWorker(() => chrome.runtime.getManifest().permissions)).toEqual(['storage', 'scripting', 'activeTab']);
    expect(await harness.evaluateInWorker(() => typeof chrome.debugger)).toBe('undefined');

    const page = await context.newPage();
    await page.goto(`${demo.url}?auto=1`);
    await page.waitForFunction(() => (window as unknown as { demoDone?: boolean }).demoDone === true, null, { timeout: 45_000 });
    const tabId = await harness.tabIdOf(page);
    const { records } = await harness.settledLog(tabId, 1);
    // The demo's first error, classified as in the full build (extension.spec.ts has them all).
    expect(records[0]).toMatchObject({ code: 303, message: 'PHONE_MIGRATE_4', channel: 'fetch', class: 'ERROR_SEE_OTHER', method: 'auth.sendCode' });

    const panel = await harness.openPanelPage(tabId);
    const note = panel.locator('.worker-capture').getByRole('note');
    await expect(note).toContainText(NOT_IN_BUILD);
    await expect(panel.getByRole('checkbox', { name: 'Capture inside workers' })).toHaveCount(0);
    await expect(panel.getByRole('row').filter({ hasText: 'PHONE_MIGRATE_4' }).first()).toBeVisible();
    await panel.locator('.worker-capture').screenshot({ path: `${ARTIFACTS}lite-build-worker-bar-light.png` });
    await panel.screenshot({ path: `${ARTIFACTS}lite-build-panel-light.png` });
    await panel.goto(`${panel.url()}&theme=dark`);
    await expect(note).toContainText(NOT_IN_BUILD);
    await panel.screenshot({ path: `${ARTIFACTS}lite-build-panel-dark.png` });
  });
});

test('full build: the panel offers the switch', async () => {
  await withBuild(DIST_DIR, async (context, harness) => {
    expect(await harness.evaluateInWorker(() => chrome.runtime.getManifest().permissions)).toContain('debugger');
    const page = await context.newPage();
    await page.goto(`${demo.url}`);
    const panel = await harness.openPanelPage(await harness.tabIdOf(page));
    await expect(panel.getByRole('checkbox', { name: 'Capture inside workers' })).toBeVisible();
    await expect(panel.getByText(NOT_IN_BUILD)).toHaveCount(0);
  });
});
