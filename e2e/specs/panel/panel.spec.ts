// The panel on the built extension, one test per promise of the panel issue: timeline,
// filters, detail, redirect chains, countdowns, overview, import/export, preserve log /
// pause / clear, DevTools look and keyboard, empty state. Screenshots go to docs/.

import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { test, expect } from '../../harness/fixtures.ts';
import type { ErrorRecord, ExportFile } from '../../../src/core/record.ts';
import type { ExtensionHarness } from '../../harness/extension-browser.ts';
import { generateRecords, redirectSession } from '../../harness/panel-records.ts';
import { exportFile, harText, writeTemp } from '../../harness/panel-files.ts';

const DOCS = new URL('../../../docs/', import.meta.url).pathname;

async function runDemo(page: Page, url: string): Promise<void> {
  await page.goto(`${url}?auto=1`);
  await page.waitForFunction(() => (window as unknown as { demoDone?: boolean }).demoDone === true, null, { timeout: 45_000 });
}

/**
 * The demo's errors as the background logged them, once the log stops growing. Expected
 * counts are taken from here, so the tests keep their meaning as the demo gains flows.
 */
async function demoLog(harness: ExtensionHarness, tabId: number): Promise<ErrorRecord[]> {
  return (await harness.settledLog(tabId, 15)).records;
}

/** Runs the demo in `page` and opens the panel for its tab once it lists the whole settled log. */
async function demoPanel(
  page: Page,
  demoUrl: string,
  harness: ExtensionHarness,
  tabIdOf: (p: Page) => Promise<number>,
  openPanelPage: (id: number) => Promise<Page>,
): Promise<{ tabId: number; log: ErrorRecord[]; n: number; panel: Page }> {
  await runDemo(page, demoUrl);
  const tabId = await tabIdOf(page);
  const log = await demoLog(harness, tabId);
  const panel = await openPanelPage(tabId);
  await expect(dataRows(panel)).toHaveCount(log.length);
  return { tabId, log, n: log.length, panel };
}

const label = (r: ErrorRecord) => r.type ?? r.message;
/** An independent oracle for the search box: type, message, method, URL, case-insensitive. */
const matches = (r: ErrorRecord, text: string) => [r.type ?? '', r.message, r.method ?? '', r.url ?? ''].join('\n').toLowerCase().includes(text);

async function importInto(panel: Page, path: string): Promise<void> {
  await panel.locator('input[type="file"]').setInputFiles(path);
}

/** A panel page for a blank tab (nothing live), for tests that work on imported files. */
async function blankPanel(page: Page, tabIdOf: (p: Page) => Promise<number>, openPanelPage: (id: number) => Promise<Page>, query = ''): Promise<Page> {
  // A tab of its own: a tab that ran the demo keeps its log when it goes to about:blank.
  const blank = await page.context().newPage();
  await blank.goto('about:blank');
  const panel = await openPanelPage(await tabIdOf(blank));
  if (query) await panel.goto(`${panel.url()}&${query}`);
  await expect(panel.getByText('No Telegram API errors yet')).toBeVisible();
  return panel;
}

const dataRows = (panel: Page) => panel.locator('.viewport .row[data-id]');

test('empty state tells a new user what to do; light and dark themes follow the DevTools theme', async ({ page, demo, tabIdOf, openPanelPage, harness }) => {
  const panel = await blankPanel(page, tabIdOf, openPanelPage);
  await expect(panel.getByRole('status').filter({ hasText: 'No Telegram API errors yet' })).toContainText('Open your Telegram web client in this tab');
  await expect(panel.getByText(/reload the page/)).toBeVisible();
  await panel.close();

  await runDemo(page, demo.url);
  const tabId = await tabIdOf(page);
  const n = (await demoLog(harness, tabId)).length;
  for (const theme of ['light', 'dark'] as const) {
    const themed = await openPanelPage(tabId);
    await themed.goto(`${themed.url()}&theme=${theme}`);
    await expect(dataRows(themed)).toHaveCount(n);
    expect(await themed.evaluate(() => document.documentElement.dataset.theme)).toBe(theme);
    const background = await themed.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(background).toBe(theme === 'dark' ? 'rgb(32, 33, 36)' : 'rgb(255, 255, 255)');
    // DevTools density: 22 px rows, 12 px UI font, 11 px monospace.
    expect(
      await dataRows(themed)
        .first()
        .evaluate((el) => el.getBoundingClientRect().height),
    ).toBe(22);
    expect(await themed.evaluate(() => getComputedStyle(document.body).fontSize)).toBe('12px');
    expect(
      await themed
        .locator('.viewport .c-type')
        .first()
        .evaluate((el) => getComputedStyle(el).fontSize),
    ).toBe('11px');
    await themed.locator('.c-type', { hasText: 'PHONE_MIGRATE_4' }).click();
    await themed.screenshot({ path: `${DOCS}panel-${theme}.png` });
    await themed.close();
  }
});

