// "Capture inside workers", end to end: GramJS (the real library) runs in a dedicated Worker and
// in a SharedWorker against the project's fake Telegram, which answers its calls with rpc_errors
// GramJS mostly handles itself (a 303 it follows to DC 2, a FLOOD_WAIT it sleeps through, a 500
// it retries, a bad_server_salt it resends after). The page hook cannot see those sockets; with
// the keys given in the Session keys dialog and the switch on, every error the server sent is in
// the log with its method and DC, each once (those the worker passed to the page carry that
// second sighting), the app sees exactly what it sees without the extension, and turning the
// switch off leaves no debugger session behind.

import { expect, test } from '@playwright/test';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH, ExtensionHarness, launchExtensionContext } from '../../harness/extension-browser.ts';
import {
  buildPage,
  checkLog,
  checkOutcomes,
  fakeTelegramChromiumArgs,
  presharedAuthKey,
  SCRIPT,
  startFakeTelegram,
  type FakeTelegram,
} from '../../fake-telegram/index.ts';
import type { WorkersPageResult } from '../../fake-telegram/page/workers-page.ts';
import type { ErrorRecord } from '../../../src/core/record.ts';
import { giveKeysInPanel } from '../../harness/session-keys-ui.ts';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

async function runApp(page: Page): Promise<WorkersPageResult> {
  await page.evaluate(() => (window as unknown as { __start: () => void }).__start());
  await page.waitForFunction(() => (window as unknown as { __result?: WorkersPageResult }).__result?.done, null, { timeout: 40_000 });
  return page.evaluate(() => (window as unknown as { __result: WorkersPageResult }).__result);
}

async function logOf(harness: ExtensionHarness, tabId: number, count: number): Promise<ErrorRecord[]> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const { records } = await harness.getLog(tabId);
    if (records.length >= count || Date.now() > deadline) {
      // Page-boundary sightings wait up to 1.5 s for their wire record: let them settle.
      await new Promise((r) => setTimeout(r, 2000));
      return (await harness.getLog(tabId)).records;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

for (const kind of ['worker', 'shared'] as const) {
  const name = kind === 'worker' ? 'a dedicated Worker' : 'a SharedWorker';

  test(`GramJS in ${name}, without the extension: the app sees what the scenario expects`, async () => {
    const fake = await startFakeTelegram({ script: SCRIPT, publicDir: await buildPage() });
    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: [...CHROMIUM_ARGS, ...fakeTelegramChromiumArgs(fake.port)] });
    try {
      const page = await browser.newPage();
      await page.goto(`https://127.0.0.1:${fake.port}/workers.html?kind=${kind}&wait=1`);
      await page.waitForFunction(() => typeof (window as { __start?: unknown }).__start === 'function');
      const result = await runApp(page);
      expect(result.error).toBeUndefined();
      expect(checkOutcomes(result.outcomes)).toEqual([]);
      expect(checkLog(fake.log(), fake.unusedRules())).toEqual([]);
    } finally {
      await browser.close();
      await fake.close();
    }
  });

  test(`GramJS in ${name}, switch on: every error the server sent, with method and DC, once; off detaches everything`, async () => {
    const fake: FakeTelegram = await startFakeTelegram({ script: SCRIPT, publicDir: await buildPage() });
    const context: BrowserContext = await launchExtensionContext({ extraArgs: fakeTelegramChromiumArgs(fake.port) });
    try {
      const harness = await ExtensionHarness.attach(context);
      const page = await context.newPage();
      await page.goto(`https://127.0.0.1:${fake.port}/workers.html?kind=${kind}&wait=1`);
      await page.waitForFunction(() => typeof (window as { __start?: unknown }).__start === 'function');
      const tabId = await harness.tabIdOf(page);
      const panel = await harness.openPanelPage(tabId);

      // The keys, pasted in the Session keys dialog (the worker's session is not in localStorage).
      expect(await giveKeysInPanel(panel, { paste: [hex(presharedAuthKey(1)), hex(presharedAuthKey(2))] })).toBe(2);

      const toggle = panel.getByRole('checkbox', { name: 'Capture inside workers' });
      await toggle.check();
      if (kind === 'shared') await expect(panel.getByText(/1 worker attached/)).toBeVisible({ timeout: 10_000 });
      else await expect(panel.getByText(/0 workers attached/)).toBeVisible();

      const result = await runApp(page);
      expect(result.error).toBeUndefined();
      // The app and its worker behave as without the extension.
      expect(checkOutcomes(result.outcomes)).toEqual([]);
      expect(checkLog(fake.log(), fake.unusedRules())).toEqual([]);

      const sent = fake.log().errors.filter((e) => e.kind === 'rpc_error');
      const records = await logOf(harness, tabId, sent.length + 1);
      const seen = records.map((r) => `${r.code} ${r.message} ${r.method} dc${r.dc}`);
      for (const error of sent) {
        expect(seen, `${error.code} ${error.message} (${error.method}) is in the log`).toContain(
          `${error.code} ${error.message} ${error.method} dc${error.dc}`,
        );
      }
      for (const salt of fake.log().errors.filter((e) => e.kind === 'bad_server_salt')) {
        expect(records.some((r) => r.class === 'PROTOCOL' && r.method === salt.method && r.dc === salt.dc)).toBe(true);
      }
      // Each error once: the ones the worker passed to the page are the wire's records, with that second sighting.
      expect(records.filter((r) => r.class !== 'PROTOCOL')).toHaveLength(sent.length);
      expect(records.every((r) => r.channel === 'websocket')).toBe(true);
      const forbidden = records.find((r) => r.message === 'CHAT_WRITE_FORBIDDEN')!;
      expect(forbidden.reachedPage).toMatchObject({ channel: 'worker', message: 'CHAT_WRITE_FORBIDDEN' });
      expect(result.errors.length).toBeGreaterThan(0);
      // Nothing the page could not read was seen.
      await expect(panel.getByRole('alert', { name: 'Connections that cannot be read' })).toHaveCount(0);

      // Off: every session detached (detaching again fails: nothing is attached).
      await toggle.uncheck();
      await expect(panel.getByText(/workers? attached/)).toHaveCount(0);
      const attached = await harness.evaluateInWorker(async (id: number) => {
        const left: string[] = [];
        try {
          await chrome.debugger.detach({ tabId: id });
          left.push('tab');
        } catch {
          // not attached: as it should be
        }
        for (const t of await chrome.debugger.getTargets()) {
          if (t.type !== 'worker' || t.url.startsWith('chrome-extension:')) continue;
          try {
            await chrome.debugger.detach({ targetId: t.id });
            left.push(t.url);
          } catch {
            // not attached
          }
        }
        return left;
      }, tabId);
      expect(attached).toEqual([]);
    } finally {
      await context.close();
      await fake.close();
    }
  });
}

