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

test("the scan of a full storage never holds the page's main thread for long", async () => {
  const fake = await startFakeTelegram({ script: SCRIPT, publicDir: await buildPage() });
  const context = await launchExtensionContext({ extraArgs: fakeTelegramChromiumArgs(fake.port) });
  try {
    const harness = await ExtensionHarness.attach(context);
    const page = await context.newPage();
    await page.goto(`https://127.0.0.1:${fake.port}/?wait=1`);
    // 2,200 entries of about 1.7 KB of JSON (near the 5 MB quota) (over the 2,000-value cap) and 300 IndexedDB records.
    await page.evaluate(async () => {
      const entry = (i: number) => JSON.stringify({ i, rows: Array.from({ length: 30 }, (_, j) => ({ j, name: `row-${i}-${j}`, flag: j % 2 === 0 })) });
      for (let i = 0; i < 2_200; i++) localStorage.setItem(`cache:${i}`, entry(i));
      await new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('app-cache', 1);
        open.onupgradeneeded = () => open.result.createObjectStore('items');
        open.onsuccess = () => {
          const tx = open.result.transaction('items', 'readwrite');
          for (let i = 0; i < 300; i++) tx.objectStore('items').put({ i, blob: new Uint8Array(1024).fill(i & 255), meta: { tags: ['a', 'b'], n: i } }, i);
          tx.oncomplete = () => {
            open.result.close();
            resolve();
          };
        };
        open.onerror = () => reject(open.error);
      });
    });
    const tabId = await harness.tabIdOf(page);
    const panel = await harness.openPanelPage(tabId);
    // A probe in the page: the gaps between its own tasks (a MessageChannel loop), first with
    // nothing else running, then while the scan runs. On a loaded machine the OS preempts the
    // renderer now and then (long gaps in both); the scan must not add a run of long gaps.
    const startProbe = () =>
      page.evaluate(() => {
        const probe = ((window as unknown as { __gaps: { gaps: number[]; run: boolean } }).__gaps = { gaps: [] as number[], run: true });
        const channel = new MessageChannel();
        let last = performance.now();
        channel.port1.onmessage = () => {
          const now = performance.now();
          probe.gaps.push(now - last);
          last = now;
          if (probe.run) channel.port2.postMessage(0);
        };
        channel.port2.postMessage(0);
      });
    const stopProbe = () =>
      page.evaluate(() => {
        const probe = (window as unknown as { __gaps: { gaps: number[]; run: boolean } }).__gaps;
        probe.run = false;
        const gaps = probe.gaps.slice().sort((a, b) => a - b);
        const at = (q: number) => gaps[Math.min(gaps.length - 1, Math.floor(q * gaps.length))];
        return { tasks: gaps.length, p50: at(0.5), p99: at(0.99), over16: gaps.filter((g) => g > 16).length, max: gaps[gaps.length - 1] };
      });
    await startProbe();
    await page.waitForTimeout(1_500);
    const idle = await stopProbe();
    await panel.getByRole('button', { name: 'Session keys', exact: true }).click();
    const dialog = panel.getByRole('dialog', { name: 'Session keys' });
    await startProbe();
    await dialog.getByRole('button', { name: 'Read keys from this page' }).click();
    await expect(dialog.getByRole('status')).toContainText('Looked through 2,000 stored values (stopped at the cap)', { timeout: 20_000 });
    const scanning = await stopProbe();
    console.log(`main-thread gaps, idle: ${JSON.stringify(idle)}; during the scan: ${JSON.stringify(scanning)} (ms)`);
    // The page keeps running between slices: thousands of its tasks ran during the scan, and
    // the typical gap stays a few ms (slices of 4 ms).
    expect(scanning.tasks).toBeGreaterThan(100);
    expect(scanning.p50).toBeLessThan(8);
    // Long gaps come from the machine (as many when idle), not from the scan.
    expect(scanning.over16).toBeLessThanOrEqual(idle.over16 * 2 + 10);
  } finally {
    await context.close();
    await fake.close();
  }
});

test("with the origin's switch on, a new key id in the traffic has the storage looked through again, unasked", async () => {
  const fake = await startFakeTelegram({ script: SCRIPT, publicDir: await buildPage() });
  const context = await launchExtensionContext({ extraArgs: fakeTelegramChromiumArgs(fake.port) });
  try {
    const harness = await ExtensionHarness.attach(context);
    const page = await context.newPage();
    await page.goto(`https://127.0.0.1:${fake.port}/?wait=1&store=own`);
    await page.waitForFunction(() => typeof (window as { __start?: unknown }).__start === 'function');
    const tabId = await harness.tabIdOf(page);
    const panel = await harness.openPanelPage(tabId);
    await panel.getByRole('button', { name: 'Session keys', exact: true }).click();
    const dialog = panel.getByRole('dialog', { name: 'Session keys' });
    await dialog.getByRole('checkbox', { name: 'At every load of this origin' }).check();
    const list = dialog.getByRole('list', { name: 'Keys for this origin' });
    await expect(dialog.getByText('None yet.')).toBeVisible();
    // No click on Read: the traffic's key ids bring the keys in as they appear.
    await runApp(page);
    await expect(list.getByRole('listitem')).toHaveCount(2, { timeout: 15_000 });
    for (const dc of [1, 2])
      await expect(list.getByRole('listitem').filter({ hasText: computeAuthKeyId(presharedAuthKey(dc)) })).toContainText(
        `localStorage['${dc}authKey'] (JSON array)`,
      );
  } finally {
    await context.close();
    await fake.close();
  }
});