test('timeline: 10,000 imported rows stay virtualized, follow the newest row unless scrolled away', async ({ page, tabIdOf, openPanelPage }) => {
  const panel = await blankPanel(page, tabIdOf, openPanelPage);
  await importInto(panel, exportFile('ten-thousand.json', generateRecords(10_000, { endAt: Date.now(), spanMs: 20 * 60_000 })));
  await expect(panel.getByRole('status').filter({ hasText: 'Viewing ten-thousand.json' })).toBeVisible();
  await expect(panel.getByText('10,000 errors', { exact: true })).toBeVisible();
  // Only the visible rows (plus a small overscan) exist.
  expect(await dataRows(panel).count()).toBeLessThan(80);
  // It opened on the newest row.
  await expect(panel.locator('.viewport .row[data-id="10000"]')).toBeVisible();
  await panel.screenshot({ path: `${DOCS}panel-10000-rows.png` });

  // Scrolling away stops following; the grid's aria-rowcount tells assistive tech the size.
  await expect(panel.getByRole('grid', { name: 'Telegram API errors' })).toHaveAttribute('aria-rowcount', '10000');
  await panel.locator('.viewport').evaluate((el) => (el.scrollTop = 0));
  await expect(panel.locator('.viewport .row[data-id="1"]')).toBeVisible();
  await expect(panel.locator('.viewport .row[data-id="10000"]')).toHaveCount(0);
  await panel.close();
});

test('live: the newest row is followed as errors arrive; filters, search, method, channel and waiting now', async ({
  page,
  demo,
  tabIdOf,
  openPanelPage,
  harness,
}) => {
  await page.goto(demo.url);
  const tabId = await tabIdOf(page);
  const panel = await openPanelPage(tabId);
  await expect(panel.getByText('No Telegram API errors yet')).toBeVisible();
  await runDemo(page, demo.url);
  const log = await demoLog(harness, tabId);
  const n = log.length;
  await expect(dataRows(panel)).toHaveCount(n);
  // The newest row is in view.
  await expect(panel.locator(`.viewport .row[data-id="${log.at(-1)!.id}"]`)).toBeInViewport();

  // Code chips carry live counts.
  const code400 = log.filter((r) => r.code === 400).length;
  await expect(panel.getByRole('button', { name: /^400 \d+/ })).toHaveText(`400 ${code400}`);
  await panel.getByRole('button', { name: /^420/ }).click();
  await expect(dataRows(panel)).toHaveCount(log.filter((r) => r.class === 'FLOOD').length);
  await panel.getByRole('button', { name: /^420/ }).click();

  // Free text over type, message, method and URL.
  const search = panel.getByRole('searchbox', { name: 'Search errors' });
  for (const text of ['migrate', 'sendmessage', '/dc4/upload', 'retry after']) {
    await search.fill(text.toUpperCase());
    const want = log.filter((r) => matches(r, text)).length;
    expect(want, text).toBeGreaterThan(0);
    await expect(dataRows(panel), text).toHaveCount(want);
  }
  await search.fill('');

  await panel.getByRole('combobox', { name: 'Method' }).selectOption('auth.sendCode');
  await expect(dataRows(panel)).toHaveCount(log.filter((r) => r.method === 'auth.sendCode').length);
  await panel.getByRole('combobox', { name: 'Method' }).selectOption('');
  await panel.getByRole('combobox', { name: 'Channel' }).selectOption('eventsource');
  await expect(dataRows(panel)).toHaveCount(log.filter((r) => r.channel === 'eventsource').length);
  await expect(dataRows(panel).first()).toContainText('SESSION_REVOKED');
  await panel.getByRole('combobox', { name: 'Channel' }).selectOption('');

  // Waiting now: only the floods still running (the 120 s TDLib wait at least; short ones may be over).
  await panel.getByRole('button', { name: /^Waiting now/ }).click();
  await expect(dataRows(panel).filter({ hasText: 'retry after 120' })).toHaveCount(1);
  const waiting = await dataRows(panel).count();
  expect(waiting).toBeLessThanOrEqual(log.filter((r) => r.action.retryAt !== undefined).length);
  for (const row of await dataRows(panel).all()) await expect(row.getByRole('timer')).toBeVisible();

  // Filters are kept while DevTools stays open (here: the panel page reloads).
  await panel.reload();
  await expect(panel.getByRole('button', { name: /^Waiting now/ })).toHaveAttribute('aria-pressed', 'true');
  await expect(dataRows(panel)).toHaveCount(waiting);
  await panel.getByRole('button', { name: /^Waiting now/ }).click();
  await expect(dataRows(panel)).toHaveCount(n);
  await panel.close();
});