test("switched on after the worker's socket opened: the panel says the connection cannot be read and how to fix it", async () => {
  const fake = await startFakeTelegram({ script: SCRIPT, publicDir: await buildPage() });
  const context = await launchExtensionContext({ extraArgs: fakeTelegramChromiumArgs(fake.port) });
  try {
    const harness = await ExtensionHarness.attach(context);
    const page = await context.newPage();
    await page.goto(`https://127.0.0.1:${fake.port}/workers.html?kind=worker&wait=1`);
    await page.waitForFunction(() => typeof (window as { __start?: unknown }).__start === 'function');
    const tabId = await harness.tabIdOf(page);
    const panel = await harness.openPanelPage(tabId);
    await page.evaluate(() => (window as unknown as { __start: () => void }).__start());
    // The socket to DC 2 is open (after the migration) before the switch goes on.
    await expect.poll(() => fake.log().connections.length, { timeout: 10_000 }).toBe(2);
    await panel.getByRole('checkbox', { name: 'Capture inside workers' }).check();
    const notice = panel.getByRole('alert', { name: 'Connections that cannot be read' });
    await expect(notice).toContainText('This connection cannot be read', { timeout: 15_000 });
    await expect(notice).toContainText('first bytes were missed');
    await expect(notice).toContainText('Reload the page');
    await expect(notice.getByRole('button', { name: 'Reconnect worker sockets' })).toBeVisible();
    // The app is not disturbed.
    await page.waitForFunction(() => (window as unknown as { __result?: WorkersPageResult }).__result?.done, null, { timeout: 40_000 });
    const result = await page.evaluate(() => (window as unknown as { __result: WorkersPageResult }).__result);
    expect(checkOutcomes(result.outcomes)).toEqual([]);
  } finally {
    await context.close();
    await fake.close();
  }
});

