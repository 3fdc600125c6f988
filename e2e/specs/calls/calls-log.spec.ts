// The call log end to end (issue 21): GramJS on the page against the fake Telegram, its wire
// encrypted and read with the keys given in the panel. The calls that led to the scripted
// FLOOD_WAIT_3600 (contacts.resolveUsername) are counted in the panel's "Before" and in the
// export exactly as the server's own log counts them; the Calls view lists every call the server
// received, with its method, DC and outcome.

import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import type { Page } from 'playwright-core';
import { ExtensionHarness, launchExtensionContext } from '../../harness/extension-browser.ts';
import { buildPage, fakeTelegramChromiumArgs, presharedAuthKey, SCRIPT, startFakeTelegram } from '../../fake-telegram/index.ts';
import { giveKeysInPanel } from '../../harness/session-keys-ui.ts';
import { maxInSpan } from '../../../src/core/calls/before.ts';
import type { ExportedCall } from '../../../src/core/calls/call.ts';
import type { ErrorRecord } from '../../../src/core/record.ts';

const DOCS = new URL('../../../docs/', import.meta.url).pathname;
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

async function runApp(page: Page): Promise<void> {
  await page.evaluate(() => (window as { __start?: () => void }).__start!());
  await page.waitForFunction(() => (window as { __result?: { done: boolean } }).__result?.done, null, { timeout: 30_000 });
}

test('GramJS: the calls before a FLOOD_WAIT and every call the server received, in the panel and the export', async () => {
  const publicDir = await buildPage();
  const fake = await startFakeTelegram({ script: SCRIPT, publicDir });
  const context = await launchExtensionContext({ extraArgs: fakeTelegramChromiumArgs(fake.port) });
  const harness = await ExtensionHarness.attach(context);
  try {
    const page = await context.newPage();
    await page.goto(`https://127.0.0.1:${fake.port}/?wait=1`);
    await page.waitForFunction(() => typeof (window as { __start?: unknown }).__start === 'function');
    const tabId = await harness.tabIdOf(page);
    const panel = await harness.openPanelPage(tabId);
    await panel.setViewportSize({ width: 1200, height: 720 });
    expect(await giveKeysInPanel(panel, { readFromPage: true, paste: [hex(presharedAuthKey(2))] })).toBe(2);
    await runApp(page);

    const server = fake.log();
    const flood = server.errors.find((e) => e.kind === 'rpc_error' && e.message === 'FLOOD_WAIT_3600')!;
    expect(flood).toBeTruthy();
    // The server's own count: calls of the method it received in the 60 s before it answered the
    // flood, the failing call (the one the flood answers) not counted.
    const floodAt = Date.parse(flood.time);
    const same = server.calls.filter(
      (c) => c.method === flood.method && c.msgId !== flood.reqMsgId && Date.parse(c.time) >= floodAt - 60_000 && Date.parse(c.time) <= floodAt,
    );
    const densest = maxInSpan(same.map((c) => Date.parse(c.time)).sort((a, b) => a - b));

    // The Calls tab counts every call the server received (GramJS's own service messages aside).
    const callsTab = panel.getByRole('tab', { name: /^Calls/ });
    await expect(callsTab).toHaveText(new RegExp(`Calls\\s*${server.calls.length}$`), { timeout: 20_000 });

    // Before, in the detail pane of the flood.
    await panel.getByRole('tab', { name: /^Errors/ }).click();
    await panel.locator('.c-type', { hasText: 'FLOOD_WAIT_3600' }).click();
    const before = panel.getByRole('region', { name: 'Calls before' });
    await expect(before.locator('.before-count')).toHaveText(String(same.length));
    await expect(before.locator('.before-densest')).toHaveText(String(densest));
    await panel.screenshot({ path: `${DOCS}panel-calls-before.png` });

    // The export: calls in time order, each error with its before.
    const [file] = await Promise.all([panel.waitForEvent('download'), panel.getByRole('button', { name: 'Export all' }).click()]);
    const data = JSON.parse(await readFile((await file.path())!, 'utf8')) as { version: number; errors: ErrorRecord[]; calls: ExportedCall[] };
    expect(data.version).toBe(1);
    const record = data.errors.find((e) => e.message === 'FLOOD_WAIT_3600')!;
    expect(record.before).toEqual({ windowMs: 60_000, calls: expect.any(Number), sameMethod: { count: same.length, maxPer10s: densest } });
    // Every call the server received, by method and DC; outcomes as the server answered them.
    const key = (method: string | null, dc: number | null) => `${method} dc${dc}`;
    expect(data.calls.map((c) => key(c.method, c.dc)).sort()).toEqual(server.calls.map((c) => key(c.method, c.dc)).sort());
    // Outcomes as the server answered: an rpc_error, or a bad_server_salt (an error record of its
    // own; the client then sends the call again under a new msg_id, which the server logs too).
    const failed = new Set(server.errors.map((e) => e.reqMsgId));
    expect(server.errors.some((e) => e.kind === 'bad_server_salt')).toBe(true);
    const expected = server.calls.map((c) => `${key(c.method, c.dc)} ${failed.has(c.msgId) ? 'error' : 'ok'}`).sort();
    expect(data.calls.map((c) => `${key(c.method, c.dc)} ${c.outcome}`).sort()).toEqual(expected);
    for (const c of data.calls) if (c.outcome === 'error') expect(data.errors.some((e) => e.id === c.recordId)).toBe(true);

    // The Calls view, filtered from the record's "calls before".
    await before.getByRole('button', { name: /Show the calls before/ }).click();
    await expect(panel.getByRole('grid', { name: 'API calls' })).toHaveAttribute('aria-rowcount', String(same.length + 1));
    await panel.getByRole('button', { name: 'Clear filters' }).click();
    await expect(panel.getByRole('grid', { name: 'API calls' })).toHaveAttribute('aria-rowcount', String(server.calls.length));
    await panel.screenshot({ path: `${DOCS}panel-calls.png` });
    await panel.emulateMedia({ colorScheme: 'dark' });
    await panel.goto(`${panel.url()}&theme=dark`);
    await panel.getByRole('tab', { name: /^Calls/ }).click();
    await expect(panel.getByRole('grid', { name: 'API calls' })).toHaveAttribute('aria-rowcount', String(server.calls.length));
    await panel.screenshot({ path: `${DOCS}panel-calls-dark.png` });
  } finally {
    await context.close();
    await fake.close();
  }
});