test('detail: every field, advice, catalog meaning, methods that raise it, request, evidence, copy as JSON', async ({
  page,
  demo,
  tabIdOf,
  openPanelPage,
  harness,
}) => {
  const { log, panel } = await demoPanel(page, demo.url, harness, tabIdOf, openPanelPage);
  await panel.locator('.c-type', { hasText: 'PHONE_NUMBER_INVALID' }).click();
  const detail = panel.getByRole('complementary', { name: 'Error details' });
  await expect(detail.getByRole('region', { name: 'What to do' })).toContainText('the user must correct it');
  await expect(detail.getByRole('region', { name: 'Meaning' })).toContainText('The phone number is invalid');
  await expect(detail.getByRole('region', { name: 'Meaning' })).toContainText('Catalog: PHONE_NUMBER_INVALID (400)');
  const raisers = detail.getByRole('region', { name: 'Documented to raise it' });
  const showAll = raisers.getByRole('button', { name: /^Show all/ });
  if (await showAll.count()) await showAll.click();
  await expect(raisers).toContainText('auth.sendCode');
  await expect(detail.getByRole('region', { name: 'Request' })).toContainText('websocket received · mtproto');
  // MTProto evidence: a hex dump with the rpc_error's bytes marked (constructor 0x2144ca19, little-endian).
  const evidence = detail.getByRole('region', { name: 'Evidence' });
  await expect(evidence.locator('mark').first()).toHaveText(/^19\s*$/);
  await expect(evidence).toContainText('rpc_error');
  for (const field of [
    'id',
    'capturedAt',
    'code',
    'class',
    'treatedAs500',
    'codeInferred',
    'message',
    'type',
    'template',
    'params',
    'meaning',
    'meaningSource',
    'action',
    'channel',
    'direction',
    'url',
    'dialect',
    'method',
    'dc',
    'chainId',
  ]) {
    await expect(detail.getByRole('region', { name: 'All fields' }).locator('dt', { hasText: new RegExp(`^${field}$`) })).toHaveCount(1);
  }

  // Copy as JSON: the record exactly.
  await panel.evaluate(() => {
    navigator.clipboard.writeText = async (text: string) => void ((window as unknown as { copied: string }).copied = text);
  });
  await detail.getByRole('button', { name: 'Copy as JSON' }).click();
  await expect(detail.getByText('Copied')).toBeVisible();
  const copied = JSON.parse(await panel.evaluate(() => (window as unknown as { copied: string }).copied));
  expect(copied).toEqual(log.find((r) => r.message === 'PHONE_NUMBER_INVALID'));

  // A JSON-dialect error shows its excerpt.
  await panel.locator('.c-type', { hasText: 'USERNAME_INVALID' }).click();
  await expect(detail.getByRole('region', { name: 'Evidence' })).toContainText('USERNAME_INVALID');
  await panel.close();
});

