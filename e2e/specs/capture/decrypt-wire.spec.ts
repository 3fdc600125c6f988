// The encrypted wire, end to end: GramJS (the real library, bundled for the browser) runs on the
// page's main thread against the project's fake Telegram, which answers its calls with
// rpc_errors that GramJS mostly handles itself (a 303 it follows to DC 2, a FLOOD_WAIT it sleeps
// through, a 500 it retries, a bad_server_salt it resends after). Once the user reads the keys
// from the page and pastes the other DC's key in the Session keys dialog, every error the server
// sent must be in the log with its method and DC; keys never in storage.local, the export, or
// another origin's page.

import { expect, test } from '@playwright/test';
import type { BrowserContext, Page } from 'playwright-core';
import { ExtensionHarness, launchExtensionContext } from '../../harness/extension-browser.ts';
import { buildPage, fakeTelegramChromiumArgs, presharedAuthKey, SCRIPT, startFakeTelegram, type FakeTelegram } from '../../fake-telegram/index.ts';
import type { ErrorRecord } from '../../../src/core/record.ts';
import { startDemoServer } from '../../demo/server.ts';
import { giveKeysInPanel } from '../../harness/session-keys-ui.ts';

const DOCS = new URL('../../../docs/', import.meta.url).pathname;

interface Ctx {
  fake: FakeTelegram;
  context: BrowserContext;
  harness: ExtensionHarness;
}

