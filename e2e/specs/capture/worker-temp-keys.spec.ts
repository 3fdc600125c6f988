// Temporary keys held in a worker's memory only, as Web K with PFS holds them: the demo's Web
// K-style client with ?pfs=1 (e2e/demo/public/webk/mtproto.worker.js) talks under keys mounted at
// tweb's paths (appManagersManager.managersByAccount[1].apiManager.tempAuthKeys[dc].authKey.key)
// and stores none in the page. With Capture inside workers on, "Read keys from this page" reads
// them from the worker through the debugger, keeps those whose ids the traffic shows, says
// where; the next run's errors are decrypted. The fake Telegram makes no key exchange, so the
// keys are its pre-shared ones held in memory, not keys made by DH (the wire-side detection of a
// handshake is tested in test/core/keys/wire-key-watch.test.ts).

import { expect, test } from '@playwright/test';
import type { Page } from 'playwright-core';
import { ExtensionHarness, launchExtensionContext } from '../../harness/extension-browser.ts';
import { fakeTelegramChromiumArgs, presharedAuthKey, startFakeTelegram, type FakeTelegram } from '../../fake-telegram/index.ts';
import { buildWebkWirePage } from '../../demo/webk-wire/build.ts';
import { WEBK_SCRIPT, WEBK_SENT } from '../../demo/webk-wire/scenario.ts';
import { computeAuthKeyId } from '../../../src/core/keys/index.ts';
import type { ErrorRecord } from '../../../src/core/record.ts';

const pageUrl = (fake: FakeTelegram) => `https://127.0.0.1:${fake.port}/webk/index.html?wire=1&pfs=1&noSharedWorker=1`;

async function runAllFlows(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Run all' }).click();
  await page.waitForFunction(() => (window as unknown as { demoDone?: boolean }).demoDone === true, null, { timeout: 40_000 });
}

test("Web K's temporary keys, in its worker's memory only: read through the debugger on the click, kept by the traffic's ids, and the errors decrypt", async () => {
  const fake = await startFakeTelegram({ script: WEBK_SCRIPT, publicDir: await buildWebkWirePage() });
  const context = await launchExtensionContext({ extraArgs: fakeTelegramChromiumArgs(fake.port) });
  try {
    const harness = await ExtensionHarness.attach(context);
    const page = await context.newPage();
    await page.goto(pageUrl(fake));
    await page.getByRole('button', { name: 'Run all' }).waitFor();
    const tabId = await harness.tabIdOf(page);
    const panel = await harness.openPanelPage(tabId);
    await panel.getByRole('checkbox', { name: 'Capture inside workers' }).check();
    await expect(panel.getByText(/1 worker attached/)).toBeVisible({ timeout: 10_000 });

    // The page stores no key: nothing to read yet.
    await panel.getByRole('button', { name: 'Session keys', exact: true }).click();
    const dialog = panel.getByRole('dialog', { name: 'Session keys' });
    await dialog.getByRole('button', { name: 'Read keys from this page' }).click();
    await expect(dialog.getByRole('status')).toContainText('No auth key found');
    await dialog.getByRole('button', { name: 'Close' }).click();

    // The client talks (DC 1, then DC 2) under keys in its worker's memory.
    await runAllFlows(page);
    await panel.getByRole('button', { name: 'Session keys', exact: true }).click();
    await dialog.getByRole('button', { name: 'Read keys from this page' }).click();
    await expect(dialog.getByRole('status')).toContainText('2 new keys');
    await expect(dialog.getByRole('status')).toContainText("Web K worker: account 1 apiManager.tempAuthKeys['2']");
    const list = dialog.getByRole('list', { name: 'Keys for this origin' });
    await expect(list.getByRole('listitem')).toHaveCount(2);
    for (const dc of [1, 2]) {
      const item = list.getByRole('listitem').filter({ hasText: computeAuthKeyId(presharedAuthKey(dc)) });
      await expect(item).toContainText(`DC ${dc}`);
      await expect(item).toContainText('worker memory');
    }
    // The other DCs' keys the worker holds are not in the traffic: not kept.
    await dialog.getByRole('button', { name: 'Close' }).click();
    const local = JSON.stringify(await harness.evaluateInWorker(() => chrome.storage.local.get(null)));
    for (const dc of [1, 2]) expect(local).not.toContain(Buffer.from(presharedAuthKey(dc)).toString('hex'));

    // Again from the start: every error the server sent is decrypted, with its method and DC.
    fake.rewind();
    await page.reload();
    await page.getByRole('button', { name: 'Run all' }).waitFor();
    await expect(panel.getByText(/1 worker attached/)).toBeVisible({ timeout: 10_000 });
    await runAllFlows(page);
    await harness.settledLog(tabId, WEBK_SENT.length);
    const { records } = await harness.getLog(tabId);
    const describe = (r: ErrorRecord) => (r.class === 'PROTOCOL' ? `48 bad_server_salt ${r.method} dc${r.dc}` : `${r.code} ${r.message} ${r.method} dc${r.dc}`);
    const wire = records.filter((r) => r.channel === 'websocket');
    expect(wire.map(describe).sort()).toEqual([...WEBK_SENT].sort());
  } finally {
    await context.close();
    await fake.close();
  }
});