test('DC redirects: badge on the row, the chain and the DC map in the detail', async ({ page, demo, tabIdOf, openPanelPage, harness }) => {
  // Live: the demo's PHONE_MIGRATE_4 carries the badge and starts a chain.
  await runDemo(page, demo.url);
  const liveTab = await tabIdOf(page);
  const log = await demoLog(harness, liveTab);
  const redirect = log.find((r) => r.message === 'PHONE_MIGRATE_4')!;
  const live = await openPanelPage(liveTab);
  await expect(live.locator('.viewport .dc-badge', { hasText: '→ DC 4' })).toBeVisible();
  await live.locator('.c-type', { hasText: 'PHONE_MIGRATE_4' }).click();
  const liveChain = live.getByRole('region', { name: 'Redirect chain' });
  await expect(liveChain).toContainText('Query auth.sendCode');
  // One item per record of the chain, plus how it ended.
  await expect(liveChain.getByRole('listitem')).toHaveCount(log.filter((r) => r.chainId === redirect.id).length + 1);
  await live.close();

  // A whole chain: the query on DC 2, the redirect, the repeat on DC 4 and how it ended.
  const panel = await blankPanel(page, tabIdOf, openPanelPage);
  await importInto(panel, exportFile('redirects.json', redirectSession(Date.now())));
  await panel.locator('.c-type', { hasText: 'FLOOD_WAIT_95' }).click();
  const chain = panel.getByRole('region', { name: 'Redirect chain' });
  await expect(chain.getByRole('listitem')).toHaveCount(3);
  await expect(chain.getByRole('listitem').nth(0)).toContainText('Query auth.sendCode on DC 2');
  await expect(chain.getByRole('listitem').nth(0)).toContainText('303 PHONE_MIGRATE_4');
  await expect(chain.getByRole('listitem').nth(1)).toContainText('Repeat auth.sendCode on DC 4');
  await expect(chain.getByRole('listitem').nth(2)).toContainText('failed with 420 FLOOD_WAIT_95');
  const map = panel.getByRole('region', { name: 'DC map' });
  await expect(map.locator('.dc-cell', { hasText: 'DC 4' })).toContainText('the phone number');
  await expect(map.locator('.dc-cell', { hasText: 'DC 4' })).toContainText('the user');
  await expect(map.locator('.dc-cell', { hasText: 'DC 4' })).toContainText('files');
  await expect(map.locator('.dc-cell', { hasText: 'DC 5' })).toContainText('statistics');
  await panel.screenshot({ path: `${DOCS}panel-redirect-chain.png` });

  // Chain steps are links to their rows.
  await chain.getByRole('button', { name: /Query auth.sendCode/ }).click();
  await expect(panel.locator('.detail-type')).toHaveText('PHONE_MIGRATE_4');
  await panel.close();
});

test('flood countdowns: one clock, progress bars, active limits, long waits, an ended wait', async ({ page, tabIdOf, openPanelPage }) => {
  const panel = await blankPanel(page, tabIdOf, openPanelPage);
  const now = Date.now();
  const session = redirectSession(now);
  await importInto(panel, exportFile('waits.json', session));
  const timers = panel.getByRole('timer');
  await expect(timers).toHaveCount(4);
  const limits = panel.getByRole('group', { name: 'Active limits' });
  await expect(limits.getByRole('button')).toHaveCount(4);
  // Long waits read naturally.
  await expect(limits.getByRole('button', { name: /contacts\.importContacts/ })).toContainText('1 d');
  await expect(limits.getByRole('button', { name: /messages\.sendMessage/ })).toContainText(/9 min \d\d s/);
  // The countdown moves (one shared timer drives every row).
  const first = await timers.first().textContent();
  await expect(timers.first()).not.toHaveText(first!);
  await panel.screenshot({ path: `${DOCS}panel-countdowns.png` });

  // A wait that ends: its row says so and its limit is marked ended.
  const short = redirectSession(Date.now()).slice(0, 2);
  short[1] = {
    ...short[1],
    message: 'FLOOD_WAIT_2',
    type: 'FLOOD_WAIT_2',
    params: { seconds: 2 },
    action: { kind: 'wait', retryAt: new Date(Date.now() + 2000).toISOString() },
  };
  await importInto(panel, exportFile('short-wait.json', short));
  await expect(panel.locator('.viewport .countdown-done')).toHaveText('wait over');
  await expect(limits.getByRole('button', { name: /auth\.sendCode/ })).toContainText('ended');
  await panel.close();
});

