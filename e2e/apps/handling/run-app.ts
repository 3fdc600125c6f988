// One handling-audit app run, shared by the e2e and the demo: the fake Telegram with the mode's
// script, Chromium with the built extension, the GramJS page, the keys given in the panel as a
// user gives them (read from the page, the other DC's pasted), and the app run to its end.

import type { BrowserContext, Page } from 'playwright-core';
import { ExtensionHarness, launchExtensionContext } from '../../harness/extension-browser.ts';
import { fakeTelegramChromiumArgs, presharedAuthKey, startFakeTelegram, type FakeTelegram } from '../../fake-telegram/index.ts';
import { giveKeysInPanel } from '../../harness/session-keys-ui.ts';
import { buildHandlingPage } from './build-page.ts';
import { SCRIPTS, type HandlingMode } from './scenarios.ts';

export interface HandlingRun {
  fake: FakeTelegram;
  context: BrowserContext;
  harness: ExtensionHarness;
  page: Page;
  panel: Page;
  tabId: number;
  /** How many keys the dialog listed once they were given. */
  keys: number;
}

/** `waitForEnd: false`: returns once the app started (the caller follows it). */
export async function runHandlingApp(mode: HandlingMode, { waitForEnd = true } = {}): Promise<HandlingRun> {
  const fake = await startFakeTelegram({ script: SCRIPTS[mode], publicDir: await buildHandlingPage() });
  const context = await launchExtensionContext({ extraArgs: fakeTelegramChromiumArgs(fake.port) });
  const harness = await ExtensionHarness.attach(context);
  const page = await context.newPage();
  await page.goto(`https://127.0.0.1:${fake.port}/?mode=${mode}&wait=1`);
  await page.waitForFunction(() => typeof (window as { __start?: unknown }).__start === 'function');
  const tabId = await harness.tabIdOf(page);
  const panel = await harness.openPanelPage(tabId);
  const keys = await giveKeysInPanel(panel, { readFromPage: true, paste: [Buffer.from(presharedAuthKey(2)).toString('hex')] });
  await page.evaluate(() => (window as { __start?: () => void }).__start!());
  if (waitForEnd) await page.waitForFunction(() => (window as { __handlingResult?: { done: boolean } }).__handlingResult?.done, null, { timeout: 45_000 });
  return { fake, context, harness, page, panel, tabId, keys };
}

/** Closes the browser and the fake, each within 5 s whatever happens. */
export async function closeHandlingRun(run: HandlingRun): Promise<void> {
  const limit = (p: Promise<unknown>) => Promise.race([p.catch(() => undefined), new Promise((r) => setTimeout(r, 5000))]);
  await limit(run.context.close());
  await limit(run.fake.close());
}
