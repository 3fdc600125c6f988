// The demo's real-library client: GramJS (npm `telegram`, bundled for the browser) on the page's
// main thread against the project's fake Telegram, which encrypts everything with the session's
// auth key. The user's steps are played in the panel: Session keys → Read keys from this page,
// then the second DC's key pasted. GramJS then follows a 303 to DC 2, sleeps through a
// FLOOD_WAIT and retries a 500 on its own: the page never sees those, the panel does.

import type { BrowserContext, Page } from 'playwright-core';
import type { ExtensionHarness, LogSnapshot } from '../harness/extension-browser.ts';
import { buildPage, fakeTelegramChromiumArgs, presharedAuthKey, SCRIPT, startFakeTelegram, type FakeTelegram } from '../fake-telegram/index.ts';
import { giveKeysInPanel } from '../harness/session-keys-ui.ts';

export interface GramjsDemo {
  fake: FakeTelegram;
  /** Chromium flags that send GramJS's DC hosts to the fake server. */
  chromiumArgs: string[];
  close(): Promise<void>;
}

/** Starts the fake Telegram with the GramJS page; its flags must be given to the browser at launch. */
export async function startGramjsDemo(): Promise<GramjsDemo> {
  const fake = await startFakeTelegram({ script: SCRIPT, publicDir: await buildPage() });
  return { fake, chromiumArgs: fakeTelegramChromiumArgs(fake.port), close: () => fake.close() };
}

export interface GramjsRun {
  page: Page;
  panel: Page;
  tabId: number;
  log: LogSnapshot;
}

/** Opens the GramJS page, gives the keys in its panel, lets the app run, and returns the settled log. */
export async function runGramjsDemo(demo: GramjsDemo, context: BrowserContext, harness: ExtensionHarness, step: (text: string) => void): Promise<GramjsRun> {
  const page = await context.newPage();
  await page.goto(`https://127.0.0.1:${demo.fake.port}/?wait=1`);
  await page.waitForFunction(() => typeof (window as { __start?: unknown }).__start === 'function');
  const tabId = await harness.tabIdOf(page);
  const panel = await harness.openPanelPage(tabId);
  await panel.setViewportSize({ width: 1280, height: 800 });
  const keys = await giveKeysInPanel(panel, { readFromPage: true, paste: [Buffer.from(presharedAuthKey(2)).toString('hex')] });
  step(`keys given in the panel: ${keys} (read from the page's GramJS StoreSession, and DC 2's pasted)`);
  await page.evaluate(() => (window as { __start?: () => void }).__start!());
  await page.waitForFunction(() => (window as { __result?: { done: boolean } }).__result?.done, null, { timeout: 60_000 });
  const sent = demo.fake.log().errors.length;
  const log = await harness.settledLog(tabId, sent);
  step(
    `the fake Telegram sent ${sent} errors; GramJS threw ${await page.evaluate(() => (window as { __result?: { outcomes: { ok: boolean }[] } }).__result!.outcomes.filter((o) => !o.ok).length)} of them to the app`,
  );
  return { page, panel, tabId, log };
}

/**
 * The same app with GramJS in a SharedWorker (as Web K keeps its socket): the page hook cannot
 * see that socket, so the keys are pasted and "Capture inside workers" is switched on.
 */
export async function runGramjsWorkerDemo(
  demo: GramjsDemo,
  context: BrowserContext,
  harness: ExtensionHarness,
  step: (text: string) => void,
): Promise<GramjsRun> {
  demo.fake.rewind();
  const page = await context.newPage();
  await page.goto(`https://127.0.0.1:${demo.fake.port}/workers.html?kind=shared&wait=1`);
  await page.waitForFunction(() => typeof (window as { __start?: unknown }).__start === 'function');
  const tabId = await harness.tabIdOf(page);
  const panel = await harness.openPanelPage(tabId);
  await panel.setViewportSize({ width: 1280, height: 800 });
  const hex = (dc: number) => Buffer.from(presharedAuthKey(dc)).toString('hex');
  await giveKeysInPanel(panel, { paste: [hex(1), hex(2)] });
  await panel.getByRole('checkbox', { name: 'Capture inside workers' }).check();
  step('keys pasted and "Capture inside workers" switched on (the browser shows its debugging bar)');
  await page.evaluate(() => (window as { __start?: () => void }).__start!());
  await page.waitForFunction(() => (window as { __result?: { done: boolean } }).__result?.done, null, { timeout: 60_000 });
  const sent = demo.fake.log().errors.length;
  const log = await harness.settledLog(tabId, sent);
  step(`the fake Telegram sent ${sent} errors to GramJS in the SharedWorker`);
  return { page, panel, tabId, log };
}
