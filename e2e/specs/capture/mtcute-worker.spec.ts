// mtcute (the real library, npm @mtcute/web) in a dedicated Worker and in a SharedWorker, driven from the page through
// its TelegramWorkerPort, against the project's fake Telegram: messages.sendMessage is answered
// with FLOOD_WAIT_300, longer than mtcute's floodSleepThreshold (10 s by default, @mtcute/core
// network/middlewares/flood-waiter.ts), so mtcute passes it on to the page. With "Capture inside
// workers" on, that error is seen twice, on the worker's socket and at the page-worker boundary
// (mtcute's {type: 'result', id, error: {name: 'RpcError', custom: {code, text, seconds}}}), and
// it is ONE record: the wire's, with its method and DC, carrying the page's sighting. Called again,
// mtcute answers from the wait it stored (no request): the page gets FLOOD_WAIT_300 once more,
// which the server did not send; with the wire in view that is counted, not listed.

import { expect, test } from '@playwright/test';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH, ExtensionHarness, launchExtensionContext } from '../../harness/extension-browser.ts';
import { buildPage, fakeTelegramChromiumArgs, presharedAuthKey, startFakeTelegram, type Rule } from '../../fake-telegram/index.ts';
import type { MtcutePageResult } from '../../fake-telegram/page/mtcute-page.ts';
import type { ErrorRecord } from '../../../src/core/record.ts';
import { giveKeysInPanel } from '../../harness/session-keys-ui.ts';

/** The calls the page makes (mtcute-page.ts): the first alone, the others at once. */
const METHODS = ['messages.sendMessage', 'contacts.resolveUsername', 'contacts.getContacts', 'updates.getState', 'help.getNearestDc'];

const ARTIFACTS = new URL('../../../artifacts/', import.meta.url).pathname;

const SCRIPT: Rule[] = METHODS.map((method) => ({ method, dc: 2, answer: { kind: 'error', code: 420, message: 'FLOOD_WAIT_300' } }));

const flood = (method: string, seconds = 300) => ({ method, ok: false, name: 'RpcError', code: 420, text: 'FLOOD_WAIT_%d', seconds });

/**
 * What the page gets for each: mtcute's RpcError, the number out of the name (@mtcute/tl
 * RpcError.fromTl); then, for messages.sendMessage tried again, the wait mtcute stored for the
 * method (flood-waiter.ts `store`), answered in the worker without a request: Math.ceil of the
 * time left, 300 again this soon after.
 */
const FLOODS = [...METHODS.map((method) => flood(method)), flood('messages.sendMessage')];

async function runApp(page: import('playwright-core').Page): Promise<MtcutePageResult> {
  await page.evaluate(() => (window as unknown as { __start: () => void }).__start());
  await page.waitForFunction(() => (window as unknown as { __result?: MtcutePageResult }).__result?.done, null, { timeout: 40_000 });
  return page.evaluate(() => (window as unknown as { __result: MtcutePageResult }).__result);
}

