// `npm run demo`'s Web K-style client on a real socket: the demo's webk page with ?wire=1,
// served by the runner's fake Telegram (which already has Telegram's hosts mapped to it) under
// /webk-wire/, its MTProto in a SharedWorker. The user's steps are played in the panel: Session
// keys → Read keys from this page (Web K's `account1`), then "Capture inside workers"; the
// worker then follows a 303, sleeps through a FLOOD_WAIT, resends after a bad_server_salt and
// repeats a 500 without the page knowing, and the panel lists them all.

import type { BrowserContext, Page } from 'playwright-core';
import type { ErrorRecord } from '../../../src/core/record.ts';
import type { ExtensionHarness, LogSnapshot } from '../../harness/extension-browser.ts';
import type { FakeTelegram } from '../../fake-telegram/index.ts';
import { giveKeysInPanel } from '../../harness/session-keys-ui.ts';
import { buildWebkWirePage } from './build.ts';
import { WEBK_SCRIPT } from './scenario.ts';

export interface WebkWireDemoOptions {
  step: (text: string) => void;
  printTable: (records: ErrorRecord[]) => void;
  /** Where the panel's screenshot goes. */
  shot: string;
  /** Leave the panel open (a display exists). */
  headed: boolean;
}

export interface WebkWireRun {
  page: Page;
  panel: Page;
  tabId: number;
  log: LogSnapshot;
}

export async function runWebkWireDemo(fake: FakeTelegram, context: BrowserContext, harness: ExtensionHarness, opts: WebkWireDemoOptions): Promise<WebkWireRun> {
  const { step } = opts;
  fake.rewind(WEBK_SCRIPT);
  fake.serve('/webk-wire/', await buildWebkWirePage());
  const page = await context.newPage();
  // `localhost`, not 127.0.0.1: an origin of its own. On the GramJS pages' origin their tab,
  // capture still on, holds the origin's SharedWorkers, this one's included.
  await page.goto(`https://localhost:${fake.port}/webk-wire/webk/index.html?wire=1`);
  await page.getByRole('button', { name: 'Run all' }).waitFor();
  const tabId = await harness.tabIdOf(page);
  const panel = await harness.openPanelPage(tabId);
  await panel.setViewportSize({ width: 1280, height: 800 });
  const keys = await giveKeysInPanel(panel, { readFromPage: true });
  await panel.getByRole('checkbox', { name: 'Capture inside workers' }).check();
  await panel.getByText(/1 worker attached/).waitFor({ timeout: 10_000 });
  step(`keys read from the page's account1 (${keys} listed) and "Capture inside workers" switched on`);
  await page.getByRole('button', { name: 'Run all' }).click();
  await page.waitForFunction(() => (window as unknown as { demoDone?: boolean }).demoDone === true, null, { timeout: 60_000 });
  const sent = fake.log().errors.length;
  const log = await harness.settledLog(tabId, sent + 1);
  await page.waitForTimeout(2000);
  const settled = await harness.settledLog(tabId);
  step(`the fake Telegram sent ${sent} errors to the Web K-style worker; it passed ${settled.records.filter((r) => r.reachedPage).length} of them to the page`);
  await panel
    .getByRole('row', { name: /USER_MIGRATE_2/ })
    .first()
    .dblclick();
  await panel.waitForTimeout(500);
  await panel.screenshot({ path: opts.shot });
  step(`panel screenshot saved to ${opts.shot}`);
  step(`${settled.records.length} errors captured inside the Web K-style SharedWorker:`);
  opts.printTable(settled.records);
  if (!opts.headed) await panel.close();
  return { page, panel, tabId, log: settled.records.length >= log.records.length ? settled : log };
}
