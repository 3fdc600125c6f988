// The demo's Web K-style client with a real encrypted MTProto socket inside its SharedWorker
// (e2e/demo/webk-wire/, ?wire=1), against the project's fake Telegram: the worker follows a 303
// to DC 2, sleeps through a FLOOD_WAIT_2, resends after a bad_server_salt and repeats a 500, as
// tweb's apiManager and networker do, and passes the rest to the page as ApiErrors in its
// batched tasks. With the keys read from the page (Web K's `account1`) in the Session keys
// dialog and "Capture inside workers" on, every error the server sent is in the log with its
// method and DC in the panel's export, once (those that reached the page carry that sighting), and the page receives
// exactly what it receives without the extension (and what the worker's fixed tables give).

import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { chromium, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH, ExtensionHarness, launchExtensionContext } from '../../harness/extension-browser.ts';
import { fakeTelegramChromiumArgs, startFakeTelegram, type FakeTelegram } from '../../fake-telegram/index.ts';
import { buildWebkWirePage } from '../../demo/webk-wire/build.ts';
import { WEBK_REACHING_PAGE, WEBK_SCRIPT, WEBK_SENT } from '../../demo/webk-wire/scenario.ts';
import { giveKeysInPanel } from '../../harness/session-keys-ui.ts';
import type { ErrorRecord, ExportFile } from '../../../src/core/record.ts';

type DemoResults = Record<string, unknown> & { order: string[] };

const pageUrl = (fake: FakeTelegram, query = '') => `https://127.0.0.1:${fake.port}/webk/index.html?wire=1${query}`;

async function runAllFlows(page: Page): Promise<DemoResults> {
  await page.getByRole('button', { name: 'Run all' }).click();
  await page.waitForFunction(() => (window as unknown as { demoDone?: boolean }).demoDone === true, null, { timeout: 40_000 });
  return page.evaluate(() => (window as unknown as { demoResults: DemoResults }).demoResults);
}

function checkServerLog(fake: FakeTelegram): void {
  const log = fake.log();
  expect(log.problems).toEqual([]);
  expect(fake.unusedRules()).toEqual([]);
  expect(log.errors.map((e) => `${e.code} ${e.message} ${e.method} dc${e.dc}`)).toEqual(WEBK_SENT);
  // tweb's host names: kws1 first, kws2 after the migration.
  expect(log.connections.map((c) => c.host.replace(/:\d+$/, ''))).toEqual(['kws1.web.telegram.org', 'kws2.web.telegram.org']);
}

/** What the page received, per flow, without the extension. */
let plainResults: DemoResults | undefined;

test.describe.configure({ mode: 'serial' });

test('Web K-style client on a real socket, without the extension: the worker handles what tweb handles', async () => {
  const fake = await startFakeTelegram({ script: WEBK_SCRIPT, publicDir: await buildWebkWirePage() });
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: [...CHROMIUM_ARGS, ...fakeTelegramChromiumArgs(fake.port)] });
  try {
    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (err) => pageErrors.push(err.message));
    await page.goto(pageUrl(fake));
    const results = await runAllFlows(page);
    expect(pageErrors).toEqual([]);
    checkServerLog(fake);
    expect(results.order).toHaveLength(11);
    // The handled errors never reach the page; those tweb passes on do, as ApiErrors.
    expect(results.getConfig).toEqual({ result: { _: 'config', this_dc: 2, test_mode: false } });
    expect(results.getFile).toEqual({ result: { _: 'upload.file', mtime: 1700000000, bytes: Array.from({ length: 64 }, (_, i) => i) } });
    const received = JSON.stringify(results);
    for (const type of WEBK_REACHING_PAGE) expect(received).toContain(`"type":"${type}"`);
    for (const type of ['USER_MIGRATE_2', 'FLOOD_WAIT_2"', 'RPC_CALL_FAIL']) expect(received).not.toContain(type);
    // The keys are where Web K keeps them, for "Read keys from this page".
    const account = await page.evaluate(() => JSON.parse(localStorage.getItem('account1') ?? '{}'));
    expect(account).toMatchObject({ dcId: 2 });
    expect(account.dc2_auth_key).toMatch(/^[0-9a-f]{512}$/);
    // The same page with the worker's fixed tables (no socket) receives the same.
    const tables = await browser.newPage();
    await tables.goto(`https://127.0.0.1:${fake.port}/webk/index.html?auto=1`);
    await tables.waitForFunction(() => (window as unknown as { demoDone?: boolean }).demoDone === true, null, { timeout: 30_000 });
    expect(await tables.evaluate(() => (window as unknown as { demoResults: DemoResults }).demoResults)).toEqual(results);
    expect(fake.log().connections).toHaveLength(2);
    plainResults = results;
  } finally {
    await browser.close();
    await fake.close();
  }
});

