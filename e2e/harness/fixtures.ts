// Playwright fixtures for end-to-end tests of the extension: one Chromium with the built
// extension per worker, the demo server, and helpers to reach the extension's service
// worker, log and panel. `context` and `page` are redirected to that Chromium.

import { test as base, type BrowserContext, type Page, type Worker } from '@playwright/test';
import { startDemoServer, type DemoServer } from '../demo/server.ts';
import { openDevToolsPanel, type DevToolsPanel } from './devtools-panel.ts';
import { ExtensionHarness, launchExtensionContext, type LogSnapshot } from './extension-browser.ts';

export interface ExtensionWorkerFixtures {
  /** Option: launch with --auto-open-devtools-for-tabs (needed by openDevToolsPanel). */
  devtools: boolean;
  demo: DemoServer;
  extensionContext: BrowserContext;
  harness: ExtensionHarness;
  /** The service worker as first started; after stopServiceWorker use harness.serviceWorker(). */
  serviceWorker: Worker;
  extensionId: string;
  tabIdOf: (page: Page) => Promise<number>;
  openPanelPage: (tabId: number) => Promise<Page>;
  getLog: (tabId: number) => Promise<LogSnapshot>;
  stopServiceWorker: () => Promise<void>;
  openDevToolsPanel: (page: Page) => Promise<DevToolsPanel>;
}

export interface ExtensionTestFixtures {
  context: BrowserContext;
  page: Page;
}

export const test = base.extend<ExtensionTestFixtures, ExtensionWorkerFixtures>({
  devtools: [false, { scope: 'worker', option: true }],

  demo: [
    async ({}, use) => {
      const demo = await startDemoServer();
      await use(demo);
      await demo.close();
    },
    { scope: 'worker' },
  ],

  extensionContext: [
    async ({ devtools }, use) => {
      const context = await launchExtensionContext({ headless: process.env.HEADED !== '1', devtools });
      await use(context);
      await context.close();
    },
    { scope: 'worker' },
  ],

  harness: [async ({ extensionContext }, use) => use(await ExtensionHarness.attach(extensionContext)), { scope: 'worker' }],
  serviceWorker: [async ({ harness }, use) => use(await harness.serviceWorker()), { scope: 'worker' }],
  extensionId: [async ({ harness }, use) => use(harness.extensionId), { scope: 'worker' }],
  tabIdOf: [async ({ harness }, use) => use((page) => harness.tabIdOf(page)), { scope: 'worker' }],
  openPanelPage: [async ({ harness }, use) => use((tabId) => harness.openPanelPage(tabId)), { scope: 'worker' }],
  getLog: [async ({ harness }, use) => use((tabId) => harness.getLog(tabId)), { scope: 'worker' }],
  stopServiceWorker: [async ({ harness }, use) => use(() => harness.stopServiceWorker()), { scope: 'worker' }],
  openDevToolsPanel: [async ({ harness }, use) => use((page) => openDevToolsPanel(harness, page)), { scope: 'worker' }],

  // The built-in context is per test; here every test shares the worker's extension browser.
  context: async ({ extensionContext }, use) => use(extensionContext),
  page: async ({ extensionContext }, use) => {
    const page = await extensionContext.newPage();
    await use(page);
    await page.close();
  },
});

export const expect = test.expect;