test('overview: a strip chart by class with counts and top types; bars and types filter', async ({ page, demo, tabIdOf, openPanelPage, harness }) => {
  const { log, n, panel } = await demoPanel(page, demo.url, harness, tabIdOf, openPanelPage);
  const overview = panel.getByRole('region', { name: 'Overview' });
  await expect(overview.getByRole('list', { name: 'Errors by class' })).toContainText(`BAD_REQUEST ${log.filter((r) => r.class === 'BAD_REQUEST').length}`);
  const bars = overview.getByRole('group', { name: 'Errors over time' }).getByRole('button');
  expect(await bars.count()).toBeGreaterThan(1);
  // Click the tallest bar: the timeline shows that slice only.
  const totals = await bars.evaluateAll((els) => els.map((el) => Number(/: (\d+) error/.exec(el.getAttribute('aria-label') ?? '')?.[1] ?? 0)));
  const tallest = totals.indexOf(Math.max(...totals));
  await bars.nth(tallest).click();
  await expect(dataRows(panel)).toHaveCount(totals[tallest]);
  await bars.nth(tallest).click();
  await expect(dataRows(panel)).toHaveCount(n);
  // Top types: a click filters by the type.
  const types = overview.getByRole('group', { name: 'Top error types' }).getByRole('button');
  const firstType = (await types.first().locator('.type-name').textContent())!;
  const firstCount = Number(await types.first().locator('.count').textContent());
  await types.first().click();
  await expect(dataRows(panel)).toHaveCount(firstCount);
  await expect(panel.getByRole('button', { name: `Remove type filter ${firstType}` })).toBeVisible();
  await types.first().click();
  await expect(dataRows(panel)).toHaveCount(n);
  await panel.close();
});

test('export (all or the view), import of our JSON, of a HAR, and a clear message for anything else', async ({
  page,
  demo,
  tabIdOf,
  openPanelPage,
  harness,
}) => {
  const { n, panel } = await demoPanel(page, demo.url, harness, tabIdOf, openPanelPage);
  await panel.getByRole('button', { name: /^401/ }).click();
  const download = async (name: string) => {
    const [file] = await Promise.all([panel.waitForEvent('download'), panel.getByRole('button', { name }).click()]);
    const text = await readFile((await file.path())!, 'utf8');
    expect(file.suggestedFilename()).toMatch(/^telegram-api-errors-.*\.json$/);
    // Saved under its suggested name, as a user would keep it.
    return { path: writeTemp(file.suggestedFilename(), text), data: JSON.parse(text) as ExportFile };
  };
  const view = await download('Export view');
  expect(view.data.errors.map((e) => e.message)).toEqual(['SESSION_REVOKED']);
  const all = await download('Export all');
  expect(all.data.errors).toHaveLength(n);
  await panel.getByRole('button', { name: /^401/ }).click();

  // Our JSON comes back as it left.
  await importInto(panel, all.path);
  await expect(panel.getByRole('status').filter({ hasText: /Viewing .*\.json/ })).toContainText(`export, ${n} errors`);
  await expect(dataRows(panel)).toHaveCount(n);
  await panel.getByRole('button', { name: 'Back to live' }).click();
  await expect(panel.getByRole('status').filter({ hasText: /Viewing/ })).toHaveCount(0);

  // A HAR from the Network panel: bodies and WebSocket frames scanned like live traffic.
  await importInto(panel, writeTemp('capture.har', harText(Date.now())));
  await expect(panel.getByRole('status').filter({ hasText: 'Viewing capture.har' })).toContainText('HAR, 3 errors');
  await expect(dataRows(panel)).toHaveCount(3);
  await expect(dataRows(panel).nth(0)).toContainText('PEER_ID_INVALID');
  await expect(dataRows(panel).nth(1)).toContainText('Too Many Requests: retry after 35');
  await expect(dataRows(panel).nth(1).locator('.c-url')).toContainText('bot123:***');
  await expect(dataRows(panel).nth(2)).toContainText('FLOOD_WAIT_30');
  await panel.locator('.c-type', { hasText: 'FLOOD_WAIT_30' }).click();
  await expect(panel.getByRole('region', { name: 'Evidence' }).locator('mark').first()).toBeVisible();

  // Anything else: a clear message, and the view stays as it was.
  await importInto(panel, writeTemp('notes.txt', 'just some notes'));
  await expect(panel.getByRole('alert')).toContainText('notes.txt is neither a Telegram API errors export (.json) nor a HAR file');
  await importInto(panel, writeTemp('other.json', '{"hello": "world"}'));
  await expect(panel.getByRole('alert')).toContainText('other.json is neither');
  await expect(dataRows(panel)).toHaveCount(3);
  await panel.close();
});