for (const kind of ['shared', 'worker'] as const) {
  const where = kind === 'shared' ? 'its SharedWorker' : 'a dedicated Worker (?noSharedWorker=1)';
  test(`Web K-style client on a real socket in ${where}, switch on: every error the server sent, with method and DC, once`, async () => {
    const fake = await startFakeTelegram({ script: WEBK_SCRIPT, publicDir: await buildWebkWirePage() });
    const context = await launchExtensionContext({ extraArgs: fakeTelegramChromiumArgs(fake.port) });
    try {
      const harness = await ExtensionHarness.attach(context);
      const page = await context.newPage();
      await page.goto(pageUrl(fake, kind === 'worker' ? '&noSharedWorker=1' : ''));
      await page.getByRole('button', { name: 'Run all' }).waitFor();
      const tabId = await harness.tabIdOf(page);
      const panel = await harness.openPanelPage(tabId);

      // Keys as a Web K user gives them: read from the page's `account1`.
      expect(await giveKeysInPanel(panel, { readFromPage: true })).toBe(5);
      await panel.getByRole('checkbox', { name: 'Capture inside workers' }).check();
      // The page made its worker at load (as Web K does); either kind is attached before its
      // socket opens, on the first call.
      await expect(panel.getByText(/1 worker attached/)).toBeVisible({ timeout: 10_000 });

      const results = await runAllFlows(page);
      checkServerLog(fake);
      // The page receives exactly what it receives without the extension.
      expect(plainResults, 'the run without the extension came first').toBeDefined();
      expect(results).toEqual(plainResults);

      await harness.settledLog(tabId, WEBK_SENT.length + 1);
      // Page-boundary sightings wait up to 1.5 s for their wire record.
      await page.waitForTimeout(2000);
      // What the user exports: Export all.
      const [download] = await Promise.all([panel.waitForEvent('download'), panel.getByRole('button', { name: 'Export all' }).click()]);
      const exported = JSON.parse(await readFile((await download.path())!, 'utf8')) as ExportFile;
      const records: ErrorRecord[] = exported.errors;
      expect(records).toHaveLength((await harness.getLog(tabId)).records.length);
      const describe = (r: ErrorRecord) =>
        r.class === 'PROTOCOL' ? `48 bad_server_salt ${r.method} dc${r.dc}` : `${r.code} ${r.message} ${r.method} dc${r.dc}`;
      const wire = records.filter((r) => r.channel === 'websocket');
      expect(wire.map(describe).sort()).toEqual([...WEBK_SENT].sort());
      // Those the worker passed on are the wire's records, with the page's sighting.
      for (const type of WEBK_REACHING_PAGE) {
        const record = wire.find((r) => r.message === type)!;
        expect(record.reachedPage, type).toMatchObject({ channel: 'worker', dialect: 'webk', message: type });
      }
      for (const r of wire.filter((r) => !WEBK_REACHING_PAGE.includes(r.message))) expect(r.reachedPage, r.message).toBeUndefined();
      // Besides the wire: only the error the worker threw from its cache (no request on the wire).
      expect(records.filter((r) => r.channel !== 'websocket').map((r) => `${r.code} ${r.message} ${r.method} ${r.channel}`)).toEqual([
        '420 SLOWMODE_WAIT_30 appChatsManager.getChannelFull worker',
      ]);
      await expect(panel.getByRole('alert', { name: 'Connections that cannot be read' })).toHaveCount(0);
    } finally {
      await context.close();
      await fake.close();
    }
  });
}