async function settledLog(harness: ExtensionHarness, tabId: number, atLeast: number): Promise<ErrorRecord[]> {
  const deadline = Date.now() + 20_000;
  while ((await harness.getLog(tabId)).records.length < atLeast && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  // A page-boundary sighting waits up to 1.5 s for its wire record: let it settle.
  await new Promise((r) => setTimeout(r, 2500));
  return (await harness.getLog(tabId)).records;
}

for (const kind of ['worker', 'shared'] as const) {
  const name = kind === 'worker' ? 'a dedicated Worker' : 'a SharedWorker';

  test(`mtcute in ${name}, without the extension: the page gets the FLOOD_WAIT_300 the server sent`, async () => {
    const fake = await startFakeTelegram({ script: SCRIPT, publicDir: await buildPage() });
    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: [...CHROMIUM_ARGS, ...fakeTelegramChromiumArgs(fake.port)] });
    try {
      const page = await browser.newPage();
      await page.goto(`https://127.0.0.1:${fake.port}/mtcute.html?kind=${kind}&wait=1`);
      await page.waitForFunction(() => typeof (window as { __start?: unknown }).__start === 'function');
      const result = await runApp(page);
      expect(result.error).toBeUndefined();
      expect(result.outcomes).toEqual(FLOODS);
      const log = fake.log();
      expect(log.problems).toEqual([]);
      expect(log.errors.map((e) => `${e.code} ${e.message} ${e.method} dc${e.dc}`).sort()).toEqual(METHODS.map((m) => `420 FLOOD_WAIT_300 ${m} dc2`).sort());
      expect(fake.unusedRules()).toEqual([]);
      // The second sendMessage was answered in the worker: one request reached the server.
      expect(log.calls.filter((c) => c.method === 'messages.sendMessage')).toHaveLength(1);
    } finally {
      await browser.close();
      await fake.close();
    }
  });

  test(`mtcute in ${name}, Capture inside workers on: the FLOOD_WAIT_300 it passed to the page is ONE record, with method and DC; its replay of the stored wait is counted`, async () => {
    const fake = await startFakeTelegram({ script: SCRIPT, publicDir: await buildPage() });
    const context = await launchExtensionContext({ extraArgs: fakeTelegramChromiumArgs(fake.port) });
    try {
      const harness = await ExtensionHarness.attach(context);
      const page = await context.newPage();
      await page.goto(`https://127.0.0.1:${fake.port}/mtcute.html?kind=${kind}&wait=1`);
      await page.waitForFunction(() => typeof (window as { __start?: unknown }).__start === 'function');
      const tabId = await harness.tabIdOf(page);
      const panel = await harness.openPanelPage(tabId);
      // mtcute keeps its key in the worker's memory here: the key is pasted in the Session keys dialog.
      expect(await giveKeysInPanel(panel, { paste: [Buffer.from(presharedAuthKey(2)).toString('hex')] })).toBe(1);
      await panel.getByRole('checkbox', { name: 'Capture inside workers' }).check();
      // The SharedWorker exists from the page's load: attached at once. The dedicated one comes on start.
      await expect(panel.getByText(kind === 'shared' ? /1 worker attached/ : /0 workers attached/)).toBeVisible({ timeout: 10_000 });

      const result = await runApp(page);
      expect(result.error).toBeUndefined();
      // The app sees what it sees without the extension.
      expect(result.outcomes).toEqual(FLOODS);
      expect(fake.log().problems).toEqual([]);

      const records = await settledLog(harness, tabId, METHODS.length);
      // Each error once: the wire's record (method, DC, request), never a second page-boundary record.
      expect(records.map((r) => `${r.channel} ${r.code} ${r.type} ${r.method} dc${r.dc}`).sort()).toEqual(
        METHODS.map((m) => `websocket 420 FLOOD_WAIT_300 ${m} dc2`).sort(),
      );
      for (const record of records) {
        expect(record.params).toEqual({ seconds: 300 });
        expect(record.reqMsgId).toMatch(/^\d+$/);
        // What mtcute passed on to the page is kept on it as the second sighting.
        expect(record.reachedPage, record.method!).toMatchObject({
          channel: 'worker',
          dialect: 'mtcute',
          message: 'FLOOD_WAIT_300',
          code: 420,
          method: record.method,
        });
      }
      // The second sendMessage never reached the server: mtcute answered it from the wait it stored. That
      // FLOOD_WAIT_300 at the page boundary is counted as a repeated wait, not listed as another error.
      expect((await harness.getLog(tabId)).stats.dropped).toMatchObject({ 'repeated-wait': 1 });
      // Nor is the app's second call a request to Telegram: the wire shows none, so the handling audit
      // still watches the wait (no early retry reached the server).
      expect(records.map((r) => `${r.method} ${r.handling?.verdict}`).sort()).toEqual(METHODS.map((m) => `${m} pending`).sort());
      await expect(panel.getByText(/1 wait the client repeated from an error already listed/)).toBeVisible();
      // The panel as a user sees it (artifacts/, for a look): five records and the count in the status bar.
      await panel.setViewportSize({ width: 1200, height: 560 });
      await panel.screenshot({ path: `${ARTIFACTS}mtcute-${kind}-light.png` });
      await panel.emulateMedia({ colorScheme: 'dark' });
      await panel.screenshot({ path: `${ARTIFACTS}mtcute-${kind}-dark.png` });
    } finally {
      await context.close();
      await fake.close();
    }
  });
}
