// The Calls view on files (issue 21): empty, and an export of thousands of calls: virtualized,
// filtered, keyboard, an error call opening its record. Screenshots light and dark go to docs/.

import type { Page } from '@playwright/test';
import { test, expect } from '../../harness/fixtures.ts';
import { writeTemp } from '../../harness/panel-files.ts';
import { generateRecords } from '../../harness/panel-records.ts';
import { CallLog } from '../../../src/core/calls/call-log.ts';
import { buildExportFile } from '../../../src/core/export-format.ts';
import type { ErrorRecord } from '../../../src/core/record.ts';

const DOCS = new URL('../../../docs/', import.meta.url).pathname;
const METHODS = ['messages.getHistory', 'users.getFullUser', 'help.getConfig', 'messages.sendMessage', 'channels.getParticipants', 'upload.getFile'];

/** Every 50th call's method is one the inspector could not name. */
const UNKNOWN_EVERY = 50;

/**
 * An export of `n` calls over ten minutes, every 250th answered with one of the records' errors,
 * every UNKNOWN_EVERY-th of no known method.
 */
function callsExport(n: number): { path: string; errors: number } {
  const end = Date.parse('2026-11-21T12:10:00.000Z');
  const records = generateRecords(Math.floor(n / 250), { endAt: end, spanMs: 10 * 60_000 }) as ErrorRecord[];
  const log = new CallLog(n);
  let r = 0;
  for (let i = 0; i < n; i++) {
    const at = end - 10 * 60_000 + Math.floor((i * 10 * 60_000) / n);
    const method = i % UNKNOWN_EVERY === UNKNOWN_EVERY / 2 ? null : METHODS[(i * 7) % METHODS.length];
    log.add({ at, method, dc: 1 + (i % 5), channel: 'websocket', msgId: String(i) });
    if (i % 250 === 249 && r < records.length) {
      const record = records[r++];
      record.before = log.linkError({
        id: record.id,
        at: at + 30,
        method,
        channel: 'websocket',
        dc: 1 + (i % 5),
        class: record.class,
        reqMsgId: String(i),
      }).before;
      record.method = method;
      record.capturedAt = new Date(at + 30).toISOString();
    } else if (i % 97 !== 0) log.answered(String(i), at + 20 + (i % 300));
  }
  log.expire(end + 120_000);
  return { path: writeTemp('calls.json', JSON.stringify(buildExportFile(records, 'https://web.telegram.org/k/', new Date(end), log.calls()))), errors: r };
}

async function blankPanel(page: Page, tabIdOf: (p: Page) => Promise<number>, openPanelPage: (id: number) => Promise<Page>): Promise<Page> {
  const blank = await page.context().newPage();
  await blank.goto('about:blank');
  const panel = await openPanelPage(await tabIdOf(blank));
  await panel.setViewportSize({ width: 1200, height: 720 });
  return panel;
}

