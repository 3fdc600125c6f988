// Checks the test harness itself: tab ids, the log request, stopping the service
// worker, and reaching the real DevTools panel.

import { test, expect } from '../../harness/fixtures.ts';

test.use({ devtools: true });

test('tabIdOf, getLog and the real DevTools panel', async ({ page, demo, tabIdOf, getLog, openDevToolsPanel, openPanelPage }) => {
  await page.goto(`${demo.url}?auto=1`);
  await page.waitForFunction(() => (window as unknown as { demoDone?: boolean }).demoDone === true);
  const tabId = await tabIdOf(page);
  const other = await page.context().newPage();
  expect(await tabIdOf(other)).not.toBe(tabId);
  expect(await tabIdOf(page)).toBe(tabId);
  await other.close();

  const log = await getLog(tabId);
  expect(Array.isArray(log.records)).toBe(true);

  const panel = await openDevToolsPanel(page);
  expect(panel.panelTabId).toContain('chrome-extension://');
  expect(await panel.evaluate<string>('location.pathname')).toBe('/extension/panel.html');
  expect((await panel.text()).length).toBeGreaterThan(0);
  await panel.close();

  const panelPage = await openPanelPage(tabId);
  expect(panelPage.url()).toContain(`panel.html?tabId=${tabId}`);
  await panelPage.close();
});

test('stopServiceWorker stops the worker and a message wakes it again', async ({ harness, stopServiceWorker, getLog, page, demo, tabIdOf }) => {
  await page.goto(demo.url);
  const tabId = await tabIdOf(page);
  const startedAt = await harness.evaluateInWorker(() => performance.timeOrigin);
  await stopServiceWorker();
  await getLog(tabId);
  // A restarted worker is a new global with a later time origin.
  expect(await harness.evaluateInWorker(() => performance.timeOrigin)).toBeGreaterThan(startedAt);
  expect(await tabIdOf(page)).toBe(tabId);
});