// Two tabs of one origin share one SharedWorker (as Web K in two tabs does). Chrome lets the
// extension hold one session per target: it is attached once and read for both tabs. The run is
// started in tab A, so the worker passes its errors to A's port only: those are A's alone (A's
// page sighting tells); the errors the worker handles itself are listed in both, marked shared.
test("GramJS in a SharedWorker, two tabs with the switch on: both read it; what reached tab A's page is A's alone, the rest is listed in both, marked shared", async () => {
  const fake: FakeTelegram = await startFakeTelegram({ script: SCRIPT, publicDir: await buildPage() });
  const context: BrowserContext = await launchExtensionContext({ extraArgs: fakeTelegramChromiumArgs(fake.port) });
  try {
    const harness = await ExtensionHarness.attach(context);
    const url = `https://127.0.0.1:${fake.port}/workers.html?kind=shared&wait=1`;
    const tabs: { page: Page; tabId: number; panel: Page }[] = [];
    for (let i = 0; i < 2; i++) {
      const page = await context.newPage();
      await page.goto(url);
      await page.waitForFunction(() => typeof (window as { __start?: unknown }).__start === 'function');
      const tabId = await harness.tabIdOf(page);
      tabs.push({ page, tabId, panel: await harness.openPanelPage(tabId) });
    }
    const [a, b] = tabs;
    // Keys are per origin: given once, in tab A's panel.
    expect(await giveKeysInPanel(a.panel, { paste: [hex(presharedAuthKey(1)), hex(presharedAuthKey(2))] })).toBe(2);
    for (const { panel } of tabs) {
      await panel.getByRole('checkbox', { name: 'Capture inside workers' }).check();
      await expect(panel.getByText(/1 worker attached/)).toBeVisible({ timeout: 10_000 });
    }
    // Both name the same worker, read for the other tab too (one debugger session).
    for (const { panel } of tabs) await expect(panel.getByText(/read for 1 other tab too/)).toBeVisible({ timeout: 10_000 });

    const result = await runApp(a.page);
    expect(result.error).toBeUndefined();
    expect(checkOutcomes(result.outcomes)).toEqual([]);
    expect(checkLog(fake.log(), fake.unusedRules())).toEqual([]);

    const sent = fake.log().errors.filter((e) => e.kind === 'rpc_error');
    const inA = await logOf(harness, a.tabId, sent.length + 1);
    const inB = (await harness.settledLog(b.tabId)).records;
    const line = (r: ErrorRecord) => `${r.code} ${r.message} ${r.method} dc${r.dc}`;
    // Tab A: every error the server sent, once, as with one tab.
    for (const error of sent) expect(inA.map(line)).toContain(`${error.code} ${error.message} ${error.method} dc${error.dc}`);
    expect(inA.filter((r) => r.class !== 'PROTOCOL')).toHaveLength(sent.length);
    expect(inA.every((r) => r.channel === 'websocket' && r.sharedWorker?.tabs === 2)).toBe(true);
    const reachedA = inA.filter((r) => r.reachedPage !== undefined);
    expect(reachedA.map((r) => r.message)).toContain('CHAT_WRITE_FORBIDDEN');
    // Tab B: the same errors but those A's page received; none of them claims a page sighting.
    expect(inB.map(line).sort()).toEqual(
      inA
        .filter((r) => r.reachedPage === undefined)
        .map(line)
        .sort(),
    );
    expect(inB.every((r) => r.sharedWorker?.tabs === 2 && r.reachedPage === undefined)).toBe(true);
    expect(inB.length).toBeGreaterThan(0);
    // The panel says so on the row and in the detail.
    const row = b.panel.getByRole('row').filter({ hasText: 'USER_MIGRATE_2' }).first();
    await expect(row.getByText('shared · 2 tabs')).toBeVisible();
    await row.click();
    await expect(b.panel.getByText(/a SharedWorker 2 tabs read: no page told whose call it answered/)).toBeVisible();

    // A leaves: B still reads the worker; B leaves: nothing stays attached.
    await a.panel.getByRole('checkbox', { name: 'Capture inside workers' }).uncheck();
    await expect(b.panel.getByText(/1 worker attached/)).toBeVisible();
    await expect(b.panel.getByText(/read for 1 other tab too/)).toHaveCount(0);
    await b.panel.getByRole('checkbox', { name: 'Capture inside workers' }).uncheck();
    await expect(b.panel.getByText(/workers? attached/)).toHaveCount(0);
    // Detaching fails where nothing is attached: the tabs and every worker target.
    const left = await harness.evaluateInWorker(
      async (ids: number[]) => {
        const attached: string[] = [];
        for (const id of ids)
          await chrome.debugger.detach({ tabId: id }).then(
            () => attached.push(`tab ${id}`),
            () => undefined,
          );
        for (const t of await chrome.debugger.getTargets()) {
          if (t.type !== 'worker' || t.url.startsWith('chrome-extension:')) continue;
          await chrome.debugger.detach({ targetId: t.id }).then(
            () => attached.push(t.url),
            () => undefined,
          );
        }
        return attached;
      },
      [a.tabId, b.tabId],
    );
    expect(left).toEqual([]);
  } finally {
    await context.close();
    await fake.close();
  }
});
