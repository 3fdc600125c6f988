// The panel (opened as a page of the add-on) in Firefox: the errors captured before it
// opened, the badge, filters, export as a plain download and import of that file, Clear;
// the log surviving a stopped event page while the panel stays open; and what the panel
// says of "Capture inside workers", which Firefox cannot offer.

import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test, expect, runDemoClient } from './fixtures.ts';
import type { ExportFile } from '../../src/core/record.ts';
import { poll, type FirefoxTab } from './firefox-browser.ts';

const DEMO_ERRORS = 19;

const rowCount = (panel: FirefoxTab) => panel.evaluate(() => document.querySelectorAll('.viewport [role="row"]').length);
const bodyText = (panel: FirefoxTab) => panel.evaluate(() => document.body.innerText);

async function newDownload(dir: string, before: Set<string>): Promise<string> {
  return poll('the export to be downloaded', 15_000, async () => {
    const names = await readdir(dir).catch(() => [] as string[]);
    const name = names.find((n) => !before.has(n) && /^telegram-api-errors-.*\.json$/.test(n));
    if (!name) return null;
    const text = await readFile(join(dir, name), 'utf8');
    try {
      JSON.parse(text);
      return join(dir, name);
    } catch {
      return null; // still being written
    }
  });
}

test('the panel lists the errors captured before it opened, with badge, filters, export, import and Clear', async ({ tab, demo, harness, firefox }) => {
  await runDemoClient(tab, `${demo.url}?auto=1`);
  const tabId = await harness.tabIdOf(tab);
  await harness.settledLog(tabId, DEMO_ERRORS);
  await expect.poll(() => harness.badge(tabId)).toBe(String(DEMO_ERRORS));

  const panel = await harness.openPanelPage(tabId);
  try {
    await panel.setViewport(1280, 800);
    await expect.poll(() => rowCount(panel), { timeout: 10_000 }).toBe(DEMO_ERRORS);
    expect(await bodyText(panel)).toContain(`${DEMO_ERRORS} errors`);
    for (const type of ['PHONE_MIGRATE_4', 'FLOOD_WAIT_17', 'SESSION_REVOKED', 'BAD_MSG_NOTIFICATION', 'transport error -404'])
      expect(await bodyText(panel)).toContain(type);

    // Firefox has no chrome.debugger: the panel says so instead of a switch that cannot work.
    const workers = await panel.evaluate(() => document.querySelector('.worker-capture')?.textContent ?? '');
    expect(workers).toContain('Capture inside workers is not available in Firefox');
    expect(await panel.evaluate(() => document.querySelectorAll('.worker-capture input').length)).toBe(0);

    // Filter: only 401 and "other" codes (as the Chromium test does).
    await panel.clickButton(/^401/);
    await panel.clickButton(/^other/);
    await expect.poll(() => rowCount(panel)).toBe(5);
    expect(await bodyText(panel)).toContain(`5 of ${DEMO_ERRORS} errors`);

    // Export what is shown: a plain download.
    const before = new Set(await readdir(firefox.downloadDir).catch(() => [] as string[]));
    await panel.clickButton('Export view');
    const path = await newDownload(firefox.downloadDir, before);
    const file = JSON.parse(await readFile(path, 'utf8')) as ExportFile;
    expect(file).toMatchObject({ format: 'telegram-api-errors', version: 1, page: { url: `${demo.url}?auto=1` } });
    expect(file.errors.map((e) => e.message).sort()).toEqual(
      ['SESSION_REVOKED', 'Timeout', 'UNEXPECTED_SERVER_STATE', 'bad_msg_notification 16', 'transport error -404'].sort(),
    );
    expect(file.errors.map((e) => e.code).sort((a, b) => a - b)).toEqual([-503, -404, 16, 401, 999]);

    // Import it again: the panel shows the file's errors instead of the live log.
    await panel.clickButton(/^401/);
    await panel.clickButton(/^other/);
    await panel.setFiles('input[type="file"]', [path]);
    await expect.poll(() => rowCount(panel), { timeout: 10_000 }).toBe(5);
    expect(await bodyText(panel)).toContain('SESSION_REVOKED');
    expect(await bodyText(panel)).not.toContain('PHONE_MIGRATE_4');
  } finally {
    await panel.close();
  }

  // Clear (in a fresh panel on the live log) empties the panel and the badge.
  const live = await harness.openPanelPage(tabId);
  try {
    await expect.poll(() => rowCount(live), { timeout: 10_000 }).toBeGreaterThan(0);
    await live.clickButton('Clear');
    await expect.poll(() => bodyText(live)).toContain('No Telegram API errors yet');
    await expect.poll(() => harness.badge(tabId)).toBe('');
  } finally {
    await live.close();
  }
});

test('the log survives a stopped event page and the open panel reconnects', async ({ tab, demo, harness }) => {
  await runDemoClient(tab, `${demo.url}?auto=1`);
  const tabId = await harness.tabIdOf(tab);
  const before = await harness.settledLog(tabId, DEMO_ERRORS);
  const panel = await harness.openPanelPage(tabId);
  try {
    await panel.setViewport(1280, 800);
    await expect.poll(() => rowCount(panel), { timeout: 10_000 }).toBe(DEMO_ERRORS);

    await harness.stopBackground();
    expect(await harness.backgroundState()).toBe('stopped');
    // The next message wakes it, and the log is the same.
    // (The handling audit settles the verdicts it was watching when the background stopped: compared apart.)
    const withoutVerdicts = (records: typeof before.records) => records.map(({ handling: _h, ...rest }) => rest);
    const after = await harness.getLog(tabId);
    expect(withoutVerdicts(after.records)).toEqual(withoutVerdicts(before.records));

    // A new error after the restart reaches the panel that was open all along, and the badge.
    await tab.evaluate(async () => {
      await fetch('/dc4/api', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ _: 'help.getConfig' }) });
    });
    await expect.poll(() => rowCount(panel), { timeout: 10_000 }).toBe(DEMO_ERRORS + 1);
    const last = (await harness.getLog(tabId)).records.at(-1)!;
    expect(last.id).toBe(before.records.at(-1)!.id + 1);
    // The badge is written at most every 200 ms per tab.
    await expect.poll(() => harness.badge(tabId)).toBe(String(DEMO_ERRORS + 1));

    // Firefox suspends an idle event page on its own too; the log is kept the same way.
    await harness.stopBackground();
    expect((await harness.getLog(tabId)).records.length).toBe(DEMO_ERRORS + 1);
  } finally {
    await panel.close();
  }
});
