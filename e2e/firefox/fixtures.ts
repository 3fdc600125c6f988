// Playwright fixtures for the Firefox end-to-end tests: Playwright is only the test runner
// here (its Firefox cannot run offline); the browser is Debian's Firefox ESR driven by our
// own BiDi client. One Firefox with the built add-on per worker, the demo server, and a
// fresh tab per test.

import { test as base } from '@playwright/test';
import { startDemoServer, type DemoServer } from '../demo/server.ts';
import { FirefoxBrowser, FirefoxExtensionHarness, type FirefoxTab } from './firefox-browser.ts';

export interface FirefoxWorkerFixtures {
  demo: DemoServer;
  firefox: FirefoxBrowser;
  harness: FirefoxExtensionHarness;
}

export interface FirefoxTestFixtures {
  /** A new tab, closed after the test. */
  tab: FirefoxTab;
}

export const test = base.extend<FirefoxTestFixtures, FirefoxWorkerFixtures>({
  demo: [
    async ({}, use) => {
      const demo = await startDemoServer();
      await use(demo);
      await demo.close();
    },
    { scope: 'worker' },
  ],
  firefox: [
    async ({}, use) => {
      const firefox = await FirefoxBrowser.launch({ headless: process.env.HEADED !== '1' });
      await use(firefox);
      await firefox.close();
    },
    { scope: 'worker', timeout: 60_000 },
  ],
  harness: [async ({ firefox }, use) => use(new FirefoxExtensionHarness(firefox)), { scope: 'worker' }],
  tab: async ({ firefox }, use) => {
    const tab = await firefox.newTab();
    await use(tab);
    await tab.close();
  },
});

export const expect = test.expect;

/** Opens a demo client and waits until its flows are done. */
export async function runDemoClient(tab: FirefoxTab, url: string, timeoutMs = 60_000): Promise<void> {
  await tab.goto(url);
  await tab.waitFor('the demo to finish', () => (window as unknown as { demoDone?: boolean }).demoDone === true, undefined, timeoutMs);
}