async function start(): Promise<Ctx> {
  const publicDir = await buildPage();
  const fake = await startFakeTelegram({ script: SCRIPT, publicDir });
  const context = await launchExtensionContext({ extraArgs: fakeTelegramChromiumArgs(fake.port) });
  return { fake, context, harness: await ExtensionHarness.attach(context) };
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

/** Waits until the background's log for the tab holds at least `count` records. */
async function logOf(harness: ExtensionHarness, tabId: number, count: number): Promise<ErrorRecord[]> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const { records } = await harness.getLog(tabId);
    if (records.length >= count || Date.now() > deadline) return records;
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function runApp(page: Page): Promise<void> {
  await page.evaluate(() => (window as { __start?: () => void }).__start!());
  await page.waitForFunction(() => (window as { __result?: { done: boolean } }).__result?.done, null, { timeout: 30_000 });
}

test('keys read from the page and pasted: every error the server sent, with method and DC, including those GramJS handled', async () => {
  const { fake, context, harness } = await start();
  try {
    const page = await context.newPage();
    await page.goto(`https://127.0.0.1:${fake.port}/?wait=1`);
    await page.waitForFunction(() => typeof (window as { __start?: unknown }).__start === 'function');
    const tabId = await harness.tabIdOf(page);
    const panel = await harness.openPanelPage(tabId);

    await panel.getByRole('button', { name: /^Session keys/ }).click();
    const dialog = panel.getByRole('dialog', { name: 'Session keys' });
    await dialog.getByRole('button', { name: 'Read keys from this page' }).click();
    await expect(dialog.getByRole('status')).toContainText('1 new key');
    await expect(dialog.getByRole('status')).toContainText('localStorage fake_telegram:authKey');
    // The other DC's key, pasted as a user would (GramJS's StoreSession holds only the current DC's).
    await dialog.getByLabel('Auth key').fill(`"${hex(presharedAuthKey(2))}"`);
    await dialog.getByRole('button', { name: 'Add key' }).click();
    await expect(dialog.getByRole('list', { name: 'Keys for this origin' }).getByRole('listitem')).toHaveCount(2);
    await expect(dialog.getByLabel('Auth key')).toHaveValue('');
    // The dialog as a user sees it, light and dark (docs/session-keys.md shows it).
    await panel.setViewportSize({ width: 1100, height: 640 });
    await panel.screenshot({ path: `${DOCS}panel-session-keys.png` });
    await panel.emulateMedia({ colorScheme: 'dark' });
    await panel.screenshot({ path: `${DOCS}panel-session-keys-dark.png` });
    await panel.emulateMedia({ colorScheme: 'light' });
    await dialog.getByRole('button', { name: 'Close' }).click();

    await runApp(page);
    const sent = fake.log().errors.filter((e) => e.kind === 'rpc_error');
    const records = await logOf(harness, tabId, sent.length + 1);
    const seen = records.map((r) => `${r.code} ${r.message} ${r.method} dc${r.dc}`);
    for (const error of sent) {
      expect(seen, `${error.code} ${error.message} (${error.method}) is in the log`).toContain(`${error.code} ${error.message} ${error.method} dc${error.dc}`);
    }
    // The bad_server_salt GramJS resent after: a protocol record for its request.
    const salts = fake.log().errors.filter((e) => e.kind === 'bad_server_salt');
    for (const salt of salts) expect(records.some((r) => r.class === 'PROTOCOL' && r.method === salt.method && r.dc === salt.dc)).toBe(true);
    // Each record is one error: nothing counted twice.
    expect(records.filter((r) => r.class !== 'PROTOCOL')).toHaveLength(sent.length);

    // Keys stay in memory: not in storage.local, not in the log or an export, never shown in full.
    const keyHexes = [hex(presharedAuthKey(1)), hex(presharedAuthKey(2))];
    const local = JSON.stringify(await harness.evaluateInWorker(() => chrome.storage.local.get(null)));
    const logText = JSON.stringify(records);
    const panelText = await panel.locator('body').innerText();
    for (const k of keyHexes) {
      expect(local).not.toContain(k);
      expect(logText).not.toContain(k);
      expect(panelText).not.toContain(k);
      expect(logText).not.toContain(k.slice(0, 64));
    }
  } finally {
    await context.close();
    await fake.close();
  }
});

test('the keys reach no other origin, not even a frame in the same tab, and a page cannot plant one', async () => {
  const { fake, context, harness } = await start();
  const demo = await startDemoServer();
  try {
    // Every frame's page world records the key hand-overs it hears.
    await context.addInitScript(() => {
      const heard: string[] = ((window as { __keyEvents?: string[] }).__keyEvents = []);
      document.addEventListener('__tg_api_error_inspector_keys__', (e) => heard.push(String((e as CustomEvent).detail)));
    });
    const page = await context.newPage();
    await page.goto(`https://127.0.0.1:${fake.port}/?wait=1`);
    await page.waitForFunction(() => typeof (window as { __start?: unknown }).__start === 'function');
    // A frame of another origin inside the page.
    await page.evaluate((url) => {
      const frame = document.createElement('iframe');
      frame.src = url;
      document.body.append(frame);
    }, `${demo.url}/`);
    const inner = await (await page.waitForSelector('iframe')).contentFrame();
    await inner!.waitForLoadState('load');
    const tabId = await harness.tabIdOf(page);
    const panel = await harness.openPanelPage(tabId);
    expect(await giveKeysInPanel(panel, { readFromPage: true })).toBe(1);

    const heardKeys = (frame: { evaluate: Page['evaluate'] }) =>
      frame.evaluate(() => ((window as { __keyEvents?: string[] }).__keyEvents ?? []).filter((d) => d.length > 0));
    await expect.poll(() => heardKeys(page)).toHaveLength(1);
    expect((await heardKeys(page))[0]).toBe(hex(presharedAuthKey(1)));
    expect(await heardKeys(inner!)).toEqual([]);

    // Another origin's page in its own tab hears none either.
    const other = await context.newPage();
    await other.goto(`${demo.url}/`);
    await other.waitForTimeout(300);
    expect(await heardKeys(other)).toEqual([]);

    // A page that stores a key of its own making and forges the content script's messages
    // gets nothing in: keys enter only by the user's click or the switch the user turned on.
    const planted = 'ab'.repeat(256);
    await other.evaluate((key) => {
      localStorage.setItem('dc2_auth_key', JSON.stringify(key));
      document.dispatchEvent(
        new CustomEvent('__tg_api_error_inspector__', {
          detail: JSON.stringify({ type: 'page-keys-found', dump: JSON.stringify({ dc2_auth_key: key }), places: [] }),
        }),
      );
    }, planted);
    await other.reload();
    await other.waitForTimeout(500);
    const stored = JSON.stringify(await harness.evaluateInWorker(() => chrome.storage.session.get(null)));
    expect(stored).not.toContain(planted);
  } finally {
    await context.close();
    await fake.close();
    await demo.close();
  }
});
