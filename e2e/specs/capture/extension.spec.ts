// The whole path in a real Chromium with the built extension: the demo client's traffic
// is captured on every channel, classified, kept by the background (also across a stopped
// service worker), counted on the badge, shown in the panel and exported.

import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { test, expect } from '../../harness/fixtures.ts';
import type { ErrorRecord, ExportFile } from '../../../src/core/record.ts';
import type { ExtensionHarness } from '../../harness/extension-browser.ts';

interface Expected {
  code: number;
  text: string;
  channel: ErrorRecord['channel'];
  dialect: ErrorRecord['dialect'];
  class: ErrorRecord['class'];
  action: ErrorRecord['action']['kind'];
  params?: ErrorRecord['params'];
  method?: string;
  dc?: number;
  /** What the Type column shows, when it is not the message. */
  shown?: string;
}

/** Every error the demo produces, in the order it produces them. */
const EXPECTED: Expected[] = [
  {
    code: 303,
    text: 'PHONE_MIGRATE_4',
    channel: 'fetch',
    dialect: 'tl-json',
    class: 'ERROR_SEE_OTHER',
    action: 'redirect',
    params: { dc: 4 },
    method: 'auth.sendCode',
  },
  { code: -503, text: 'Timeout', channel: 'fetch', dialect: 'tl-json', class: 'INTERNAL', action: 'report', method: 'help.getConfig' },
  { code: 999, text: 'UNEXPECTED_SERVER_STATE', channel: 'fetch', dialect: 'tl-json', class: 'INTERNAL', action: 'report', method: 'help.getAppConfig' },
  { code: 400, text: 'USERNAME_INVALID', channel: 'fetch', dialect: 'gramjs', class: 'BAD_REQUEST', action: 'fix-input', method: 'contacts.ResolveUsername' },
  {
    code: 429,
    text: 'Too Many Requests: retry after 35',
    channel: 'fetch',
    dialect: 'bot-api',
    class: 'FLOOD',
    action: 'wait',
    params: { seconds: 35 },
    method: 'sendMessage',
  },
  { code: 400, text: 'Bad Request: chat not found', channel: 'fetch', dialect: 'bot-api', class: 'BAD_REQUEST', action: 'fix-input', method: 'sendMessage' },
  {
    code: 400,
    text: 'FILE_PART_3_MISSING',
    channel: 'xhr',
    dialect: 'tl-json',
    class: 'BAD_REQUEST',
    action: 'fix-input',
    params: { part: 3 },
    method: 'messages.sendMedia',
  },
  { code: 400, text: 'FILE_REFERENCE_EXPIRED', channel: 'xhr', dialect: 'tl-json', class: 'BAD_REQUEST', action: 'fix-input', method: 'upload.getFile' },
  {
    code: 420,
    text: 'FLOOD_WAIT_17',
    channel: 'websocket',
    dialect: 'tl-json',
    class: 'FLOOD',
    action: 'wait',
    params: { seconds: 17 },
    method: 'messages.sendMessage',
  },
  { code: 400, text: 'PEER_ID_INVALID', channel: 'websocket', dialect: 'tdlib', class: 'BAD_REQUEST', action: 'fix-input', method: 'getChat' },
  {
    code: 429,
    text: 'Too Many Requests: retry after 120',
    channel: 'websocket',
    dialect: 'tdlib',
    class: 'FLOOD',
    action: 'wait',
    params: { seconds: 120 },
    method: 'sendMessage',
  },
  { code: 401, text: 'SESSION_REVOKED', channel: 'eventsource', dialect: 'tl-json', class: 'UNAUTHORIZED', action: 'reauthorize' },
  // Binary MTProto: the method comes from pairing req_msg_id with the request the page sent.
  {
    code: 420,
    text: 'FLOOD_WAIT_30',
    channel: 'websocket',
    dialect: 'mtproto',
    class: 'FLOOD',
    action: 'wait',
    params: { seconds: 30 },
    method: 'messages.sendMessage',
  },
  {
    code: 500,
    text: 'INTERDC_2_CALL_ERROR',
    channel: 'websocket',
    dialect: 'mtproto',
    class: 'INTERNAL',
    action: 'report',
    params: { dc: 2 },
    method: 'messages.getHistory',
  },
  { code: 400, text: 'PHONE_NUMBER_INVALID', channel: 'websocket', dialect: 'mtproto', class: 'BAD_REQUEST', action: 'fix-input', method: 'auth.sendCode' },
  // Obfuscated transport: the DC comes from the client's init (2, and media DC 4).
  {
    code: 420,
    text: 'FLOOD_WAIT_45',
    channel: 'websocket',
    dialect: 'mtproto',
    class: 'FLOOD',
    action: 'wait',
    params: { seconds: 45 },
    method: 'messages.sendMessage',
    dc: 2,
  },
  {
    code: 16,
    text: 'bad_msg_notification 16',
    shown: 'BAD_MSG_NOTIFICATION',
    channel: 'websocket',
    dialect: 'mtproto',
    class: 'PROTOCOL',
    action: 'resync',
    method: 'messages.getDialogs',
    dc: 2,
  },
  {
    code: 400,
    text: 'CONTACT_ID_INVALID',
    channel: 'websocket',
    dialect: 'mtproto',
    class: 'BAD_REQUEST',
    action: 'fix-input',
    method: 'contacts.getContacts',
    dc: 4,
  },
  { code: -404, text: 'transport error -404', channel: 'websocket', dialect: 'mtproto', class: 'TRANSPORT', action: 'reauthorize', dc: 4 },
];