test('Calls view: empty, then 5,000 imported calls virtualized, filtered (unknown method too), by keyboard; an error call opens its record', async ({
  page,
  tabIdOf,
  openPanelPage,
}) => {
  const panel = await blankPanel(page, tabIdOf, openPanelPage);
  await panel.getByRole('tab', { name: /^Calls/ }).click();
  await expect(panel.getByText('No calls yet')).toBeVisible();
  await panel.screenshot({ path: `${DOCS}panel-calls-empty.png` });
  await panel.evaluate(() => (document.documentElement.dataset.theme = 'dark'));
  await panel.screenshot({ path: `${DOCS}panel-calls-empty-dark.png` });
  await panel.evaluate(() => (document.documentElement.dataset.theme = 'light'));

  const { path, errors } = callsExport(5_000);
  await panel.locator('input[type="file"]').setInputFiles(path);
  await panel.getByRole('tab', { name: /^Calls/ }).click();
  const grid = panel.getByRole('grid', { name: 'API calls' });
  await expect(grid).toHaveAttribute('aria-rowcount', '5000');
  expect(await grid.locator('.viewport .row').count()).toBeLessThan(80);
  // A row per method, one for the calls of no known method, and the header.
  const methodTable = panel.getByRole('table', { name: 'Calls per method' });
  await expect(methodTable.getByRole('row')).toHaveCount(METHODS.length + 2);
  for (const theme of ['light', 'dark'] as const) {
    await panel.evaluate((t) => (document.documentElement.dataset.theme = t), theme);
    await panel.screenshot({ path: `${DOCS}panel-calls-5000-${theme}.png` });
  }

  await panel.getByRole('combobox', { name: 'Filter calls by outcome' }).selectOption('error');
  await expect(grid).toHaveAttribute('aria-rowcount', String(errors));
  await panel.getByRole('combobox', { name: 'Filter calls by outcome' }).selectOption('unanswered');
  await expect(grid).toHaveAttribute('aria-rowcount', /^[1-9]/);
  await panel.getByRole('button', { name: 'Clear filters' }).click();
  await panel.getByRole('searchbox', { name: 'Search calls' }).fill('getConfig');
  const configRows = Number(await grid.getAttribute('aria-rowcount'));
  expect(configRows).toBeGreaterThan(0);
  expect(configRows).toBeLessThan(5000);
  await panel.getByRole('button', { name: 'Clear filters' }).click();

  // The calls of no known method: a choice of the menu, and a row of the table that picks them.
  const unknown = 5000 / UNKNOWN_EVERY;
  await panel.getByRole('combobox', { name: 'Filter calls by method' }).selectOption('(unknown method)');
  await expect(grid).toHaveAttribute('aria-rowcount', String(unknown));
  await expect(grid.locator('.viewport .c-method').first()).toHaveText('(unknown method)');
  await panel.getByRole('combobox', { name: 'Filter calls by method' }).selectOption('');
  await expect(grid).toHaveAttribute('aria-rowcount', '5000');
  const unknownButton = methodTable.getByRole('button', { name: '(unknown method)' });
  await expect(unknownButton).toHaveAttribute('aria-pressed', 'false');
  await expect(methodTable.getByRole('row').filter({ has: panel.getByRole('button', { name: '(unknown method)' }) })).toContainText(String(unknown));
  await unknownButton.click();
  await expect(unknownButton).toHaveAttribute('aria-pressed', 'true');
  await expect(grid).toHaveAttribute('aria-rowcount', String(unknown));
  await unknownButton.click();
  await expect(grid).toHaveAttribute('aria-rowcount', '5000');

  // Keyboard: one tab stop for the grid; the row aria-activedescendant names is drawn, moved by
  // arrows and pages, and End brings the last row into view.
  await grid.focus();
  await panel.keyboard.press('ArrowDown');
  const active = () => grid.getAttribute('aria-activedescendant');
  expect(await active()).toBe('call-1');
  await panel.keyboard.press('PageDown');
  const paged = Number((await active())!.slice('call-'.length));
  expect(paged).toBeGreaterThan(10);
  await expect(panel.locator(`#call-${paged}`)).toBeInViewport();
  await expect(panel.locator(`#call-${paged}`)).toHaveAttribute('aria-selected', 'true');
  await panel.keyboard.press('End');
  const lastId = (await active())!;
  await expect(panel.locator(`#${lastId}`)).toBeInViewport();
  for (const theme of ['light', 'dark'] as const) {
    await panel.evaluate((t) => (document.documentElement.dataset.theme = t), theme);
    await panel.screenshot({ path: `${DOCS}panel-calls-keyboard-${theme}.png` });
  }
  await panel.evaluate(() => (document.documentElement.dataset.theme = 'light'));
  await panel.keyboard.press('Home');
  expect(await active()).toBe('call-1');
  await expect(panel.locator('#call-1')).toBeInViewport();

  // Keyboard: to the last error call and Enter opens its record in the Errors view.
  await panel.getByRole('combobox', { name: 'Filter calls by outcome' }).selectOption('error');
  await grid.focus();
  await panel.keyboard.press('End');
  await panel.keyboard.press('Enter');
  await expect(panel.getByRole('tab', { name: /^Errors/ })).toHaveAttribute('aria-selected', 'true');
  await expect(panel.getByRole('complementary', { name: 'Error details' })).toBeVisible();
  await expect(panel.getByRole('region', { name: 'Calls before' })).toBeVisible();
});