// Web K in two tabs shares one SharedWorker. With the switch on in both, the worker is attached
// once and read for both. "Run all" in tab A: the errors the worker passes to A in its tasks are
// A's alone (A's page sighting pairs each with A's call); those it handles itself (the 303, the
// short flood wait, the bad salt, the 500) are listed in both tabs, marked as read on a worker
// the tabs share.
test("Web K-style client in two tabs sharing its SharedWorker, switch on in both: the errors answering tab A's calls are A's, the handled ones are in both, marked shared", async () => {
  const fake = await startFakeTelegram({ script: WEBK_SCRIPT, publicDir: await buildWebkWirePage() });
  const context = await launchExtensionContext({ extraArgs: fakeTelegramChromiumArgs(fake.port) });
  try {
    const harness = await ExtensionHarness.attach(context);
    const tabs: { page: Page; tabId: number; panel: Page }[] = [];
    for (let i = 0; i < 2; i++) {
      const page = await context.newPage();
      await page.goto(pageUrl(fake));
      await page.getByRole('button', { name: 'Run all' }).waitFor();
      const tabId = await harness.tabIdOf(page);
      tabs.push({ page, tabId, panel: await harness.openPanelPage(tabId) });
    }
    const [a, b] = tabs;
    // Keys are per origin: read once from tab A's page (Web K's `account1`).
    expect(await giveKeysInPanel(a.panel, { readFromPage: true })).toBe(5);
    for (const { panel } of tabs) {
      await panel.getByRole('checkbox', { name: 'Capture inside workers' }).check();
      await expect(panel.getByText(/1 worker attached/)).toBeVisible({ timeout: 10_000 });
    }
    for (const { panel } of tabs) await expect(panel.getByText(/read for 1 other tab too/)).toBeVisible({ timeout: 10_000 });

    const results = await runAllFlows(a.page);
    checkServerLog(fake);
    expect(plainResults, 'the run without the extension came first').toBeDefined();
    expect(results).toEqual(plainResults);

    await harness.settledLog(a.tabId, WEBK_SENT.length + 1);
    await a.page.waitForTimeout(2000);
    const inA = (await harness.settledLog(a.tabId)).records;
    const inB = (await harness.settledLog(b.tabId)).records;
    const describe = (r: ErrorRecord) => (r.class === 'PROTOCOL' ? `48 bad_server_salt ${r.method} dc${r.dc}` : `${r.code} ${r.message} ${r.method} dc${r.dc}`);
    const wireA = inA.filter((r) => r.channel === 'websocket');
    // Tab A: every error the server sent, once, those reaching its page with that sighting.
    expect(wireA.map(describe).sort()).toEqual([...WEBK_SENT].sort());
    for (const type of WEBK_REACHING_PAGE)
      expect(wireA.find((r) => r.message === type)?.reachedPage, type).toMatchObject({ channel: 'worker', dialect: 'webk', message: type });
    expect(wireA.every((r) => r.sharedWorker?.tabs === 2)).toBe(true);
    // Tab B: only the errors the worker handled, each marked shared; nothing of A's calls.
    const handled = WEBK_SENT.filter((line) => !WEBK_REACHING_PAGE.some((type) => line.includes(` ${type} `)));
    expect(inB.map(describe).sort()).toEqual([...handled].sort());
    expect(inB.every((r) => r.channel === 'websocket' && r.sharedWorker?.tabs === 2 && r.reachedPage === undefined)).toBe(true);
    // The page-only error (thrown from the worker's cache) is A's alone too.
    expect(inA.filter((r) => r.channel !== 'websocket').map((r) => r.message)).toEqual(['SLOWMODE_WAIT_30']);
    await expect(b.panel.getByRole('row').filter({ hasText: 'USER_MIGRATE_2' }).getByText('shared · 2 tabs')).toBeVisible();
  } finally {
    await context.close();
    await fake.close();
  }
});