async function runDemo(page: Page, url: string): Promise<void> {
  await page.goto(`${url}?auto=1`);
  await page.waitForFunction(() => (window as unknown as { demoDone?: boolean }).demoDone === true, null, { timeout: 45_000 });
}

async function badgeOf(harness: ExtensionHarness, tabId: number): Promise<string> {
  return harness.evaluateInWorker((id: number) => chrome.action.getBadgeText({ tabId: id }), tabId);
}

test('every channel of the demo is captured and classified by Telegram’s rules', async ({ page, demo, tabIdOf, harness }) => {
  await runDemo(page, demo.url);
  const tabId = await tabIdOf(page);
  const { records } = await harness.settledLog(tabId, EXPECTED.length);

  const seen = records.map((r) => r.message);
  expect(seen).toEqual(EXPECTED.map((e) => e.text));
  for (const [i, want] of EXPECTED.entries()) {
    const got = records[i];
    expect(got, want.text).toMatchObject({ code: want.code, channel: want.channel, dialect: want.dialect, class: want.class, direction: 'in' });
    expect(got.action.kind, want.text).toBe(want.action);
    if (want.params) expect(got.params, want.text).toEqual(want.params);
    if (want.method) expect(got.method, want.text).toBe(want.method);
    if (want.dc) expect(got.dc, want.text).toBe(want.dc);
  }
  // Codes Telegram does not document are handled as 500 and kept as received.
  expect(records.filter((r) => r.treatedAs500).map((r) => r.code)).toEqual([-503, 999]);
  // Waits carry the time after which a retry is allowed.
  const flood = records.find((r) => r.message === 'FLOOD_WAIT_17')!;
  expect(Date.parse(flood.action.retryAt!) - Date.parse(flood.capturedAt)).toBe(17_000);
  // No record for error-like words in ordinary data (chat texts, a user named rpc_error, file bytes).
  expect(seen).not.toContain('FLOOD_WAIT_5');
  expect(seen).not.toContain('FLOOD_WAIT_99');
  // The Bot API token never leaves the page unmasked.
  expect(JSON.stringify(records)).not.toContain('AAEfakeToken');
  expect(records.find((r) => r.dialect === 'bot-api')!.url).toContain('/bot123456789:***/');
});

test('the panel lists the errors captured before it opened, with badge, filters and export', async ({ page, demo, tabIdOf, harness, openPanelPage }) => {
  await runDemo(page, demo.url);
  const tabId = await tabIdOf(page);
  await harness.settledLog(tabId, EXPECTED.length);
  // The badge is written a moment after the records (once per 200 ms, not per capture).
  await expect.poll(() => badgeOf(harness, tabId)).toBe(String(EXPECTED.length));

  const panel = await openPanelPage(tabId);
  const rows = panel.locator('.viewport [role="row"]');
  await expect(rows).toHaveCount(EXPECTED.length);
  await expect(panel.getByText(`${EXPECTED.length} errors`)).toBeVisible();
  for (const want of EXPECTED) await expect(panel.locator('.c-type', { hasText: want.shown ?? want.text }).first()).toBeVisible();
  await expect(panel.getByText('→ DC 4')).toBeVisible();
  await expect(panel.getByRole('timer').first()).toContainText(/wait \d+/);

  // Filter: only 401 and "other" codes.
  await panel.getByRole('button', { name: /^401/ }).click();
  await panel.getByRole('button', { name: /^other/ }).click();
  // 401, and the codes Telegram does not document (-503, 999, the protocol and transport codes).
  const shownByChips = EXPECTED.filter((e) => e.code === 401 || ![303, 400, 401, 403, 404, 406, 420, 429, 500].includes(e.code));
  await expect(rows).toHaveCount(shownByChips.length);
  await expect(panel.getByText(`${shownByChips.length} of ${EXPECTED.length} errors`)).toBeVisible();

  // Export what is shown: a plain download of our JSON format.
  const [download] = await Promise.all([panel.waitForEvent('download'), panel.getByRole('button', { name: 'Export view' }).click()]);
  expect(download.suggestedFilename()).toMatch(/^telegram-api-errors-.*\.json$/);
  const file = JSON.parse(await readFile((await download.path())!, 'utf8')) as ExportFile;
  expect(file).toMatchObject({ format: 'telegram-api-errors', version: 1, page: { url: `${demo.url}?auto=1` } });
  expect(Number.isNaN(Date.parse(file.exportedAt))).toBe(false);
  expect(file.errors.map((e) => e.message).sort()).toEqual(shownByChips.map((e) => e.text).sort());
  for (const e of file.errors) {
    for (const key of [
      'id',
      'capturedAt',
      'code',
      'class',
      'message',
      'type',
      'description',
      'template',
      'params',
      'meaning',
      'action',
      'channel',
      'direction',
      'url',
      'dialect',
      'method',
      'dc',
    ]) {
      expect(e, key).toHaveProperty(key);
    }
  }

  // Select a row: the detail pane explains it.
  await panel.getByRole('button', { name: /^401/ }).click();
  await panel.getByRole('button', { name: /^other/ }).click();
  await panel.locator('.c-type', { hasText: 'PHONE_MIGRATE_4' }).click();
  await expect(panel.getByRole('complementary', { name: 'Error details' })).toContainText('Repeat the same query on DC 4');

  // Clear empties the panel and the badge.
  await panel.getByRole('button', { name: 'Clear' }).click();
  await expect(panel.getByText('No Telegram API errors yet')).toBeVisible();
  // The badge is written a moment after the records (once per 200 ms, not per capture).
  await expect.poll(() => badgeOf(harness, tabId)).toBe('');
  await panel.close();
});

