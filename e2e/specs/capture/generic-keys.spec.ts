// "Read keys from this page" for a client the inspector does not know: the page (GramJS against
// the fake Telegram, e2e/fake-telegram/page/app.ts with ?store=own) keeps each DC's key under a
// name of its own, localStorage['<dc>authKey'] as a JSON array of 256 numbers, next to a decoy
// 256-byte value. Its encrypted traffic (DC 1, then DC 2 after a migration) shows two keys' ids;
// the generic scan keeps the two stored values whose ids match, says where each was, and not the
// decoy nor the keys of DCs no traffic used; then every error the server sends is decrypted and
// listed with its method and DC.

import { expect, test } from '@playwright/test';
import type { Page } from 'playwright-core';
import { ExtensionHarness, launchExtensionContext } from '../../harness/extension-browser.ts';
import { buildPage, fakeTelegramChromiumArgs, PRESHARED_KEYS, presharedAuthKey, SCRIPT, startFakeTelegram } from '../../fake-telegram/index.ts';
import type { ErrorRecord } from '../../../src/core/record.ts';
import { computeAuthKeyId } from '../../../src/core/keys/index.ts';

const DOCS = new URL('../../../docs/', import.meta.url).pathname;
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

async function runApp(page: Page): Promise<void> {
  await page.evaluate(() => (window as { __start?: () => void }).__start!());
  await page.waitForFunction(() => (window as { __result?: { done: boolean } }).__result?.done, null, { timeout: 30_000 });
}

async function logOf(harness: ExtensionHarness, tabId: number, count: number): Promise<ErrorRecord[]> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const { records } = await harness.getLog(tabId);
    if (records.length >= count || Date.now() > deadline) return records;
    await new Promise((r) => setTimeout(r, 200));
  }
}

test("a key kept as localStorage['2authKey'] (a JSON array): found by its id in the traffic, said where, and the errors decrypt", async () => {
  const fake = await startFakeTelegram({ script: SCRIPT, publicDir: await buildPage() });
  const context = await launchExtensionContext({ extraArgs: fakeTelegramChromiumArgs(fake.port) });
  try {
    const harness = await ExtensionHarness.attach(context);
    const page = await context.newPage();
    const url = `https://127.0.0.1:${fake.port}/?wait=1&store=own`;
    await page.goto(url);
    await page.waitForFunction(() => typeof (window as { __start?: unknown }).__start === 'function');
    // A 256-byte value that is no key of this session: never kept.
    const decoy = 'c3'.repeat(256);
    await page.evaluate((value) => localStorage.setItem('cache-blob', JSON.stringify({ blob: value })), decoy);
    const tabId = await harness.tabIdOf(page);
    const panel = await harness.openPanelPage(tabId);

    // Without keys: the client talks to DC 1 and DC 2 under keys the inspector names by id.
    await runApp(page);
    const ids = [1, 2].map((dc) => computeAuthKeyId(presharedAuthKey(dc)));
    await expect(panel.getByRole('status').filter({ hasText: 'encrypted' }).first()).toBeVisible();

    await panel.getByRole('button', { name: 'Session keys', exact: true }).click();
    const dialog = panel.getByRole('dialog', { name: 'Session keys' });
    await dialog.getByRole('button', { name: 'Read keys from this page' }).click();
    const status = dialog.getByRole('status');
    await expect(status).toContainText('2 new keys');
    await expect(status).toContainText("localStorage['2authKey'] (JSON array)");
    await expect(status).toContainText("localStorage['1authKey'] (JSON array)");
    // The other DCs' stored keys (no traffic used them yet) and the decoy: found, not kept.
    await expect(status).toContainText(`${PRESHARED_KEYS.size - 2 + 1} other 256-byte values matched no auth_key_id`);
    const list = dialog.getByRole('list', { name: 'Keys for this origin' });
    await expect(list.getByRole('listitem')).toHaveCount(2);
    const dc2 = list.getByRole('listitem').filter({ hasText: ids[1] });
    await expect(dc2).toContainText('DC 2');
    await expect(dc2).toContainText("page storage: localStorage['2authKey'] (JSON array)");
    await panel.setViewportSize({ width: 1100, height: 640 });
    await panel.screenshot({ path: `${DOCS}panel-session-keys-found.png` });
    await panel.emulateMedia({ colorScheme: 'dark' });
    await panel.screenshot({ path: `${DOCS}panel-session-keys-found-dark.png` });
    await panel.emulateMedia({ colorScheme: 'light' });
    await dialog.getByRole('button', { name: 'Close' }).click();

    // The decoy and the keys stay out of every store but memory.
    const session = JSON.stringify(await harness.evaluateInWorker(() => chrome.storage.session.get(null)));
    expect(session).not.toContain(decoy);
    const local = JSON.stringify(await harness.evaluateInWorker(() => chrome.storage.local.get(null)));
    for (const dc of [1, 2]) expect(local).not.toContain(hex(presharedAuthKey(dc)));

    // The same client again, now readable: every error the server sent, with its method and DC.
    fake.rewind();
    await page.reload();
    await page.waitForFunction(() => typeof (window as { __start?: unknown }).__start === 'function');
    await runApp(page);
    const sent = fake.log().errors.filter((e) => e.kind === 'rpc_error');
    expect(sent.length).toBeGreaterThan(0);
    const records = await logOf(harness, tabId, sent.length);
    const seen = records.map((r) => `${r.code} ${r.message} ${r.method} dc${r.dc}`);
    for (const error of sent) {
      expect(seen, `${error.code} ${error.message} (${error.method}) is in the log`).toContain(`${error.code} ${error.message} ${error.method} dc${error.dc}`);
    }
    const logText = JSON.stringify(records);
    for (const dc of [1, 2]) expect(logText).not.toContain(hex(presharedAuthKey(dc)));
  } finally {
    await context.close();
    await fake.close();
  }
});