test('preserve log keeps errors across a reload with a marker; pause stops recording; clear empties', async ({
  page,
  demo,
  tabIdOf,
  openPanelPage,
  harness,
}) => {
  const { n, panel } = await demoPanel(page, demo.url, harness, tabIdOf, openPanelPage);
  const preserve = panel.getByRole('checkbox', { name: 'Preserve log' });
  await expect(preserve).not.toBeChecked();

  // Off (the default): a new page load starts a fresh log.
  await page.goto(demo.url);
  await expect(panel.getByText('No Telegram API errors yet')).toBeVisible();

  await runDemo(page, demo.url);
  await expect(dataRows(panel)).toHaveCount(n);
  await preserve.check();
  await expect(preserve).toBeChecked();
  await page.goto(demo.url);
  await expect(panel.locator('.viewport .marker-row')).toContainText('Page loaded');
  await expect(dataRows(panel)).toHaveCount(n);
  await page.evaluate(() =>
    fetch('/dc4/api', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ _: 'help.getConfig' }) }),
  );
  await expect(dataRows(panel)).toHaveCount(n + 1);
  await preserve.uncheck();
  await expect(preserve).not.toBeChecked();

  // Pause: new errors are not captured until recording resumes.
  const record = panel.getByRole('button', { name: 'Record' });
  await expect(record).toHaveAttribute('aria-pressed', 'true');
  await record.click();
  await expect(record).toHaveAttribute('aria-pressed', 'false');
  await expect(panel.getByText('Recording paused')).toBeVisible();
  await page.evaluate(() =>
    fetch('/dc4/api', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ _: 'help.getConfig' }) }),
  );
  await page.waitForTimeout(1000);
  await expect(dataRows(panel)).toHaveCount(n + 1);
  await record.click();
  await expect(record).toHaveAttribute('aria-pressed', 'true');
  await page.evaluate(() =>
    fetch('/dc4/api', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ _: 'help.getConfig' }) }),
  );
  await expect(dataRows(panel)).toHaveCount(n + 2);

  await panel.getByRole('button', { name: 'Clear' }).click();
  await expect(panel.getByText('No Telegram API errors yet')).toBeVisible();
  await panel.close();
});

test('keyboard: arrows, Enter, Esc, Ctrl+F; every control has an accessible name and role', async ({ page, demo, tabIdOf, openPanelPage, harness }) => {
  const { log, n, panel } = await demoPanel(page, demo.url, harness, tabIdOf, openPanelPage);
  const grid = panel.getByRole('grid', { name: 'Telegram API errors' });
  await grid.focus();
  await panel.keyboard.press('Home');
  await expect(panel.locator('.row.selected')).toHaveAttribute('data-id', /\d+/);
  const firstId = await panel.locator('.row.selected').getAttribute('data-id');
  await panel.keyboard.press('ArrowDown');
  await expect(panel.locator('.row.selected')).not.toHaveAttribute('data-id', firstId!);
  await expect(grid).toHaveAttribute('aria-activedescendant', /^error-row-/);
  await panel.keyboard.press('Enter');
  const detail = panel.getByRole('complementary', { name: 'Error details' });
  await expect(panel.locator('.detail-type')).toHaveText(label(log[1]));
  await panel.keyboard.press('ArrowDown');
  await expect(panel.locator('.detail-type')).toHaveText(label(log[2]));
  await panel.keyboard.press('Escape');
  await expect(detail).toHaveCount(0);
  await expect(grid).toBeFocused();
  await panel.keyboard.press('Control+f');
  await expect(panel.getByRole('searchbox', { name: 'Search errors' })).toBeFocused();
  await panel.keyboard.type('timeout');
  await expect(dataRows(panel)).toHaveCount(log.filter((r) => matches(r, 'timeout')).length);
  await panel.keyboard.press('Escape');
  await expect(dataRows(panel)).toHaveCount(n);

  // Every interactive element has a role and a non-empty accessible name.
  await panel.locator('.c-type', { hasText: 'PHONE_MIGRATE_4' }).click();
  const unnamed = await panel.evaluate(() => {
    const nameOf = (el: Element) => {
      const aria = el.getAttribute('aria-label');
      if (aria) return aria.trim();
      const labelled = (el as HTMLInputElement).labels?.[0]?.textContent;
      if (labelled) return labelled.trim();
      return (el.textContent ?? '').trim();
    };
    return [...document.querySelectorAll('button, select, input:not([type="file"]), [role="grid"], [tabindex="0"]')]
      .filter((el) => !nameOf(el))
      .map((el) => el.outerHTML.slice(0, 120));
  });
  expect(unnamed).toEqual([]);
  await panel.close();
});