test('the log survives a stopped service worker and the open panel reconnects', async ({
  page,
  demo,
  tabIdOf,
  getLog,
  harness,
  stopServiceWorker,
  openPanelPage,
}) => {
  await runDemo(page, demo.url);
  const tabId = await tabIdOf(page);
  const before = await harness.settledLog(tabId, EXPECTED.length);
  const panel = await openPanelPage(tabId);
  await expect(panel.locator('.viewport [role="row"]')).toHaveCount(EXPECTED.length);

  await stopServiceWorker();
  const after = await getLog(tabId);
  // Every record kept as it was; only the handling verdicts may move on (a verdict still
  // pending when the worker stopped is settled as not observable: the audit lived in memory).
  const withoutHandling = (records: typeof before.records) => records.map(({ handling: _handling, ...rest }) => rest);
  expect(withoutHandling(after.records)).toEqual(withoutHandling(before.records));
  for (const [i, record] of after.records.entries()) {
    if (before.records[i].handling?.verdict === 'violation') expect(record.handling?.verdict).toBe('violation');
  }

  // A new error after the restart reaches the panel that was open all along.
  await page.evaluate(async () => {
    await fetch('/dc4/api', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ _: 'help.getConfig' }) });
  });
  await expect(panel.locator('.viewport [role="row"]')).toHaveCount(EXPECTED.length + 1, { timeout: 10_000 });
  const last = (await getLog(tabId)).records.at(-1)!;
  expect(last.id).toBe(before.records.at(-1)!.id + 1);
  // The badge is written a moment after the records (once per 200 ms, not per capture).
  await expect.poll(() => badgeOf(harness, tabId)).toBe(String(EXPECTED.length + 1));
  await panel.close();
});

test('closing a tab forgets its log', async ({ page, demo, tabIdOf, getLog, harness }) => {
  await runDemo(page, demo.url);
  const tabId = await tabIdOf(page);
  await harness.settledLog(tabId, EXPECTED.length);
  await page.close();
  await expect.poll(async () => (await getLog(tabId)).records.length).toBe(0);
  const keys = await harness.evaluateInWorker(
    async (id: number) => Object.keys(await chrome.storage.session.get(null)).filter((k) => k.startsWith(`log:${id}:`)),
    tabId,
  );
  expect(keys).toEqual([]);
});

test('a page forging hook events gets only validated, counted data through', async ({ page, demo, tabIdOf, getLog }) => {
  await page.goto(demo.url);
  const tabId = await tabIdOf(page);
  await page.evaluate(() => {
    const fire = (detail: unknown) => document.dispatchEvent(new CustomEvent('__tg_api_error_inspector__', { detail }));
    fire('not json');
    fire(JSON.stringify({ v: 1, channel: 'smtp' }));
    fire({ an: 'object' });
    fire(JSON.stringify({ v: 1, channel: 'fetch', direction: 'in', url: 'x', at: 1, kind: 'binary', data: 'abc' }));
    fire('x'.repeat(2_000_000));
  });
  await expect
    .poll(async () => (await getLog(tabId)).stats.dropped, { timeout: 5000 })
    .toEqual({ 'not-json': 1, 'bad-schema': 2, 'bad-base64': 1, 'too-large': 1 });
  expect((await getLog(tabId)).records).toEqual([]);
});
