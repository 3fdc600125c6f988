// The handling audit's issue-19 verdicts in the Firefox panel: a 500 hammered in a tight loop
// (four errors 60 ms apart), judged by the real engine as one retry chain, exported and imported
// into the panel: every row carries the chain's violation, the detail pane lists the chain's
// attempts, and a 401 whose violation is certain but still counting says so.

import { test, expect } from './fixtures.ts';
import { exportFile } from '../harness/panel-files.ts';
import { classifyRpcError } from '../../src/core/errors/classify.ts';
import { HandlingAudit, type AuditEvent } from '../../src/core/handling/index.ts';
import type { ErrorRecord } from '../../src/core/record.ts';
import type { FirefoxTab } from './firefox-browser.ts';

const ARTIFACTS = new URL('../../artifacts/', import.meta.url).pathname;

/** Four 500s of updates.getState 60 ms apart, then a 401 and a call with the refused key, with the verdicts the engine gave them. */
function judgedRecords(): ErrorRecord[] {
  const t0 = Date.now() - 5_000;
  const call = { family: 'tab', dc: 2, authKeyId: null, msgId: null };
  const record = (id: number, at: number, code: number, message: string, method: string) =>
    classifyRpcError(
      { code, message, dialect: 'mtproto' },
      { capturedAt: at, channel: 'websocket', direction: 'in', url: 'wss://venus.web.telegram.org/apiws', method, dc: 2, evidence: null },
      id,
    );
  const records: ErrorRecord[] = [];
  const events: AuditEvent[] = [{ kind: 'request', requestId: 'hello', at: t0 - 100, method: 'help.getConfig', fingerprint: null, ...call }];
  for (let i = 0; i < 4; i++) {
    const at = t0 + i * 60;
    if (i > 0) events.push({ kind: 'request', requestId: `retry-${i}`, at: at - 30, method: 'updates.getState', fingerprint: 'state', ...call });
    records.push(record(i + 1, at, 500, 'INTERNAL_SERVER_ERROR', 'updates.getState'));
    events.push({
      kind: 'error',
      id: i + 1,
      at,
      code: 500,
      class: 'INTERNAL',
      type: 'INTERNAL_SERVER_ERROR',
      params: {},
      method: 'updates.getState',
      fingerprint: 'state',
      ...call,
    });
  }
  events.push({ kind: 'request', requestId: 'retry-4', at: t0 + 210, method: 'updates.getState', fingerprint: 'state', ...call });
  records.push(record(5, t0 + 1000, 401, 'AUTH_KEY_UNREGISTERED', 'help.getCountriesList'));
  events.push({
    kind: 'error',
    id: 5,
    at: t0 + 1000,
    code: 401,
    class: 'UNAUTHORIZED',
    type: 'AUTH_KEY_UNREGISTERED',
    params: {},
    method: 'help.getCountriesList',
    fingerprint: 'countries',
    ...call,
  });
  events.push({ kind: 'request', requestId: 'difference', at: t0 + 1400, method: 'updates.getDifference', fingerprint: 'difference', ...call });
  const audit = new HandlingAudit();
  for (const e of events) for (const u of audit.add(e)) records[u.errorId - 1].handling = u.verdict;
  return records;
}

const rowCount = (panel: FirefoxTab) => panel.evaluate(() => document.querySelectorAll('.viewport [role="row"][data-id]').length);
const sectionText = (panel: FirefoxTab, label: string) =>
  panel.evaluate((l: string) => document.querySelector(`section[aria-label="${l}"]`)?.textContent ?? '', label);
const selectRow = (panel: FirefoxTab, id: number) =>
  panel.evaluate((rowId: number) => (document.querySelector(`.viewport .row[data-id="${rowId}"] .c-type`) as HTMLElement | null)?.click(), id);

test('a retry chain and a verdict certain before its window closes, in the Firefox panel', async ({ tab, demo, harness }) => {
  const records = judgedRecords();
  expect(records.map((r) => [r.id, r.handling?.verdict, r.handling?.final])).toEqual([
    [1, 'violation', false],
    [2, 'violation', false],
    [3, 'violation', false],
    [4, 'violation', false],
    [5, 'violation', false],
  ]);
  await tab.goto(demo.url);
  const panel = await harness.openPanelPage(await harness.tabIdOf(tab));
  try {
    await panel.setViewport(1280, 800);
    await panel.setFiles('input[type="file"]', [exportFile('retry-chain.json', records)]);
    await expect.poll(() => rowCount(panel), { timeout: 10_000 }).toBe(5);
    // One verdict on every error of the loop: five ✕, and the later errors marked as retries.
    expect(await panel.evaluate(() => document.querySelectorAll('.viewport .verdict-violation').length)).toBe(5);
    expect(await panel.evaluate(() => document.querySelectorAll('.viewport .retry-badge').length)).toBe(3);
    await selectRow(panel, 3);
    await expect.poll(() => sectionText(panel, 'Retry chain')).toContain('Retry chain: 5 attempts, a tight loop');
    const chain = await sectionText(panel, 'Retry chain');
    for (const text of ['First call', 'Retry 1', '+30 ms', '+60 ms', '#4 500 INTERNAL_SERVER_ERROR', 'no error so far']) expect(chain).toContain(text);
    expect(await sectionText(panel, 'Handling')).toContain('Violation');
    await panel.screenshot(`${ARTIFACTS}handling-retry-chain-firefox.png`);
    await selectRow(panel, 5);
    await expect.poll(() => sectionText(panel, 'Handling')).toContain('Certain since');
  } finally {
    await panel.close();
  }
});
